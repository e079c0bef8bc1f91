// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apolo/ApoloClient.h"

#include <QHash>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <optional>

namespace ApoloDeploy::Test {

// Runs one ApoloClient call and waits (processing events) for its callback.
//   auto job = awaitCall<Job>([&](QObject *context, auto done) { client.getJob(id, context, done); });
template <typename T, typename Start> ApoloResult<T> awaitCall(Start start, int timeoutMs = 20000)
{
    std::optional<ApoloResult<T>> result;
    QObject context;
    start(&context, ApoloClient::Callback<T>([&result](const ApoloResult<T> &r) { result = r; }));
    if (!QTest::qWaitFor([&] { return result.has_value(); }, timeoutMs)) {
        ApoloError error;
        error.kind = ApoloError::Kind::Timeout;
        error.message = QStringLiteral("the test gave up waiting for the callback");
        return error;
    }
    return *result;
}

// A loopback TCP proxy in front of a server. dropNextAnswerTo(prefix): the next request starting
// with `prefix` is forwarded, but its answer is swallowed and the client connection cut, as
// when a connection drops after the server acted (the case job creation must survive).
class DroppingProxy : public QObject
{
public:
    explicit DroppingProxy(quint16 upstreamPort)
        : m_upstreamPort(upstreamPort)
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = m_server.nextPendingConnection())
                pipe(client);
        });
    }
    quint16 port() const { return m_server.serverPort(); }
    void dropNextAnswerTo(const QByteArray &requestPrefix) { m_dropPrefix = requestPrefix; }
    int droppedCount() const { return m_dropped; }
    int requestCount(const QByteArray &prefix) const { return m_requests.value(prefix); }
    void countRequests(const QByteArray &prefix) { m_requests.insert(prefix, 0); }

private:
    void pipe(QTcpSocket *client)
    {
        auto *upstream = new QTcpSocket(client);
        auto dropping = std::make_shared<bool>(false);
        upstream->connectToHost(QHostAddress::LocalHost, m_upstreamPort);
        connect(client, &QTcpSocket::readyRead, upstream, [this, client, upstream, dropping] {
            const QByteArray bytes = client->readAll();
            for (auto it = m_requests.begin(); it != m_requests.end(); ++it) {
                if (bytes.startsWith(it.key()))
                    ++it.value();
            }
            if (!m_dropPrefix.isEmpty() && bytes.startsWith(m_dropPrefix)) {
                m_dropPrefix.clear();
                *dropping = true;
            }
            upstream->write(bytes);
        });
        connect(upstream, &QTcpSocket::readyRead, client, [this, client, upstream, dropping] {
            const QByteArray bytes = upstream->readAll();
            if (*dropping) {
                ++m_dropped;
                client->abort();
                return;
            }
            client->write(bytes);
        });
        connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
        connect(upstream, &QTcpSocket::disconnected, client, [client] { client->disconnectFromHost(); });
    }

    QTcpServer m_server;
    quint16 m_upstreamPort;
    QByteArray m_dropPrefix;
    int m_dropped = 0;
    QHash<QByteArray, int> m_requests;
};

} // namespace ApoloDeploy::Test
