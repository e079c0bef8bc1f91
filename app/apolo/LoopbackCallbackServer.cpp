// SPDX-License-Identifier: GPL-3.0-or-later
#include "apolo/LoopbackCallbackServer.h"

#include <QTcpServer>
#include <QTcpSocket>

namespace ApoloDeploy {

namespace {

constexpr qsizetype maxRequestBytes = 16 * 1024;

} // namespace

LoopbackCallbackServer::LoopbackCallbackServer(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &LoopbackCallbackServer::onNewConnection);
}

LoopbackCallbackServer::~LoopbackCallbackServer() = default;

bool LoopbackCallbackServer::listen(const QList<quint16> &ports)
{
    QStringList tried;
    for (quint16 port : ports) {
        if (m_server->listen(QHostAddress::LocalHost, port))
            return true;
        tried << QString::number(port);
    }
    m_error = tr("No free port for the sign-in callback on 127.0.0.1 (tried %1). Close the program using them, or "
                 "sign in with a token.")
                  .arg(tried.join(QStringLiteral(", ")));
    return false;
}

quint16 LoopbackCallbackServer::port() const
{
    return m_server->serverPort();
}

QUrl LoopbackCallbackServer::redirectUri() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port());
    return url; // no path: "http://127.0.0.1:54540" exactly as registered
}

void LoopbackCallbackServer::close()
{
    m_server->close();
}

void LoopbackCallbackServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            socket->deleteLater();
        });
    }
}

void LoopbackCallbackServer::onReadyRead(QTcpSocket *socket)
{
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    if (buffer.size() > maxRequestBytes) {
        respond(socket, 431, "Request Header Fields Too Large", "Request too large.");
        return;
    }
    if (!buffer.contains("\r\n\r\n"))
        return; // the headers are not complete yet
    const QList<QByteArray> requestLine = buffer.left(buffer.indexOf("\r\n")).split(' ');
    if (requestLine.size() < 3 || requestLine.at(0) != "GET") {
        respond(socket, 405, "Method Not Allowed", "Only GET is served here.");
        return;
    }
    const QUrl target(QString::fromLatin1(requestLine.at(1)), QUrl::StrictMode);
    if (target.path() != QLatin1String("/") && !target.path().isEmpty()) {
        respond(socket, 404, "Not Found", "Not found.");
        return;
    }
    const QUrlQuery query(target);
    if (m_answered) {
        respond(socket, 410, "Gone", "This sign-in has already been completed. You can close this window.");
        return;
    }
    if (query.hasQueryItem(QStringLiteral("error"))) {
        const QString error = query.queryItemValue(QStringLiteral("error"), QUrl::FullyDecoded);
        const int status = error == QLatin1String("unauthorized")    ? 401
                           : error == QLatin1String("access_denied") ? 403
                                                                     : 400;
        m_answered = true;
        respond(socket, status,
                status == 401   ? "Unauthorized"
                : status == 403 ? "Forbidden"
                                : "Bad Request",
                tr("Sign-in failed: %1. You can close this window.")
                    .arg(query.queryItemValue(QStringLiteral("error_description"), QUrl::FullyDecoded).isEmpty()
                             ? error
                             : query.queryItemValue(QStringLiteral("error_description"), QUrl::FullyDecoded))
                    .toUtf8());
        Q_EMIT callbackReceived(query);
        return;
    }
    if (!query.hasQueryItem(QStringLiteral("code"))) {
        respond(socket, 400, "Bad Request", "The sign-in callback has no code.");
        return;
    }
    m_answered = true;
    if (m_successRedirect.isValid())
        respond(socket, 302, "Found", QByteArray(), m_successRedirect.toEncoded());
    else
        respond(socket, 200, "OK", tr("Signed in to Apolo. You can close this window.").toUtf8());
    Q_EMIT callbackReceived(query);
}

void LoopbackCallbackServer::respond(QTcpSocket *socket, int status, const QByteArray &reason, const QByteArray &body,
                                     const QByteArray &location)
{
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
    if (!location.isEmpty())
        response += "Location: " + location + "\r\n";
    response += "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + QByteArray::number(body.size()) +
                "\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n" + body;
    socket->write(response);
    socket->disconnectFromHost();
    m_buffers.remove(socket);
}

} // namespace ApoloDeploy
