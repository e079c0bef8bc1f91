// SPDX-License-Identifier: GPL-3.0-or-later
#include "LoopbackHttpServer.h"

#include <memory>

namespace ApoloDeploy::Test {

LoopbackHttpServer::LoopbackHttpServer(QObject *parent)
    : QObject(parent)
{
    m_server.listen(QHostAddress::LocalHost, 0);
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            socket->setParent(this);
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
            connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
                if (socket->property("streaming").toBool())
                    m_clientDisconnected = true;
                m_buffers.remove(socket);
                socket->deleteLater();
            });
        }
    });
}

QUrl LoopbackHttpServer::url(const QString &path) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path));
}

void LoopbackHttpServer::setResponse(const QByteArray &pathPrefix, const Response &response)
{
    m_responses.insert(pathPrefix, response);
}

QByteArray LoopbackHttpServer::sse(const QList<QByteArray> &dataPayloads, bool withDone)
{
    QByteArray stream;
    for (const QByteArray &payload : dataPayloads)
        stream += "data: " + payload + "\n\n";
    if (withDone)
        stream += "data: [DONE]\n\n";
    return stream;
}

void LoopbackHttpServer::onReadyRead(QTcpSocket *socket)
{
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return;
    Request request;
    const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    request.method = requestLine.value(0);
    request.path = requestLine.value(1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            request.headers.insert(lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
    }
    const qsizetype length = request.headers.value("content-length").toLongLong();
    if (buffer.size() < headEnd + 4 + length)
        return;
    request.body = buffer.mid(headEnd + 4, length);
    buffer.remove(0, headEnd + 4 + length);
    m_requests.append(request);
    respond(socket, request);
}

void LoopbackHttpServer::respond(QTcpSocket *socket, const Request &request)
{
    Response response;
    response.status = 404;
    response.reason = "Not Found";
    response.contentType = "application/json";
    response.chunks = {R"({"detail":"Not Found"})"};
    response.chunked = false;
    qsizetype bestLength = -1;
    for (auto it = m_responses.cbegin(); it != m_responses.cend(); ++it) {
        if (request.path.startsWith(it.key()) && it.key().size() > bestLength) {
            response = it.value();
            bestLength = it.key().size();
        }
    }
    QByteArray head = "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + response.reason + "\r\n";
    if (!response.contentType.isEmpty())
        head += "Content-Type: " + response.contentType + "\r\n";
    if (response.chunked)
        head += "Transfer-Encoding: chunked\r\n";
    else
        head += "Content-Length: " + QByteArray::number(response.chunks.join().size()) + "\r\n";
    head += "\r\n";
    socket->write(head);
    if (!response.chunked) {
        socket->write(response.chunks.join());
        return;
    }
    socket->setProperty("streaming", true);
    // Writes the chunks one by one on a timer so the client sees them as separate reads.
    auto index = std::make_shared<int>(0);
    auto timer = new QTimer(socket);
    timer->setInterval(response.intervalMs);
    QPointer<QTcpSocket> guard(socket);
    connect(timer, &QTimer::timeout, socket, [guard, timer, index, response] {
        if (!guard)
            return;
        if (*index < response.chunks.size()) {
            const QByteArray &chunk = response.chunks.at((*index)++);
            if (!chunk.isEmpty())
                guard->write(QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n");
            return;
        }
        timer->stop();
        if (response.cutAfterChunks) {
            guard->abort();
        } else if (!response.keepOpen) {
            guard->write("0\r\n\r\n");
            guard->setProperty("streaming", false);
        }
    });
    timer->start();
}

} // namespace ApoloDeploy::Test
