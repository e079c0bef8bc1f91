// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QPointer>
#include <QUrl>

class QNetworkReply;

namespace ApoloDeploy {

class ApoloClient;
struct Job;

// One GET {http_url}/health of the serving job, the last word on readiness: vLLM logs
// "Application startup complete." before the platform's ingress routes to it.
class HealthProbe final : public QObject
{
    Q_OBJECT

public:
    explicit HealthProbe(ApoloClient *client, QObject *parent = nullptr);
    ~HealthProbe() override;

    // The URL probed for a job (its preferred http_url + /health); invalid when it exposes none.
    static QUrl healthUrl(const Job &server);
    // Starts one probe; a probe still in flight is aborted first.
    void probe(const Job &server);
    void abort();
    bool isBusy() const { return !m_reply.isNull(); }

Q_SIGNALS:
    // status is the HTTP status (0 without an answer); error says why when it is not 200.
    void finished(const QUrl &url, int status, const QString &error);

private:
    ApoloClient *m_client;
    QPointer<QNetworkReply> m_reply;
};

} // namespace ApoloDeploy
