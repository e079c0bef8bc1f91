// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/ChatEndpoint.h"

#include <QCoreApplication>
#include <QHostAddress>

namespace ApoloDeploy {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ChatEndpoint", text);
}

QString shellSingleQuoted(const QString &text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

} // namespace

QUrl ChatEndpoint::serverRoot() const
{
    QUrl root = baseUrl.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::StripTrailingSlash);
    QString path = root.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    if (path.endsWith(QLatin1String("/v1")))
        path.chop(3);
    root.setPath(path);
    return root;
}

QUrl ChatEndpoint::apiUrl(const QString &path) const
{
    return rootUrl(QStringLiteral("/v1") + path);
}

QUrl ChatEndpoint::rootUrl(const QString &path) const
{
    QUrl url = serverRoot();
    url.setPath(url.path() + path);
    return url;
}

bool ChatEndpoint::isLoopback() const
{
    const QString host = baseUrl.host();
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

bool ChatEndpoint::isInsecureTransport() const
{
    return baseUrl.scheme() == QLatin1String("http") && !isLoopback();
}

bool ChatEndpoint::mayAttachCredential() const
{
    return !(credential == Credential::PlatformToken && isInsecureTransport());
}

QString ChatEndpoint::securityWarning() const
{
    if (credential == Credential::PlatformToken && isInsecureTransport())
        return tr("This endpoint uses plain http to another machine: your Apolo token will not be sent. "
                  "Use its https URL.");
    if (isInsecureTransport())
        return tr("This endpoint uses plain http to another machine: prompts, answers and the API key travel "
                  "unencrypted. Prefer https.");
    if (credential == Credential::None)
        return tr("This endpoint needs no authentication: anyone who knows the URL can use the model "
                  "(and your GPUs). Consider vLLM --api-key or the job's HTTP authentication.");
    return {};
}

QString ChatEndpoint::curlSnippet(const QString &model) const
{
    const QString body =
        QStringLiteral(R"({"model": "%1", "messages": [{"role": "user", "content": "Hello"}], "stream": true})")
            .arg(model);
    QString snippet = QStringLiteral("curl -N %1 \\\n  -H 'Content-Type: application/json' \\\n")
                          .arg(shellSingleQuoted(apiUrl(QStringLiteral("/chat/completions")).toString()));
    if (credential != Credential::None)
        snippet += QStringLiteral("  -H \"Authorization: Bearer $%1\" \\\n").arg(apiKeyEnvironmentName);
    snippet += QStringLiteral("  -d %1\n").arg(shellSingleQuoted(body));
    return snippet;
}

QString ChatEndpoint::pythonSnippet(const QString &model) const
{
    const QString key = credential == Credential::None
                            ? QStringLiteral("\"EMPTY\"")
                            : QStringLiteral("os.environ[\"%1\"]").arg(apiKeyEnvironmentName);
    return QStringLiteral("import os\n"
                          "from openai import OpenAI\n\n"
                          "client = OpenAI(base_url=\"%1\", api_key=%2)\n"
                          "stream = client.chat.completions.create(\n"
                          "    model=\"%3\",\n"
                          "    messages=[{\"role\": \"user\", \"content\": \"Hello\"}],\n"
                          "    stream=True,\n"
                          ")\n"
                          "for chunk in stream:\n"
                          "    if chunk.choices and chunk.choices[0].delta.content:\n"
                          "        print(chunk.choices[0].delta.content, end=\"\", flush=True)\n")
        .arg(apiUrl(QString()).toString(), key, model);
}

} // namespace ApoloDeploy
