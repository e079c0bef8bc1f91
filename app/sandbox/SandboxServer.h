// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandbox/SandboxConfig.h"

#include <QObject>
#include <QString>

#include <memory>

namespace ApoloDeploy::Sandbox {

class AdminApi;
class ControlApi;
class HttpResponder;
class HttpServer;
class HuggingFaceHub;
class JobRegistry;
class MonitoringApi;
class OAuthEndpoints;
class PlatformApi;
class SandboxState;
class SecretsApi;
struct HttpRequest;

// The whole emulated platform on one loopback port. Routes (base = http://127.0.0.1:<port>):
//   /api/v1/…                    platform API (config, jobs)        /ping
//   /monitoring/api/v1/jobs/…    monitoring (log, log_ws, top, capacity)
//   /secrets/api/v1/secrets/…    secrets
//   /apis/admin/v1/…             admin (quota, credits)
//   /oauth/…                     OAuth2 provider (authorize, token)
//   /_sandbox/control            the sandbox's own test hook
// Each job with an http section additionally gets its own port (JobIngress).
class SandboxServer final : public QObject
{
    Q_OBJECT

public:
    explicit SandboxServer(const SandboxConfig &config, QObject *parent = nullptr);
    ~SandboxServer() override;

    bool listen();
    QString errorString() const;
    QString apiUrl() const; // http://127.0.0.1:<port>/api/v1
    SandboxState &state() { return *m_state; }

private:
    void handle(const HttpRequest &request, HttpResponder *responder);
    void dispatch(const HttpRequest &request, HttpResponder *responder);

    std::unique_ptr<SandboxState> m_state;
    std::unique_ptr<JobRegistry> m_registry;
    HttpServer *m_http;
    std::unique_ptr<PlatformApi> m_platform;
    std::unique_ptr<MonitoringApi> m_monitoring;
    std::unique_ptr<SecretsApi> m_secrets;
    std::unique_ptr<AdminApi> m_admin;
    std::unique_ptr<OAuthEndpoints> m_oauth;
    std::unique_ptr<ControlApi> m_control;
    std::unique_ptr<HuggingFaceHub> m_hub;
};

} // namespace ApoloDeploy::Sandbox
