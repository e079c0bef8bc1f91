// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apolo/ApoloError.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

namespace ApoloDeploy {

class BrowserLogin;
class PlatformSession;

// The three ways to sign in (apolo-api.md §2), shared by `apolo-deploy login` and the Sign In
// dialog so both behave the same: a pasted token, the browser (OAuth2 code + PKCE), or a read-only
// import of the apolo CLI's login. Each ends with exactly one finished() signal; on success the
// session is signed in and the token is in the keychain.
class SignInFlow final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignInFlow)

public:
    explicit SignInFlow(PlatformSession *session, QObject *parent = nullptr);
    ~SignInFlow() override;

    // The API URL to sign in to: the one given, else the last one used, else the public default.
    static QUrl resolveApiUrl(const QUrl &given);

    void withToken(const QUrl &apiUrl, const QString &token);
    void withBrowser(const QUrl &apiUrl, int timeoutMs = 60000);
    // Uses the apolo CLI's API URL; note() says which database was read and any URL mismatch.
    void fromApoloCli(const QUrl &expectedApiUrl = QUrl(), const QString &configDirectoryOverride = QString());
    // Abandons a browser sign-in that is waiting; finished() reports Cancelled.
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void authorizationUrlReady(const QUrl &url);
    void note(const QString &message);
    void finished(const ApoloDeploy::ApoloError &error);

private:
    bool begin();
    void end(const ApoloError &error);

    PlatformSession *m_session;
    QPointer<BrowserLogin> m_browser;
    bool m_running = false;
};

} // namespace ApoloDeploy
