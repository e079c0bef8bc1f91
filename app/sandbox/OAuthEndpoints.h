// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandbox/ApiContext.h"

#include <QHash>

namespace ApoloDeploy::Sandbox {

class HttpResponder;
struct HttpRequest;

// An OAuth2 provider that approves at once: /authorize redirects straight back to redirect_uri
// with a code (or shows it on the headless page); /token exchanges the code (PKCE S256 checked)
// or a refresh token for an access token that expires after expires_in real seconds.
class OAuthEndpoints
{
public:
    explicit OAuthEndpoints(const ApiContext &context)
        : m_context(context)
    {}
    void handle(const QString &subPath, const HttpRequest &request, HttpResponder *responder);

private:
    struct PendingCode
    {
        QString challenge;
        QString redirectUri;
        QString clientId;
    };
    void authorize(const HttpRequest &request, HttpResponder *responder);
    void token(const HttpRequest &request, HttpResponder *responder);

    ApiContext m_context;
    QHash<QString, PendingCode> m_codes;
};

} // namespace ApoloDeploy::Sandbox
