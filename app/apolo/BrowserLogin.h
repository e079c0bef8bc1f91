// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apolo/ApoloError.h"
#include "apolo/Credentials.h"
#include "apolo/PlatformTypes.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

class QNetworkAccessManager;
class QNetworkReply;

namespace ApoloDeploy {

class LoopbackCallbackServer;

// Browser sign-in: OAuth 2 authorization code + PKCE S256 exactly as `apolo login` (specs §2.2).
//   1. listen on 127.0.0.1 at the first free port of callback_urls (54540, 54541, 54542);
//   2. authorizationUrlReady(auth_url?response_type=code&code_challenge=…&code_challenge_method=S256
//      &client_id=…&redirect_uri=http://127.0.0.1:<port>&scope=offline_access&audience=…) – the
//      caller opens it in the browser (QDesktopServices in the GUI, printed by the CLI);
//   3. wait up to 60 s for GET /?code=… (or ?error=…);
//   4. POST token_url (form: grant_type=authorization_code, code_verifier, code, client_id,
//      redirect_uri) -> succeeded(credentials), renewed later at 75 % of expires_in.
// QtNetworkAuth 6.4 has no PKCE and its reply handler listens on all interfaces: hence this.
class BrowserLogin final : public QObject
{
    Q_OBJECT

public:
    BrowserLogin(QNetworkAccessManager *network, QObject *parent = nullptr);
    ~BrowserLogin() override;

    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    // Starts; every outcome is reported asynchronously.
    void start(const OAuthSettings &oauth);
    void cancel();

    // The authorization URL for given parameters (pure; exposed for tests).
    static QUrl authorizationUrl(const OAuthSettings &oauth, const QUrl &redirectUri, const QByteArray &challenge);

Q_SIGNALS:
    void authorizationUrlReady(const QUrl &url);
    void succeeded(const ApoloDeploy::Credentials &credentials);
    void failed(const ApoloDeploy::ApoloError &error);

private:
    void onCallback(const class QUrlQuery &query);
    void exchangeCode(const QString &code);
    void fail(ApoloError::Kind kind, const QString &message, const QString &hint = QString());
    void cleanup();

    QNetworkAccessManager *m_network;
    QPointer<LoopbackCallbackServer> m_server;
    QPointer<QNetworkReply> m_reply;
    OAuthSettings m_oauth;
    QByteArray m_verifier;
    QUrl m_redirectUri;
    QTimer m_timeout;
    int m_timeoutMs = 60000;
    bool m_done = true;
};

} // namespace ApoloDeploy
