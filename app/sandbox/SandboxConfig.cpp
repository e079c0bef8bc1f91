// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/SandboxConfig.h"

#include "sandbox/FaultInjector.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

namespace ApoloDeploy::Sandbox {

namespace {

QByteArray randomToken()
{
    QByteArray bytes(32, Qt::Uninitialized);
    for (char &c : bytes)
        c = char(QRandomGenerator::system()->bounded(256));
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

} // namespace

QString SandboxConfig::usage()
{
    return QCoreApplication::translate(
        "SandboxConfig",
        "Usage: apolo-sandbox [--port N] [--token T] [--speed X] [--token-rate R] [--state FILE] [--faults SPEC]\n"
        "  --port N        listen on 127.0.0.1:N (0 = any free port, the default)\n"
        "  --token T       the accepted API token (default: env APOLO_SANDBOX_TOKEN, else a random one)\n"
        "  --speed X       simulated seconds per real second (default 1; tests use 50-200)\n"
        "  --token-rate R  vLLM emulator output tokens per second (default 40)\n"
        "  --state FILE    keep jobs, logs, secrets and credits in FILE across restarts\n"
        "  --faults SPEC   comma-separated faults: drop-logs=BYTES, http5xx=RATE, latency=MS,\n"
        "                  token-expiry=S, slow-sse=MS, malformed-chunk=BYTES, oom-kill=NAME|SECONDS\n"
        "When it listens it prints one line: apolo-sandbox ready <api-url>\n");
}

QString SandboxConfig::userFromJwt(const QByteArray &token)
{
    const QList<QByteArray> parts = token.split('.');
    if (parts.size() != 3)
        return {};
    const QByteArray payload = QByteArray::fromBase64(parts[1], QByteArray::Base64UrlEncoding);
    const QJsonObject claims = QJsonDocument::fromJson(payload).object();
    const QString user = claims.value(QLatin1String("https://platform.neuromation.io/user")).toString();
    return user.isEmpty() ? claims.value(QLatin1String("identity")).toString() : user;
}

bool SandboxConfig::parse(const QStringList &arguments, QString *error)
{
    token = qgetenv("APOLO_SANDBOX_TOKEN");
    auto valueOf = [&](qsizetype &i, const QString &option, QString *value) {
        if (i + 1 >= arguments.size()) {
            *error = QCoreApplication::translate("SandboxConfig", "%1 needs a value.").arg(option);
            return false;
        }
        *value = arguments.at(++i);
        return true;
    };
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString option = arguments.at(i);
        QString value;
        bool ok = true;
        if (option == QLatin1String("--help") || option == QLatin1String("-h")) {
            *error = usage();
            return false;
        }
        if (option == QLatin1String("--port")) {
            if (!valueOf(i, option, &value))
                return false;
            const uint number = value.toUInt(&ok);
            ok = ok && number <= 65535;
            port = quint16(number);
        } else if (option == QLatin1String("--token")) {
            if (!valueOf(i, option, &value))
                return false;
            token = value.toUtf8();
            ok = !token.isEmpty();
        } else if (option == QLatin1String("--speed")) {
            if (!valueOf(i, option, &value))
                return false;
            speed = value.toDouble(&ok);
            ok = ok && speed > 0;
        } else if (option == QLatin1String("--token-rate")) {
            if (!valueOf(i, option, &value))
                return false;
            tokenRate = value.toDouble(&ok);
            ok = ok && tokenRate > 0;
        } else if (option == QLatin1String("--state")) {
            ok = valueOf(i, option, &statePath) && !statePath.isEmpty();
            value = statePath;
        } else if (option == QLatin1String("--faults")) {
            if (!valueOf(i, option, &faults))
                return false;
            value = faults;
            FaultSettings parsed;
            QString faultError;
            if (!FaultSettings::parse(faults, &parsed, &faultError)) {
                *error = faultError;
                return false;
            }
        } else {
            *error = QCoreApplication::translate("SandboxConfig", "Unknown option %1.\n%2").arg(option, usage());
            return false;
        }
        if (!ok) {
            *error = QCoreApplication::translate("SandboxConfig", "Invalid value '%1' for %2.").arg(value, option);
            return false;
        }
    }
    if (token.isEmpty())
        token = randomToken();
    const QString jwtUser = userFromJwt(token);
    if (!jwtUser.isEmpty())
        userName = jwtUser;
    return true;
}

} // namespace ApoloDeploy::Sandbox
