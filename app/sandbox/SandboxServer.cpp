// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/SandboxServer.h"

#include "sandbox/AdminApi.h"
#include "sandbox/ControlApi.h"
#include "sandbox/HttpServer.h"
#include "sandbox/HuggingFaceHub.h"
#include "sandbox/JobRegistry.h"
#include "sandbox/MonitoringApi.h"
#include "sandbox/OAuthEndpoints.h"
#include "sandbox/PlatformApi.h"
#include "sandbox/SandboxState.h"
#include "sandbox/SecretsApi.h"

#include <QPointer>
#include <QTimer>

namespace ApoloDeploy::Sandbox {

namespace {

const QString kApi = QStringLiteral("/api/v1");
const QString kMonitoring = QStringLiteral("/monitoring/api/v1/jobs");
const QString kSecrets = QStringLiteral("/secrets/api/v1/secrets");
const QString kAdmin = QStringLiteral("/apis/admin/v1");
const QString kOAuth = QStringLiteral("/oauth");
const QString kControl = QStringLiteral("/_sandbox/control");
// A Hugging Face hub stand-in for the catalog models, so the planner's hub path is testable:
// HF_ENDPOINT=<base>/hf.
const QString kHub = QStringLiteral("/hf");

bool below(const QString &path, const QString &prefix, QString *rest)
{
    if (path != prefix && !path.startsWith(prefix + u'/'))
        return false;
    *rest = path.mid(prefix.size());
    return true;
}

void unauthorized(HttpResponder *responder)
{
    responder->respond(401, "text/plain; charset=utf-8", "401: Unauthorized");
}

} // namespace

SandboxServer::SandboxServer(const SandboxConfig &config, QObject *parent)
    : QObject(parent)
    , m_state(std::make_unique<SandboxState>(config))
    , m_registry(std::make_unique<JobRegistry>(*m_state))
    , m_http(new HttpServer(this))
{
    m_http->setHandler([this](const HttpRequest &request, HttpResponder *responder) { handle(request, responder); });
    m_http->setWebSocketSubprotocols({QStringLiteral("logs.apolo.us"), QStringLiteral("top.apolo.us")});
    m_http->setWebSocketHandler(
        [this](const HttpRequest &request, QByteArray &errorJson) {
            QString rest;
            if (!below(request.path, kMonitoring, &rest)) {
                errorJson = R"({"error":"Not Found"})";
                return 404;
            }
            return m_monitoring->checkWebSocket(rest, request, errorJson);
        },
        [this](const HttpRequest &request, QWebSocket *socket) {
            QString rest;
            below(request.path, kMonitoring, &rest);
            m_monitoring->serveWebSocket(rest, request, socket);
        });
}

SandboxServer::~SandboxServer()
{
    m_state->saveNow();
}

bool SandboxServer::listen()
{
    if (!m_http->listen(QHostAddress::LocalHost, m_state->config().port))
        return false;
    const ApiContext context{*m_state, *m_registry, m_http->baseUrl()};
    m_platform = std::make_unique<PlatformApi>(context);
    m_monitoring = std::make_unique<MonitoringApi>(context);
    m_hub = std::make_unique<HuggingFaceHub>(kHub);
    m_secrets = std::make_unique<SecretsApi>(context);
    m_admin = std::make_unique<AdminApi>(context);
    m_oauth = std::make_unique<OAuthEndpoints>(context);
    m_control = std::make_unique<ControlApi>(context);
    return true;
}

QString SandboxServer::errorString() const
{
    return m_http->errorString();
}

QString SandboxServer::apiUrl() const
{
    return m_http->baseUrl() + kApi;
}

void SandboxServer::handle(const HttpRequest &request, HttpResponder *responder)
{
    const bool isControl = request.path == kControl;
    const bool isApiCall = !isControl && !request.path.startsWith(kOAuth);
    if (isApiCall && m_state->faults().shouldFailApiCall()) {
        responder->respond(503, "text/plain; charset=utf-8", "503: Service Unavailable");
        return;
    }
    const int latency = m_state->faults().settings().latencyMs;
    if (isApiCall && latency > 0) {
        QTimer::singleShot(latency, this, [this, request, responder = QPointer<HttpResponder>(responder)] {
            if (responder)
                dispatch(request, responder);
        });
        return;
    }
    dispatch(request, responder);
}

void SandboxServer::dispatch(const HttpRequest &request, HttpResponder *responder)
{
    const bool authorized = m_state->isValidToken(request.bearerToken());
    QString rest;
    if (request.path == QLatin1String("/ping")) {
        responder->respond(200, "text/plain; charset=utf-8", {});
    } else if (below(request.path, kApi, &rest)) {
        m_platform->handle(rest, request, responder, authorized);
    } else if (below(request.path, kOAuth, &rest)) {
        m_oauth->handle(rest, request, responder);
    } else if (below(request.path, kHub, &rest)) {
        if (!m_hub->handle(request, responder))
            responder->respond(404, "application/json", R"({"error":"Repository Not Found"})");
    } else if (!authorized) {
        unauthorized(responder);
    } else if (below(request.path, kMonitoring, &rest)) {
        m_monitoring->handle(rest, request, responder);
    } else if (below(request.path, kSecrets, &rest)) {
        m_secrets->handle(rest, request, responder);
    } else if (below(request.path, kAdmin, &rest)) {
        m_admin->handle(rest, request, responder);
    } else if (request.path == kControl) {
        m_control->handle(request, responder);
    } else {
        responder->respond(404, "text/plain; charset=utf-8", "404: Not Found");
    }
}

} // namespace ApoloDeploy::Sandbox
