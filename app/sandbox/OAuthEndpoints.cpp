// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/OAuthEndpoints.h"

#include "sandbox/HttpServer.h"
#include "sandbox/SandboxState.h"

#include <QCryptographicHash>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QUrl>
#include <QUrlQuery>

namespace ApoloDeploy::Sandbox {

namespace {

QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

void oauthError(HttpResponder *responder, int status, const QString &error, const QString &description)
{
    responder->respondJson(
        status, QJsonObject{{QStringLiteral("error"), error}, {QStringLiteral("error_description"), description}});
}

QByteArray htmlEscape(const QString &text)
{
    return text.toHtmlEscaped().toUtf8();
}

} // namespace

void OAuthEndpoints::handle(const QString &subPath, const HttpRequest &request, HttpResponder *responder)
{
    if (subPath == QLatin1String("/authorize") && request.method == "GET")
        return authorize(request, responder);
    if (subPath == QLatin1String("/token") && request.method == "POST")
        return token(request, responder);
    if (subPath == QLatin1String("/show-code") && request.method == "GET") {
        const QString code = request.query.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded);
        return responder->respond(200, "text/html; charset=utf-8",
                                  "<html><body><p>Copy this code into the application:</p><pre id=\"code\">" +
                                      htmlEscape(code) + "</pre></body></html>");
    }
    if ((subPath == QLatin1String("/success") || subPath == QLatin1String("/logout")) && request.method == "GET")
        return responder->respond(200, "text/html; charset=utf-8",
                                  "<html><body><p>apolo-sandbox: you can close this window.</p></body></html>");
    responder->respond(404, "text/plain; charset=utf-8", "404: Not Found");
}

void OAuthEndpoints::authorize(const HttpRequest &request, HttpResponder *responder)
{
    const QUrlQuery &query = request.query;
    auto value = [&query](const char *key) { return query.queryItemValue(QLatin1String(key), QUrl::FullyDecoded); };
    const QString redirectUri = value("redirect_uri");
    const QUrl redirect(redirectUri);
    if (!redirect.isValid() || redirect.scheme().isEmpty())
        return responder->respond(400, "text/plain; charset=utf-8", "invalid redirect_uri");
    const SandboxConfig &config = m_context.state.config();
    QString error;
    if (value("response_type") != QLatin1String("code"))
        error = QStringLiteral("unsupported_response_type");
    else if (value("client_id") != config.clientId)
        error = QStringLiteral("unauthorized_client");
    else if (value("code_challenge").isEmpty() || value("code_challenge_method") != QLatin1String("S256"))
        error = QStringLiteral("invalid_request");
    QUrl target = redirect;
    QUrlQuery back(redirect);
    if (!error.isEmpty()) {
        back.addQueryItem(QStringLiteral("error"), error);
        back.addQueryItem(
            QStringLiteral("error_description"),
            QStringLiteral("The sandbox expects response_type=code, client_id=%1 and a S256 code_challenge")
                .arg(config.clientId));
    } else {
        const QString code =
            QString::fromLatin1(base64Url(QByteArray::number(QRandomGenerator::system()->generate64()) +
                                          QByteArray::number(QRandomGenerator::system()->generate64())));
        m_codes.insert(code, {value("code_challenge"), redirectUri, value("client_id")});
        back.addQueryItem(QStringLiteral("code"), code);
    }
    if (!value("state").isEmpty())
        back.addQueryItem(QStringLiteral("state"), value("state"));
    target.setQuery(back);
    responder->respond(302, "text/plain; charset=utf-8", {}, {{"Location", target.toEncoded()}});
}

void OAuthEndpoints::token(const HttpRequest &request, HttpResponder *responder)
{
    const QUrlQuery form(QString::fromUtf8(request.body).replace(u'+', QStringLiteral("%20")));
    auto value = [&form](const char *key) { return form.queryItemValue(QLatin1String(key), QUrl::FullyDecoded); };
    SandboxState &state = m_context.state;
    const QString grant = value("grant_type");
    const int expiresIn = state.tokenExpirySeconds();
    if (grant == QLatin1String("authorization_code")) {
        const auto pending = m_codes.constFind(value("code"));
        if (pending == m_codes.cend())
            return oauthError(responder, 403, QStringLiteral("invalid_grant"),
                              QStringLiteral("Invalid authorization code"));
        const PendingCode code = *pending;
        m_codes.erase(pending); // a code is good for one exchange only
        const QByteArray expected =
            base64Url(QCryptographicHash::hash(value("code_verifier").toUtf8(), QCryptographicHash::Sha256));
        if (value("code_verifier").isEmpty() || expected != code.challenge.toLatin1())
            return oauthError(responder, 403, QStringLiteral("invalid_grant"),
                              QStringLiteral("Failed to verify code verifier"));
        if (value("redirect_uri") != code.redirectUri)
            return oauthError(responder, 403, QStringLiteral("invalid_grant"),
                              QStringLiteral("redirect_uri does not match the one used for authorization"));
        if (value("client_id") != code.clientId)
            return oauthError(responder, 403, QStringLiteral("invalid_grant"), QStringLiteral("client_id mismatch"));
        return responder->respondJson(
            200, QJsonObject{{QStringLiteral("access_token"), QString::fromLatin1(state.issueAccessToken(expiresIn))},
                             {QStringLiteral("refresh_token"), QString::fromLatin1(state.issueRefreshToken())},
                             {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                             {QStringLiteral("scope"), QStringLiteral("offline_access")},
                             {QStringLiteral("expires_in"), expiresIn}});
    }
    if (grant == QLatin1String("refresh_token")) {
        if (!state.isValidRefreshToken(value("refresh_token").toLatin1()))
            return oauthError(responder, 403, QStringLiteral("invalid_grant"),
                              QStringLiteral("Unknown or invalid refresh token."));
        return responder->respondJson(
            200, QJsonObject{{QStringLiteral("access_token"), QString::fromLatin1(state.issueAccessToken(expiresIn))},
                             {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                             {QStringLiteral("scope"), QStringLiteral("offline_access")},
                             {QStringLiteral("expires_in"), expiresIn}});
    }
    oauthError(responder, 400, QStringLiteral("unsupported_grant_type"),
               QStringLiteral("grant_type must be authorization_code or refresh_token"));
}

} // namespace ApoloDeploy::Sandbox
