// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/JobIngress.h"

#include "sandbox/HttpServer.h"
#include "sandbox/JobRegistry.h"
#include "sandbox/SandboxState.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QQueue>
#include <QTimer>

namespace ApoloDeploy::Sandbox {

namespace {

const QList<QByteArray> kHopByHop{"connection", "keep-alive", "transfer-encoding", "content-length",  "host",
                                  "upgrade",    "te",         "trailer",           "proxy-connection"};

// One proxied request: upstream reply in, chunked response out, faults applied on the way.
class Relay final : public QObject
{
public:
    Relay(QNetworkReply *reply, HttpResponder *responder, const FaultSettings &faults)
        : QObject(responder)
        , m_reply(reply)
        , m_responder(responder)
        , m_faults(faults)
    {
        reply->setParent(this);
        m_pacer.setSingleShot(true);
        connect(&m_pacer, &QTimer::timeout, this, &Relay::pump);
        connect(reply, &QNetworkReply::readyRead, this, &Relay::onReadyRead);
        connect(reply, &QNetworkReply::finished, this, &Relay::onFinished);
        connect(responder, &HttpResponder::disconnected, this, [this] {
            if (m_reply)
                m_reply->abort();
        });
    }

private:
    void begin()
    {
        if (m_begun || !m_responder)
            return;
        m_begun = true;
        HttpHeaders headers;
        for (const auto &[name, value] : m_reply->rawHeaderPairs()) {
            const QByteArray lower = name.toLower();
            if (!kHopByHop.contains(lower) && lower != "content-type")
                headers.append({name, value});
        }
        const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        QByteArray contentType = m_reply->rawHeader("Content-Type");
        m_responder->beginStream(status > 0 ? status : 502,
                                 contentType.isEmpty() ? QByteArrayLiteral("application/octet-stream") : contentType,
                                 headers);
    }
    void onReadyRead()
    {
        if (m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 0)
            return;
        begin();
        m_queue.enqueue(m_reply->readAll());
        pump();
    }
    void onFinished()
    {
        if (m_reply->error() != QNetworkReply::NoError &&
            m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 0) {
            if (m_responder && !m_begun)
                m_responder->respond(502, "text/plain; charset=utf-8",
                                     "502 Bad Gateway: " + m_reply->errorString().toUtf8());
            return;
        }
        begin();
        const QByteArray rest = m_reply->readAll();
        if (!rest.isEmpty())
            m_queue.enqueue(rest);
        m_upstreamDone = true;
        pump();
    }
    void pump()
    {
        if (!m_responder || m_pacer.isActive())
            return;
        while (!m_queue.isEmpty()) {
            QByteArray chunk = m_queue.dequeue();
            if (m_faults.malformedChunkAfterBytes > 0 && m_sent + chunk.size() >= m_faults.malformedChunkAfterBytes) {
                // A chunk header that is not hex, then the connection drops: what a broken proxy does.
                m_responder->write(chunk.left(m_faults.malformedChunkAfterBytes - m_sent));
                m_responder->writeMalformedChunk();
                m_responder->abortConnection();
                return;
            }
            m_sent += chunk.size();
            m_responder->write(chunk);
            if (m_faults.slowSseDelayMs > 0) {
                m_pacer.start(m_faults.slowSseDelayMs);
                return;
            }
        }
        if (m_upstreamDone)
            m_responder->end();
    }

    QPointer<QNetworkReply> m_reply;
    QPointer<HttpResponder> m_responder;
    FaultSettings m_faults;
    QQueue<QByteArray> m_queue;
    QTimer m_pacer;
    qint64 m_sent = 0;
    bool m_begun = false;
    bool m_upstreamDone = false;
};

} // namespace

JobIngress::JobIngress(const QString &jobId, JobRegistry &registry, SandboxState &state, QObject *parent)
    : QObject(parent)
    , m_jobId(jobId)
    , m_registry(registry)
    , m_state(state)
    , m_server(new HttpServer(this))
    , m_network(new QNetworkAccessManager(this))
{
    m_server->setHandler([this](const HttpRequest &request, HttpResponder *responder) { handle(request, responder); });
}

bool JobIngress::listen(quint16 port)
{
    return m_server->listen(QHostAddress::LocalHost, port);
}

quint16 JobIngress::port() const
{
    return m_server->port();
}

void JobIngress::handle(const HttpRequest &request, HttpResponder *responder)
{
    const SandboxJob *job = m_registry.find(m_jobId);
    if (!job) {
        responder->respond(404, "text/plain; charset=utf-8", "404: Not Found");
        return;
    }
    const QJsonObject http = job->container.value(QLatin1String("http")).toObject();
    if (http.value(QLatin1String("requires_auth")).toBool() && !m_state.isValidToken(request.bearerToken())) {
        responder->respond(401, "text/plain; charset=utf-8", "401: Unauthorized");
        return;
    }
    Workload *workload = m_registry.workloadOf(m_jobId);
    const quint16 upstreamPort = workload ? workload->servingPort() : 0;
    if (job->status() != QLatin1String("running") || upstreamPort == 0) {
        responder->respond(502, "text/plain; charset=utf-8",
                           "502 Bad Gateway: nothing is serving on the job's port " +
                               QByteArray::number(job->httpPort()) + " yet");
        return;
    }
    QUrl upstream(QStringLiteral("http://127.0.0.1:%1").arg(upstreamPort));
    upstream.setPath(request.path);
    const qsizetype queryAt = request.target.indexOf('?');
    if (queryAt >= 0)
        upstream.setQuery(QString::fromLatin1(request.target.mid(queryAt + 1)), QUrl::TolerantMode);
    QNetworkRequest forward(upstream);
    for (auto it = request.headers.cbegin(); it != request.headers.cend(); ++it) {
        if (!kHopByHop.contains(it.key()))
            forward.setRawHeader(it.key(), it.value());
    }
    forward.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *reply = m_network->sendCustomRequest(forward, request.method, request.body);
    new Relay(reply, responder, m_state.faults().settings());
}

} // namespace ApoloDeploy::Sandbox
