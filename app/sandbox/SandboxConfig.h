// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace ApoloDeploy::Sandbox {

// What the sandbox serves and how it was started (command line + environment).
struct SandboxConfig
{
    quint16 port = 0;        // 0 = any free port
    QByteArray token;        // the one long-lived token (never expires)
    double speed = 1.0;      // simulated seconds per real second
    double tokenRate = 40.0; // vLLM emulator output tokens per real second
    QString statePath;       // empty = nothing survives a restart
    QString faults;          // FaultInjector spec

    // The identity served. The user name is taken from the token when it is a JWT with the
    // platform's user claim (as the SDK reads it), else this default.
    QString userName = QStringLiteral("alice");
    QString clusterName = QStringLiteral("default");
    QString orgName = QStringLiteral("acme");
    QStringList projectNames{QStringLiteral("research"), QStringLiteral("staging")};
    QString jobsNamespace = QStringLiteral("platform-jobs");
    QString clientId = QStringLiteral("apolo-sandbox");
    QString audience = QStringLiteral("https://platform.apolo.us");

    // Parses argv; on error returns false with a message that says what to fix.
    bool parse(const QStringList &arguments, QString *error);
    static QString usage();
    // The JWT user claim of token, or empty when it is not a JWT.
    static QString userFromJwt(const QByteArray &token);
};

} // namespace ApoloDeploy::Sandbox
