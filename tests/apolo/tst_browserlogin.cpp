// SPDX-License-Identifier: GPL-3.0-or-later
// Browser sign-in (PKCE) against apolo-sandbox's OAuth provider, which approves at once: the
// test plays the browser by following the authorization URL.
#include "ClientTestSupport.h"
#include "apolo/ApiJson.h"
#include "apolo/BrowserLogin.h"
#include "apolo/LoopbackCallbackServer.h"
#include "support/SandboxFixture.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>
#include <QUrlQuery>

using namespace ApoloDeploy;
using namespace ApoloDeploy::Test;

class tst_BrowserLogin : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_network;

    OAuthSettings sandboxOAuth(SandboxFixture &sandbox)
    {
        ApoloClient anonymous;
        anonymous.setApiUrl(sandbox.apiUrl());
        ApoloResult<ServerConfig> config =
            awaitCall<ServerConfig>([&](QObject *c, auto done) { anonymous.fetchConfigAnonymously(c, done); });
        return config.ok() ? config->oauth : OAuthSettings();
    }

private Q_SLOTS:
    void authorizationUrl_hasExactlyTheSdkParameters()
    {
        OAuthSettings oauth;
        oauth.authUrl = QUrl(QStringLiteral("https://auth.apolo.us/authorize"));
        oauth.clientId = QStringLiteral("client id");
        oauth.audience = QStringLiteral("https://platform.apolo.us");
        const QUrl url =
            BrowserLogin::authorizationUrl(oauth, QUrl(QStringLiteral("http://127.0.0.1:54540")), "CHALLENGE");
        const QUrlQuery query(url);
        QCOMPARE(query.queryItemValue(QStringLiteral("response_type")), QStringLiteral("code"));
        QCOMPARE(query.queryItemValue(QStringLiteral("code_challenge")), QStringLiteral("CHALLENGE"));
        QCOMPARE(query.queryItemValue(QStringLiteral("code_challenge_method")), QStringLiteral("S256"));
        QCOMPARE(query.queryItemValue(QStringLiteral("client_id"), QUrl::FullyDecoded), QStringLiteral("client id"));
        QCOMPARE(query.queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded),
                 QStringLiteral("http://127.0.0.1:54540"));
        QCOMPARE(query.queryItemValue(QStringLiteral("scope")), QStringLiteral("offline_access"));
        QCOMPARE(query.queryItemValue(QStringLiteral("audience"), QUrl::FullyDecoded),
                 QStringLiteral("https://platform.apolo.us"));
        QCOMPARE(url.host(), QStringLiteral("auth.apolo.us"));
    }

    void callbackServer_listensOnLoopbackOnlyAndSkipsBusyPorts()
    {
        LoopbackCallbackServer busy;
        QVERIFY(busy.listen({0}));
        LoopbackCallbackServer server;
        QVERIFY(server.listen({busy.port(), 0}));
        QVERIFY(server.port() != busy.port());
        QCOMPARE(server.redirectUri().toString(), QStringLiteral("http://127.0.0.1:%1").arg(server.port()));
        LoopbackCallbackServer none;
        QVERIFY(!none.listen({busy.port()}));
        QVERIFY(none.errorString().contains(QString::number(busy.port())));
    }

    void callbackServer_answersAndReportsTheCode()
    {
        LoopbackCallbackServer server;
        QVERIFY(server.listen({0}));
        QUrlQuery received;
        connect(&server, &LoopbackCallbackServer::callbackReceived, this, [&](const QUrlQuery &q) { received = q; });
        QNetworkReply *favicon =
            m_network.get(QNetworkRequest(QUrl(server.redirectUri().toString() + QStringLiteral("/favicon.ico"))));
        QTRY_VERIFY(favicon->isFinished());
        QCOMPARE(favicon->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 404);
        QNetworkReply *callback =
            m_network.get(QNetworkRequest(QUrl(server.redirectUri().toString() + QStringLiteral("/?code=abc%2B1"))));
        QTRY_VERIFY(callback->isFinished());
        QCOMPARE(callback->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QCOMPARE(received.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded), QStringLiteral("abc+1"));
        delete favicon;
        delete callback;
    }

    void login_againstSandboxYieldsRefreshableCredentials()
    {
        SandboxFixture sandbox;
        QVERIFY2(sandbox.start(), qPrintable(sandbox.errorString()));
        OAuthSettings oauth = sandboxOAuth(sandbox);
        QVERIFY(oauth.isValid());
        // Callback ports of our own, so parallel tests never fight over 54540-54542.
        LoopbackCallbackServer probe;
        QVERIFY(probe.listen({0}));
        const quint16 port = probe.port();
        probe.close();
        oauth.callbackUrls = {QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port))};

        BrowserLogin login(&m_network);
        std::optional<Credentials> credentials;
        std::optional<ApoloError> failure;
        connect(&login, &BrowserLogin::succeeded, this, [&](const Credentials &c) { credentials = c; });
        connect(&login, &BrowserLogin::failed, this, [&](const ApoloError &e) { failure = e; });
        connect(&login, &BrowserLogin::authorizationUrlReady, this, [&](const QUrl &url) {
            QCOMPARE(QUrlQuery(url).queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded),
                     QStringLiteral("http://127.0.0.1:%1").arg(port));
            QNetworkRequest browser(url); // the "browser" follows the redirect to our callback
            browser.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
            QNetworkReply *reply = m_network.get(browser);
            connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
        });
        login.start(oauth);
        QTRY_VERIFY_WITH_TIMEOUT(credentials || failure, 15000);
        QVERIFY2(!failure, qPrintable(failure ? failure->toString() : QString()));
        QVERIFY(!credentials->accessToken.isEmpty());
        QVERIFY(credentials->canRefresh());
        QVERIFY(credentials->refreshAt.isValid());

        // The token works, and a 401 is repaired by one refresh with the original refresh token.
        ApoloClient client;
        client.setApiUrl(sandbox.apiUrl());
        client.setOAuthSettings(oauth);
        Credentials stale = *credentials;
        stale.accessToken = QStringLiteral("expired-token");
        client.setCredentials(stale);
        int renewed = 0;
        connect(&client, &ApoloClient::credentialsChanged, this, [&] { ++renewed; });
        ApoloResult<ServerConfig> config =
            awaitCall<ServerConfig>([&](QObject *c, auto done) { client.fetchConfig(c, done); });
        QVERIFY2(config.ok(), qPrintable(config.error().toString()));
        QVERIFY(config->authorized);
        QCOMPARE(renewed, 1);
        QCOMPARE(client.credentials().refreshToken, credentials->refreshToken);
        QVERIFY(client.credentials().accessToken != QStringLiteral("expired-token"));

        // An API call answered 401 (expired access token) is renewed once and replayed.
        client.setCredentials(stale);
        renewed = 0;
        ApoloResult<Done> listed = awaitCall<Done>([&](QObject *c, auto done) {
            client.listJobs(
                JobListFilter(), c, [](const QList<Job> &) {}, done);
        });
        QVERIFY2(listed.ok(), qPrintable(listed.error().toString()));
        QCOMPARE(renewed, 1);

        // A refresh token the provider refuses means: sign in again.
        stale.refreshToken = QStringLiteral("revoked");
        client.setCredentials(stale);
        int lost = 0;
        connect(&client, &ApoloClient::authenticationRequired, this, [&] { ++lost; });
        config = awaitCall<ServerConfig>([&](QObject *c, auto done) { client.fetchConfig(c, done); });
        QCOMPARE(config.error().kind, ApoloError::Kind::Unauthorized);
        QCOMPARE(lost, 1);
    }

    void login_timesOutWithoutBrowser()
    {
        OAuthSettings oauth;
        oauth.authUrl = QUrl(QStringLiteral("https://auth.example/authorize"));
        oauth.tokenUrl = QUrl(QStringLiteral("https://auth.example/token"));
        oauth.clientId = QStringLiteral("x");
        oauth.callbackUrls = {QUrl(QStringLiteral("http://127.0.0.1:0"))};
        BrowserLogin login(&m_network);
        login.setTimeout(200);
        std::optional<ApoloError> failure;
        connect(&login, &BrowserLogin::failed, this, [&](const ApoloError &e) { failure = e; });
        login.start(oauth);
        QTRY_VERIFY(failure.has_value());
        QCOMPARE(failure->kind, ApoloError::Kind::Timeout);
    }
};

QTEST_GUILESS_MAIN(tst_BrowserLogin)
#include "tst_browserlogin.moc"
