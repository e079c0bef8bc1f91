// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace ApoloDeploy::Sandbox {

class JobRegistry;
class SandboxState;

// What every endpoint group needs: shared state, the jobs, and the URLs the sandbox serves.
struct ApiContext
{
    SandboxState &state;
    JobRegistry &registry;
    QString baseUrl; // http://127.0.0.1:<port>

    QString apiUrl() const { return baseUrl + QStringLiteral("/api/v1"); }
    QString monitoringUrl() const { return baseUrl + QStringLiteral("/monitoring/api/v1/jobs"); }
    QString secretsUrl() const { return baseUrl + QStringLiteral("/secrets/api/v1/secrets"); }
    QString storageUrl() const { return baseUrl + QStringLiteral("/storage/api/v1/storage"); }
    QString adminUrl() const { return baseUrl + QStringLiteral("/apis/admin/v1"); }
    QString oauthUrl() const { return baseUrl + QStringLiteral("/oauth"); }
};

} // namespace ApoloDeploy::Sandbox
