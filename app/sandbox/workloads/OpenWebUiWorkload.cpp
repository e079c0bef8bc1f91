// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/workloads/OpenWebUiWorkload.h"

#include "sandbox/HttpServer.h"

#include <QTimer>

namespace ApoloDeploy::Sandbox {

namespace {

constexpr double kStartupSeconds = 8.0; // migrations and embedding model checks at start

QString htmlEscape(const QString &text)
{
    return text.toHtmlEscaped();
}

} // namespace

OpenWebUiWorkload::OpenWebUiWorkload(ContainerContextPtr context, QObject *parent)
    : Workload(parent)
    , m_context(std::move(context))
{}

OpenWebUiWorkload::~OpenWebUiWorkload()
{
    stop();
}

QByteArray OpenWebUiWorkload::page() const
{
    QStringList urls =
        m_context->env.value(QStringLiteral("OPENAI_API_BASE_URLS")).split(QLatin1Char(';'), Qt::SkipEmptyParts);
    const QString single = m_context->env.value(QStringLiteral("OPENAI_API_BASE_URL"));
    if (!single.isEmpty())
        urls.prepend(single);
    QString items;
    for (const QString &url : std::as_const(urls))
        items += QStringLiteral("<li><code>") % htmlEscape(url) % QStringLiteral("</code></li>");
    if (items.isEmpty())
        items = QStringLiteral("<li>none: OPENAI_API_BASE_URL(S) is not set</li>");
    return (QStringLiteral("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Open WebUI "
                           "(apolo-sandbox)</title></head><body><h1>Open WebUI - apolo-sandbox stand-in</h1><p>This "
                           "page is served by apolo-sandbox in place of ") %
            htmlEscape(m_context->spec.image) %
            QStringLiteral(". The real web app does not run in the sandbox.</p><p>OpenAI API base URLs it was given:"
                           "</p><ul>") %
            items % QStringLiteral("</ul></body></html>"))
        .toUtf8();
}

void OpenWebUiWorkload::start()
{
    Q_EMIT output(QByteArrayLiteral("Loading WEBUI_SECRET_KEY from file, not provided as an environment variable.\n"
                                    "Generating WEBUI_SECRET_KEY\nLoading WEBUI_SECRET_KEY from .webui_secret_key\n"
                                    "/app/backend/open_webui\n/app/backend\n/app\n"));
    QTimer::singleShot(int(kStartupSeconds * 1000 / m_context->timeScale()), this, [this] {
        if (!m_server)
            return;
        Q_EMIT output(QByteArrayLiteral("INFO:     Started server process [1]\nINFO:     Waiting for application "
                                        "startup.\nINFO:     Application startup complete.\nINFO:     Uvicorn running "
                                        "on http://0.0.0.0:8080 (Press CTRL+C to quit)\n"));
        // Open WebUI listens on 8080; a job exposing another port reaches nothing.
        m_serving = m_context->spec.httpPort < 0 || m_context->spec.httpPort == 8080;
    });
    m_server = new HttpServer(this);
    m_server->setHandler([this](const HttpRequest &request, HttpResponder *responder) {
        if (request.path == QLatin1String("/health"))
            responder->respond(200, "application/json", "{\"status\":true}");
        else
            responder->respond(200, "text/html; charset=utf-8", page());
    });
    if (!m_server->listen(QHostAddress::LocalHost, 0)) {
        Q_EMIT output(QByteArrayLiteral("ERROR:    [Errno 98] Address already in use\n"));
        Q_EMIT exited(1, QStringLiteral("Error"), QStringLiteral("[Errno 98] Address already in use"));
    }
}

void OpenWebUiWorkload::stop()
{
    m_serving = false;
    delete m_server;
    m_server = nullptr;
}

quint16 OpenWebUiWorkload::servingPort() const
{
    return m_serving && m_server ? m_server->port() : 0;
}

} // namespace ApoloDeploy::Sandbox
