// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QUrl>

#include <functional>

namespace ApoloDeploy {

// Produces the bearer token for a request, possibly later (the keychain is asynchronous).
// ready("") means "send no Authorization header".
using BearerReady = std::function<void(const QString &token)>;
using BearerProvider = std::function<void(BearerReady ready)>;

// Where to chat: an OpenAI-compatible server (a vLLM deployment or any other URL).
struct ChatEndpoint
{
    enum class Credential {
        None,          // the server needs no auth (warn: anyone with the URL can use it)
        ApiKey,        // a key the user keeps in the keychain (vLLM --api-key, OpenAI, …)
        PlatformToken, // the Apolo token, for a job whose HTTP authentication is on
    };

    QUrl baseUrl; // as given: "https://h", "https://h/", "https://h/v1" and "https://h/v1/" all work
    Credential credential = Credential::None;
    BearerProvider bearer;
    QString apiKeyEnvironmentName = QStringLiteral("OPENAI_API_KEY"); // for the code snippets only

    bool isValid() const { return serverRoot().isValid() && !serverRoot().host().isEmpty(); }
    // The server root without a trailing "/" or "/v1": /tokenize and /metrics live here.
    QUrl serverRoot() const;
    // serverRoot() + "/v1" + path, e.g. url("/chat/completions").
    QUrl apiUrl(const QString &path) const;
    QUrl rootUrl(const QString &path) const;

    bool isLoopback() const;
    // Plain http to another machine: keys travel in clear text.
    bool isInsecureTransport() const;
    // The Apolo token is never sent over plain http to a non-loopback host (CONTRIBUTING rule 8).
    bool mayAttachCredential() const;
    // A user-facing warning about the transport or missing auth, or empty.
    QString securityWarning() const;

    // Copyable snippets. The key appears only as an environment variable reference.
    QString curlSnippet(const QString &model) const;
    QString pythonSnippet(const QString &model) const;
};

} // namespace ApoloDeploy
