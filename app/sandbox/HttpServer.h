// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QJsonValue>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QStringList>
#include <QUrlQuery>

#include <functional>

class QTcpServer;
class QTcpSocket;
class QWebSocket;
class QWebSocketServer;

namespace ApoloDeploy::Sandbox {

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

// One parsed HTTP/1.1 request.
struct HttpRequest
{
    QByteArray method;                     // "GET", "POST", …
    QByteArray target;                     // raw request target, e.g. "/api/v1/jobs?from_preset"
    QString path;                          // percent-decoded path without the query
    QUrlQuery query;                       // note: a bare key ("from_preset") is present with an empty value
    QHash<QByteArray, QByteArray> headers; // names lower-cased
    QByteArray body;                       // de-chunked

    QByteArray header(const QByteArray &lowerCaseName) const { return headers.value(lowerCaseName); }
    // The bearer token from "Authorization: Bearer X" (or the neuro-auth-token query item).
    QByteArray bearerToken() const;
};

// Answers one request, either at once (respond*) or as a chunked stream (beginStream, write, end).
// Owned by the server; it is deleted after end()/respond*() or when the client disconnects, so
// keep it in a QPointer when answering later.
class HttpResponder final : public QObject
{
    Q_OBJECT

public:
    void respond(int status, const QByteArray &contentType, const QByteArray &body, const HttpHeaders &headers = {});
    void respondJson(int status, const QJsonValue &json, const HttpHeaders &headers = {});
    // {"error": message}: the platform's error shape.
    void respondError(int status, const QString &message);

    void beginStream(int status, const QByteArray &contentType, const HttpHeaders &headers = {});
    void write(const QByteArray &chunk); // one HTTP chunk; empty chunks are skipped
    void end();
    // Drops the connection without finishing the response (fault injection: "stream cut").
    void abortConnection();
    // Fault injection: a chunk whose size line is not hexadecimal (follow with abortConnection()).
    void writeMalformedChunk();
    // Fault injection: a chunk announced with declaredSize bytes of which only `part` is sent
    // (follow with abortConnection()), so the client sees a cut in the middle of a chunk.
    void writeTruncatedChunk(const QByteArray &part, qint64 declaredSize);

    bool isConnected() const;
    // Bytes queued in the socket but not yet sent: producers pause above a threshold.
    qint64 pendingBytes() const;

Q_SIGNALS:
    void disconnected();
    void bytesWritten();

private:
    friend class HttpServer;
    explicit HttpResponder(QTcpSocket *socket, bool keepAlive, QObject *parent);
    void writeRaw(const QByteArray &bytes);
    void finished();

    QPointer<QTcpSocket> m_socket;
    bool m_keepAlive = true;
    bool m_streaming = false;
    bool m_done = false;
};

using HttpHandler = std::function<void(const HttpRequest &request, HttpResponder *responder)>;
// Called for a request that asks to upgrade to WebSocket, after the handshake succeeded.
using WebSocketHandler = std::function<void(const HttpRequest &request, QWebSocket *socket)>;

// A small HTTP/1.1 server on loopback (keep-alive, chunked requests and responses, WebSocket
// upgrade). Enough for the sandbox; not a general purpose web server.
class HttpServer final : public QObject
{
    Q_OBJECT

public:
    explicit HttpServer(QObject *parent = nullptr);
    ~HttpServer() override;

    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    quint16 port() const;
    QString errorString() const;
    // "http://127.0.0.1:<port>"
    QString baseUrl() const;

    void setHandler(HttpHandler handler);
    // A handler may refuse the upgrade before the handshake (e.g. wrong token or unknown job) by
    // returning a status >= 400 and a JSON body; it is then sent with the X-Error header as the
    // monitoring service does.
    using WebSocketGate = std::function<int(const HttpRequest &request, QByteArray &errorJson)>;
    void setWebSocketHandler(WebSocketGate gate, WebSocketHandler handler);
    // Subprotocols the server may select (e.g. "logs.apolo.us"); clients may omit them.
    void setWebSocketSubprotocols(const QStringList &protocols);

private:
    friend class HttpResponder;
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void onResponderFinished(QTcpSocket *socket);
    void processBuffered(QTcpSocket *socket);
    void rejectConnection(QTcpSocket *socket, int status, const QByteArray &message);
    void startWebSocket(QTcpSocket *socket, HttpRequest request);

    QTcpServer *m_server = nullptr;
    QWebSocketServer *m_webSockets = nullptr;
    HttpHandler m_handler;
    WebSocketGate m_wsGate;
    WebSocketHandler m_wsHandler;
    QHash<quint16, HttpRequest> m_upgradeRequests; // by client port, until the handshake completes
};

} // namespace ApoloDeploy::Sandbox
