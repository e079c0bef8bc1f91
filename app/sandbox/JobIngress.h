// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>

class QNetworkAccessManager;

namespace ApoloDeploy::Sandbox {

class HttpServer;
class JobRegistry;
class SandboxState;
struct HttpRequest;
class HttpResponder;

// The job's public HTTP endpoint (http_url): its own loopback port that forwards to the
// container's serving port, the way the platform's ingress does. It answers 401 when the job
// requires auth and no valid platform token came, 502 while nothing serves behind it, and
// streams responses through as they arrive (SSE), with the slow-sse and malformed-chunk faults.
class JobIngress final : public QObject
{
    Q_OBJECT

public:
    JobIngress(const QString &jobId, JobRegistry &registry, SandboxState &state, QObject *parent = nullptr);
    bool listen(quint16 port = 0);
    quint16 port() const;

private:
    void handle(const HttpRequest &request, HttpResponder *responder);

    QString m_jobId;
    JobRegistry &m_registry;
    SandboxState &m_state;
    HttpServer *m_server;
    QNetworkAccessManager *m_network;
};

} // namespace ApoloDeploy::Sandbox
