// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>

namespace ApoloDeploy::Test {

// A real HTTP/1.1 server on 127.0.0.1 that answers every request with a scripted response,
// written in timed chunks: enough to drive the chat client through framing, errors, silence
// and cut connections over a real socket (the client's network layer is not mocked).
class LoopbackHttpServer final : public QObject
{
    Q_OBJECT

public:
    struct Response
    {
        int status = 200;
        QByteArray reason = "OK";
        QByteArray contentType = "text/event-stream";
        QList<QByteArray> chunks;    // each written as one HTTP chunk (or raw when !chunked)
        int intervalMs = 0;          // between chunks
        bool chunked = true;         // false: Content-Length body
        bool keepOpen = false;       // after the last chunk, neither end the body nor close
        bool cutAfterChunks = false; // drop the connection instead of ending the body
    };

    struct Request
    {
        QByteArray method;
        QByteArray path;
        QHash<QByteArray, QByteArray> headers; // lower-case names
        QByteArray body;
    };

    explicit LoopbackHttpServer(QObject *parent = nullptr);

    QUrl url(const QString &path = {}) const;
    // The response for requests whose path starts with prefix (longest prefix wins).
    void setResponse(const QByteArray &pathPrefix, const Response &response);
    const QList<Request> &requests() const { return m_requests; }
    // True once the client closed a connection that was still streaming (e.g. after abort()).
    bool clientDisconnected() const { return m_clientDisconnected; }

    static QByteArray sse(const QList<QByteArray> &dataPayloads, bool withDone = true);

private:
    void onReadyRead(QTcpSocket *socket);
    void respond(QTcpSocket *socket, const Request &request);

    QTcpServer m_server;
    QHash<QByteArray, Response> m_responses;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QList<Request> m_requests;
    bool m_clientDisconnected = false;
};

} // namespace ApoloDeploy::Test
