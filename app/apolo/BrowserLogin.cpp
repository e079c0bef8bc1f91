// SPDX-License-Identifier: GPL-3.0-or-later
#include "apolo/BrowserLogin.h"

#include "apolo/ApiJson.h"
#include "apolo/ApoloClient.h"
#include "apolo/LoopbackCallbackServer.h"
#include "apolo/Pkce.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUrlQuery>

namespace ApoloDeploy {

namespace {

QList<quint16> callbackPorts(const OAuthSettings &oauth)
{
    QList<quint16> ports;
    for (const QUrl &url : oauth.callbackUrls) {
        if (url.port() >= 0) // port 0 (any free port) only ever comes from tests
            ports << quint16(url.port());
    }
    if (ports.isEmpty())
        ports = {54540, 54541, 54542}; // the SDK's defaults
    return ports;
}

QByteArray formEncode(const QList<QPair<QString, QString>> &fields)
{
    QByteArray body;
    for (const auto &[key, value] : fields) {
        if (!body.isEmpty())
            body += '&';
        body += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value);
    }
    return body;
}

} // namespace

BrowserLogin::BrowserLogin(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_network(network)
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        fail(ApoloError::Kind::Timeout, tr("No answer from the browser sign-in within %1 s.").arg(m_timeoutMs / 1000),
             tr("Try again and finish signing in in the browser, or sign in with a token."));
    });
}

BrowserLogin::~BrowserLogin()
{
    cleanup();
}

QUrl BrowserLogin::authorizationUrl(const OAuthSettings &oauth, const QUrl &redirectUri, const QByteArray &challenge)
{
    QUrl url = oauth.authUrl;
    QUrlQuery query(url);
    query.addQueryItem(QStringLiteral("response_type"), QStringLiteral("code"));
    query.addQueryItem(QStringLiteral("code_challenge"), QString::fromLatin1(challenge));
    query.addQueryItem(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
    query.addQueryItem(QStringLiteral("client_id"), oauth.clientId);
    query.addQueryItem(QStringLiteral("redirect_uri"),
                       QString::fromLatin1(QUrl::toPercentEncoding(redirectUri.toString(QUrl::FullyEncoded))));
    query.addQueryItem(QStringLiteral("scope"), QStringLiteral("offline_access"));
    if (!oauth.audience.isEmpty())
        query.addQueryItem(QStringLiteral("audience"), QString::fromLatin1(QUrl::toPercentEncoding(oauth.audience)));
    url.setQuery(query);
    return url;
}

void BrowserLogin::start(const OAuthSettings &oauth)
{
    cleanup();
    m_done = false;
    m_oauth = oauth;
    if (!oauth.isValid()) {
        QTimer::singleShot(0, this, [this] {
            fail(ApoloError::Kind::Protocol, tr("This platform does not offer browser sign-in."),
                 tr("Sign in with a token instead."));
        });
        return;
    }
    for (const QUrl &url : {oauth.authUrl, oauth.tokenUrl}) {
        if (const ApoloError insecure = ApoloClient::checkTransport(url); insecure.isError()) {
            QTimer::singleShot(0, this, [this, insecure] { fail(insecure.kind, insecure.message, insecure.hint); });
            return;
        }
    }
    m_server = new LoopbackCallbackServer(this);
    if (!m_server->listen(callbackPorts(oauth))) {
        const QString message = m_server->errorString();
        QTimer::singleShot(0, this, [this, message] { fail(ApoloError::Kind::Network, message); });
        return;
    }
    m_server->setSuccessRedirect(oauth.successRedirectUrl);
    connect(m_server, &LoopbackCallbackServer::callbackReceived, this, &BrowserLogin::onCallback);
    m_verifier = Pkce::generateVerifier();
    m_redirectUri = m_server->redirectUri();
    const QUrl url = authorizationUrl(oauth, m_redirectUri, Pkce::challengeFor(m_verifier));
    m_timeout.start(m_timeoutMs);
    QTimer::singleShot(0, this, [this, url] { Q_EMIT authorizationUrlReady(url); });
}

void BrowserLogin::cancel()
{
    if (m_done)
        return;
    fail(ApoloError::Kind::Cancelled, tr("Sign-in cancelled."));
}

void BrowserLogin::onCallback(const QUrlQuery &query)
{
    if (m_done)
        return;
    if (query.hasQueryItem(QStringLiteral("error"))) {
        const QString error = query.queryItemValue(QStringLiteral("error"), QUrl::FullyDecoded);
        const QString description = query.queryItemValue(QStringLiteral("error_description"), QUrl::FullyDecoded);
        const auto kind =
            error == QLatin1String("access_denied") ? ApoloError::Kind::Forbidden : ApoloError::Kind::Unauthorized;
        return fail(kind, tr("Sign-in refused: %1").arg(description.isEmpty() ? error : description),
                    tr("Try again with another account, or sign in with a token."));
    }
    m_server->close(); // one code per sign-in
    exchangeCode(query.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded));
}

void BrowserLogin::exchangeCode(const QString &code)
{
    QNetworkRequest request(m_oauth.tokenUrl);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
    request.setRawHeader("Accept", "application/json");
    request.setTransferTimeout(30000);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    const QByteArray body = formEncode({{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                                        {QStringLiteral("code_verifier"), QString::fromLatin1(m_verifier)},
                                        {QStringLiteral("code"), code},
                                        {QStringLiteral("client_id"), m_oauth.clientId},
                                        {QStringLiteral("redirect_uri"), m_redirectUri.toString(QUrl::FullyEncoded)}});
    QNetworkReply *reply = m_network->post(request, body);
    reply->setParent(this);
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (m_done)
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray answer = reply->readAll();
        if (status == 0)
            return fail(ApoloError::Kind::Network, tr("Cannot reach the sign-in service: %1").arg(reply->errorString()),
                        tr("Check your connection and try again."));
        if (status < 200 || status >= 300) {
            const ApoloError error = ApiJson::parseApiError(status, answer);
            return fail(ApoloError::Kind::Unauthorized, tr("Failed to get an access token: %1").arg(error.message),
                        tr("Try signing in again."));
        }
        ApoloResult<Credentials> credentials = ApiJson::parseTokenResponse(answer, QDateTime::currentDateTimeUtc());
        if (!credentials)
            return fail(credentials.error().kind, credentials.error().message, credentials.error().hint);
        m_done = true;
        cleanup();
        Q_EMIT succeeded(credentials.value());
    });
}

void BrowserLogin::fail(ApoloError::Kind kind, const QString &message, const QString &hint)
{
    if (m_done)
        return;
    m_done = true;
    cleanup();
    ApoloError error;
    error.kind = kind;
    error.message = message;
    error.hint = hint;
    Q_EMIT failed(error);
}

void BrowserLogin::cleanup()
{
    m_timeout.stop();
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
    if (m_server) {
        m_server->close();
        m_server->deleteLater();
    }
}

} // namespace ApoloDeploy
