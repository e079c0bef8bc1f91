// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandbox/ApiContext.h"

#include <QByteArray>

class QWebSocket;

namespace ApoloDeploy::Sandbox {

class HttpResponder;
struct HttpRequest;
struct SandboxJob;

// The monitoring service below monitoring_url: GET /{job_id}/log (chunked), /{job_id}/log_ws
// and /{job_id}/top (WebSockets), GET /capacity. Job ids only, not names (like the service,
// which resolves the job by id).
class MonitoringApi
{
public:
    explicit MonitoringApi(const ApiContext &context)
        : m_context(context)
    {}
    void handle(const QString &subPath, const HttpRequest &request, HttpResponder *responder);
    // Before the WebSocket handshake: status (101 = go ahead) and the X-Error JSON otherwise.
    int checkWebSocket(const QString &subPath, const HttpRequest &request, QByteArray &errorJson) const;
    void serveWebSocket(const QString &subPath, const HttpRequest &request, QWebSocket *socket);

private:
    struct LogParams
    {
        bool timestamps = false;
        QByteArray sinceTimestamp;
        QByteArray separator;
        qint64 archiveDelayNs = 5'000'000'000LL;
    };
    // Parses since/timestamps/separator/archive_delay; error text on failure.
    bool parseLogParams(const HttpRequest &request, LogParams *params, QString *error) const;
    const SandboxJob *jobOf(const QString &subPath, QString *endpoint) const;
    void serveTop(const QString &jobId, QWebSocket *socket);

    ApiContext m_context;
};

} // namespace ApoloDeploy::Sandbox
