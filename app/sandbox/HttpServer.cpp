// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/HttpServer.h"

#include "sandbox/HttpRequestParser.h"
#include "sandbox/SandboxLogging.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QTcpServer>
#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketServer>

namespace ApoloDeploy::Sandbox {

namespace {

// Per-connection state, kept as a child of the socket so it dies with it.
class Connection final : public QObject
{
public:
    static constexpr const char *kObjectName = "adc-http-connection";
    explicit Connection(QTcpSocket *socket)
        : QObject(socket)
    {
        setObjectName(QLatin1String(kObjectName));
    }
    HttpRequestParser parser;
    QPointer<HttpResponder> responder; // the request being answered; later ones wait
    bool closing = false;
    bool sentContinue = false;
};

Connection *connectionOf(QTcpSocket *socket)
{
    // No Q_OBJECT on Connection (private helper), so look it up by name rather than by type.
    return static_cast<Connection *>(
        socket->findChild<QObject *>(QLatin1String(Connection::kObjectName), Qt::FindDirectChildrenOnly));
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 302: return "Found";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Status";
    }
}

QByteArray httpDate()
{
    return QLocale::c()
        .toString(QDateTime::currentDateTimeUtc(), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"))
        .toLatin1();
}

QByteArray statusHead(int status, bool keepAlive, const HttpHeaders &headers)
{
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    head += "Date: " + httpDate() + "\r\n";
    head += keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
    for (const auto &[name, value] : headers)
        head += name + ": " + value + "\r\n";
    return head;
}

} // namespace

// ---- HttpRequest ----------------------------------------------------------------------------

QByteArray HttpRequest::bearerToken() const
{
    const QByteArray authorization = header("authorization").trimmed();
    if (authorization.size() > 7 && authorization.left(7).compare("bearer ", Qt::CaseInsensitive) == 0)
        return authorization.mid(7).trimmed();
    const QString queryToken = query.queryItemValue(QStringLiteral("neuro-auth-token"), QUrl::FullyDecoded);
    if (!queryToken.isEmpty())
        return queryToken.toUtf8();
    // Browsers cannot set headers on WebSockets, so the token may ride in a subprotocol.
    static const QByteArray prefix = "bearer.apolo.us-";
    const QList<QByteArray> protocols = header("sec-websocket-protocol").split(',');
    for (const QByteArray &protocol : protocols) {
        const QByteArray trimmed = protocol.trimmed();
        if (trimmed.startsWith(prefix))
            return trimmed.mid(prefix.size());
    }
    return {};
}

// ---- HttpResponder --------------------------------------------------------------------------

HttpResponder::HttpResponder(QTcpSocket *socket, bool keepAlive, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_keepAlive(keepAlive)
{
    connect(socket, &QTcpSocket::bytesWritten, this, &HttpResponder::bytesWritten);
    connect(socket, &QTcpSocket::disconnected, this, [this] {
        if (m_done)
            return;
        m_done = true;
        Q_EMIT disconnected();
        deleteLater();
    });
}

void HttpResponder::respond(int status, const QByteArray &contentType, const QByteArray &body,
                            const HttpHeaders &headers)
{
    if (m_done || m_streaming)
        return;
    QByteArray head = statusHead(status, m_keepAlive, headers);
    const bool bodyAllowed = status != 204 && status != 304 && status >= 200;
    if (bodyAllowed) {
        if (!contentType.isEmpty())
            head += "Content-Type: " + contentType + "\r\n";
        head += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    }
    writeRaw(head + "\r\n" + (bodyAllowed ? body : QByteArray()));
    finished();
}

void HttpResponder::respondJson(int status, const QJsonValue &json, const HttpHeaders &headers)
{
    const QByteArray body = json.isArray() ? QJsonDocument(json.toArray()).toJson(QJsonDocument::Compact)
                                           : QJsonDocument(json.toObject()).toJson(QJsonDocument::Compact);
    respond(status, "application/json; charset=utf-8", body, headers);
}

void HttpResponder::respondError(int status, const QString &message)
{
    respondJson(status, QJsonObject{{QStringLiteral("error"), message}});
}

void HttpResponder::beginStream(int status, const QByteArray &contentType, const HttpHeaders &headers)
{
    if (m_done || m_streaming)
        return;
    m_streaming = true;
    QByteArray head = statusHead(status, m_keepAlive, headers);
    head += "Content-Type: " + contentType + "\r\nTransfer-Encoding: chunked\r\n\r\n";
    writeRaw(head);
}

void HttpResponder::write(const QByteArray &chunk)
{
    if (m_done || !m_streaming || chunk.isEmpty())
        return;
    writeRaw(QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n");
}

void HttpResponder::end()
{
    if (m_done || !m_streaming)
        return;
    writeRaw("0\r\n\r\n");
    finished();
}

void HttpResponder::writeMalformedChunk()
{
    if (!m_done && m_streaming)
        writeRaw("zz\r\nthis is not a chunk\r\n");
}

void HttpResponder::writeTruncatedChunk(const QByteArray &part, qint64 declaredSize)
{
    if (!m_done && m_streaming)
        writeRaw(QByteArray::number(std::max<qint64>(declaredSize, part.size() + 1), 16) + "\r\n" + part);
}

void HttpResponder::abortConnection()
{
    if (m_done)
        return;
    m_done = true;
    if (m_socket) {
        m_socket->flush(); // what was written so far still goes out, like a cut mid-stream
        m_socket->abort();
    }
    deleteLater();
}

bool HttpResponder::isConnected() const
{
    return !m_done && m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

qint64 HttpResponder::pendingBytes() const
{
    return m_socket ? m_socket->bytesToWrite() : 0;
}

void HttpResponder::writeRaw(const QByteArray &bytes)
{
    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->write(bytes);
}

void HttpResponder::finished()
{
    m_done = true;
    QTcpSocket *socket = m_socket.data();
    auto *server = qobject_cast<HttpServer *>(parent());
    deleteLater();
    if (!socket)
        return;
    if (!m_keepAlive) {
        socket->disconnectFromHost();
        return;
    }
    // The next pipelined request may already be buffered: answer it after this one's bytes.
    if (server)
        QMetaObject::invokeMethod(
            server,
            [server, socket = QPointer<QTcpSocket>(socket)] {
                if (socket)
                    server->onResponderFinished(socket);
            },
            Qt::QueuedConnection);
}

// ---- HttpServer -----------------------------------------------------------------------------

HttpServer::HttpServer(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
    , m_webSockets(new QWebSocketServer(QStringLiteral("apolo-sandbox"), QWebSocketServer::NonSecureMode, this))
{
    connect(m_server, &QTcpServer::newConnection, this, &HttpServer::onNewConnection);
    connect(m_webSockets, &QWebSocketServer::newConnection, this, [this] {
        while (QWebSocket *socket = m_webSockets->nextPendingConnection()) {
            const HttpRequest request = m_upgradeRequests.take(socket->peerPort());
            if (m_wsHandler)
                m_wsHandler(request, socket);
            else
                socket->close(QWebSocketProtocol::CloseCodeNormal);
        }
    });
}

HttpServer::~HttpServer() = default;

bool HttpServer::listen(const QHostAddress &address, quint16 port)
{
    return m_server->listen(address, port);
}

quint16 HttpServer::port() const
{
    return m_server->serverPort();
}

QString HttpServer::errorString() const
{
    return m_server->errorString();
}

QString HttpServer::baseUrl() const
{
    QString host = m_server->serverAddress().toString();
    if (m_server->serverAddress().protocol() == QAbstractSocket::IPv6Protocol)
        host = u'[' + host + u']';
    return QStringLiteral("http://") + host + u':' + QString::number(port());
}

void HttpServer::setHandler(HttpHandler handler)
{
    m_handler = std::move(handler);
}

void HttpServer::setWebSocketHandler(WebSocketGate gate, WebSocketHandler handler)
{
    m_wsGate = std::move(gate);
    m_wsHandler = std::move(handler);
}

void HttpServer::setWebSocketSubprotocols(const QStringList &protocols)
{
    m_webSockets->setSupportedSubprotocols(protocols);
}

void HttpServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        new Connection(socket);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
}

void HttpServer::onReadyRead(QTcpSocket *socket)
{
    Connection *connection = connectionOf(socket);
    if (!connection || connection->closing)
        return;
    // A WebSocket upgrade must reach QWebSocketServer with its bytes unread, so look before
    // taking anything at the start of a request.
    if (connection->parser.isIdle()) {
        const QByteArray peeked = socket->peek(HttpRequestParser::kMaxHeaderBytes + 4);
        const qsizetype headerEnd = peeked.indexOf("\r\n\r\n");
        if (headerEnd < 0) {
            if (peeked.size() > HttpRequestParser::kMaxHeaderBytes)
                rejectConnection(socket, 431, "request headers too large");
            return; // wait for the complete header block
        }
        HttpRequest request;
        if (HttpRequestParser::parseHead(peeked.left(headerEnd + 4), request) &&
            request.header("upgrade").compare("websocket", Qt::CaseInsensitive) == 0) {
            if (connection->responder)
                return; // answer what came first, then upgrade
            startWebSocket(socket, std::move(request));
            return;
        }
    }
    connection->parser.feed(socket->readAll());
    processBuffered(socket);
}

void HttpServer::onResponderFinished(QTcpSocket *socket)
{
    if (Connection *connection = connectionOf(socket))
        connection->responder = nullptr;
    // The next request may be a WebSocket upgrade still sitting unread in the socket.
    if (socket->bytesAvailable() > 0)
        onReadyRead(socket);
    else
        processBuffered(socket);
}

void HttpServer::processBuffered(QTcpSocket *socket)
{
    Connection *connection = connectionOf(socket);
    if (!connection || connection->closing || connection->responder)
        return;
    HttpRequest request;
    const auto state = connection->parser.next(request);
    if (state == HttpRequestParser::State::NeedMore) {
        if (connection->parser.expectsContinue() && !connection->sentContinue) {
            connection->sentContinue = true;
            socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        }
        return;
    }
    if (state == HttpRequestParser::State::Error) {
        rejectConnection(socket, connection->parser.errorStatus(), connection->parser.errorString());
        return;
    }
    connection->sentContinue = false;
    const QByteArray connectionHeader = request.header("connection").toLower();
    const bool http10 = connection->parser.lastWasHttp10();
    const bool keepAlive = http10 ? connectionHeader.contains("keep-alive") : !connectionHeader.contains("close");
    auto *responder = new HttpResponder(socket, keepAlive, this);
    connection->responder = responder;
    if (!keepAlive)
        connection->closing = true;
    if (m_handler)
        m_handler(request, responder);
    else
        responder->respondError(404, QStringLiteral("no handler"));
}

void HttpServer::rejectConnection(QTcpSocket *socket, int status, const QByteArray &message)
{
    if (Connection *connection = connectionOf(socket))
        connection->closing = true;
    const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("error"), QString::fromUtf8(message)}})
                                .toJson(QJsonDocument::Compact);
    socket->write(statusHead(status, false, {}) + "Content-Type: application/json\r\nContent-Length: " +
                  QByteArray::number(body.size()) + "\r\n\r\n" + body);
    socket->disconnectFromHost();
}

void HttpServer::startWebSocket(QTcpSocket *socket, HttpRequest request)
{
    QByteArray errorJson;
    const int status = m_wsGate ? m_wsGate(request, errorJson) : (m_wsHandler ? 101 : 404);
    if (status >= 400) {
        // The monitoring service reports handshake failures as a plain HTTP error with the JSON
        // body repeated in X-Error, which is all a WebSocket client gets to see.
        socket->read(socket->bytesAvailable());
        if (Connection *connection = connectionOf(socket))
            connection->closing = true;
        const QByteArray oneLine = errorJson.isEmpty() ? QByteArrayLiteral("{\"error\":\"not found\"}") : errorJson;
        socket->write(statusHead(status, false, {{"X-Error", oneLine}}) +
                      "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(oneLine.size()) +
                      "\r\n\r\n" + oneLine);
        socket->disconnectFromHost();
        return;
    }
    if (Connection *connection = connectionOf(socket))
        delete connection;
    socket->disconnect(this);
    disconnect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    m_upgradeRequests.insert(socket->peerPort(), std::move(request));
    socket->setParent(nullptr);
    m_webSockets->handleConnection(socket);
}

} // namespace ApoloDeploy::Sandbox
