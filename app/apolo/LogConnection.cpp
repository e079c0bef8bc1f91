// SPDX-License-Identifier: GPL-3.0-or-later
#include "apolo/LogConnection.h"

#include "apolo/ApiJson.h"
#include "apolo/ApiUrls.h"
#include "apolo/ApoloLogging.h"

#include <QAbstractSocket>
#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QWebSocket>

namespace ApoloDeploy {

namespace {

ApoloError makeError(ApoloError::Kind kind, const QString &message, const QString &hint = QString())
{
    ApoloError error;
    error.kind = kind;
    error.message = message;
    error.hint = hint;
    return error;
}

// Qt 6.4 reports a refused handshake only as text: "...Unhandled http status code: 403 (Forbidden)."
int handshakeStatus(const QString &errorString)
{
    static const QRegularExpression pattern(QStringLiteral("status code: (\\d{3})"));
    const QRegularExpressionMatch match = pattern.match(errorString);
    return match.hasMatch() ? match.captured(1).toInt() : 0;
}

} // namespace

LogConnection::LogConnection(QNetworkAccessManager *network, Options options, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_options(std::move(options))
    , m_transport(m_options.firstTransport)
{
    m_pingTimer.setInterval(m_options.pingIntervalMs);
    connect(&m_pingTimer, &QTimer::timeout, this, [this] {
        if (!m_socket)
            return;
        if (m_lastPong.msecsTo(QDateTime::currentDateTimeUtc()) > m_options.pongTimeoutMs) {
            finish(makeError(ApoloError::Kind::Network, tr("The log stream stopped answering."),
                             tr("It is reconnected automatically; check your connection if this repeats.")));
            return;
        }
        m_socket->ping();
    });
}

LogConnection::~LogConnection()
{
    teardown();
}

QUrl LogConnection::streamUrl(const Options &options, Transport transport)
{
    ApiUrls::QueryItems query;
    if (options.timestamps)
        query << qMakePair(QStringLiteral("timestamps"), QStringLiteral("true"));
    if (options.since.isValid())
        query << qMakePair(QStringLiteral("since"), ApiJson::formatTimestamp(options.since));
    const QString leaf = transport == Transport::WebSocket ? QStringLiteral("log_ws") : QStringLiteral("log");
    QUrl url = ApiUrls::join(options.monitoringUrl, {options.jobId, leaf}, query);
    if (transport == Transport::WebSocket)
        url.setScheme(url.scheme() == QLatin1String("https") ? QStringLiteral("wss") : QStringLiteral("ws"));
    return url;
}

void LogConnection::open()
{
    if (m_open)
        return;
    m_open = true;
    m_finished = false;
    m_gotFrame = false;
    if (m_options.firstTransport == Transport::WebSocket)
        openWebSocket();
    else
        openHttp();
}

void LogConnection::close()
{
    m_finished = true; // no finished() for a close the owner asked for
    teardown();
    m_open = false;
}

void LogConnection::openWebSocket()
{
    m_transport = Transport::WebSocket;
    QNetworkRequest request(streamUrl(m_options, Transport::WebSocket));
    request.setRawHeader("Authorization", "Bearer " + m_options.accessToken.toUtf8());
    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = socket;
    connect(socket, &QWebSocket::connected, this, [this, socket] {
        limitReceiveBuffer(socket);
        m_gotFrame = true;
        m_lastPong = QDateTime::currentDateTimeUtc();
        m_pingTimer.start();
        Q_EMIT connected(Transport::WebSocket);
    });
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &message) {
        if (!message.isEmpty())
            Q_EMIT bytes(message);
    });
    connect(socket, &QWebSocket::textMessageReceived, this, [this](const QString &) {
        finish(makeError(ApoloError::Kind::Protocol,
                         tr("The log stream sent a text frame; only raw bytes are expected.")));
    });
    connect(socket, &QWebSocket::pong, this, [this] { m_lastPong = QDateTime::currentDateTimeUtc(); });
    connect(socket, &QWebSocket::disconnected, this, [this, socket] {
        if (!m_gotFrame)
            return onWebSocketError();
        const auto code = socket->closeCode();
        if (code == QWebSocketProtocol::CloseCodeNormal || code == QWebSocketProtocol::CloseCodeGoingAway)
            return finish(ApoloError());
        const QString reason = socket->closeReason().isEmpty() ? socket->errorString() : socket->closeReason();
        finish(makeError(ApoloError::Kind::Network, tr("The log stream was interrupted (%1).").arg(reason),
                         tr("Reconnect to continue from the last line.")));
    });
    // Qt 6.4 names the signal error(); errorOccurred() arrived in 6.5.
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError) {
                if (!m_gotFrame)
                    onWebSocketError();
            });
    socket->open(request);
}

void LogConnection::limitReceiveBuffer(QWebSocket *socket)
{
    // Qt 6.4's QWebSocket parses all the frames of one socket read before returning to the event
    // loop. While the GUI thread is busy, the kernel lets megabytes pile up per stream (loopback
    // autotunes to several MB), and reading them held the loop for 50+ ms. A small kernel buffer
    // makes TCP slow the sender instead. QWebSocket's own read buffer must stay unlimited: Qt
    // 6.4.2 never completes a frame larger than it (probed with a 3 MB frame behind 256 KB), and
    // the platform's framing is arbitrary. The TCP socket is QWebSocket's child (not public API):
    // without it, reads are just larger.
    if (m_options.receiveBufferBytes <= 0)
        return;
    if (auto *tcp = socket->findChild<QAbstractSocket *>())
        tcp->setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, m_options.receiveBufferBytes);
}

void LogConnection::onWebSocketError()
{
    if (!m_socket || m_finished)
        return;
    const QString errorString = m_socket->errorString();
    const int status = handshakeStatus(errorString);
    m_socket->disconnect(this);
    m_socket->deleteLater();
    m_socket.clear();
    if (status == 401 || status == 403) {
        finish(ApiJson::parseApiError(status, QByteArray()));
        return;
    }
    if (m_options.allowHttpFallback) {
        qCInfo(lcApolo).noquote() << "log WebSocket failed (" << errorString << "); falling back to chunked HTTP";
        openHttp();
        return;
    }
    finish(status ? ApiJson::parseApiError(status, QByteArray())
                  : makeError(ApoloError::Kind::Network, tr("Cannot open the log stream: %1").arg(errorString)));
}

void LogConnection::openHttp()
{
    m_transport = Transport::ChunkedHttp;
    QNetworkRequest request(streamUrl(m_options, Transport::ChunkedHttp));
    request.setRawHeader("Authorization", "Bearer " + m_options.accessToken.toUtf8());
    request.setRawHeader("Accept-Encoding", "identity");
    // The stream may stay silent for minutes while a job is pending: no inactivity timeout.
    request.setTransferTimeout(0);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *reply = m_network->get(request);
    reply->setParent(this);
    m_reply = reply;
    connect(reply, &QNetworkReply::metaDataChanged, this, [this, reply] {
        if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200 && !m_gotFrame) {
            m_gotFrame = true;
            Q_EMIT connected(Transport::ChunkedHttp);
        }
    });
    connect(reply, &QNetworkReply::readyRead, this, [this, reply] {
        if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200)
            Q_EMIT bytes(reply->readAll());
    });
    connect(reply, &QNetworkReply::finished, this, &LogConnection::onHttpFinished);
}

void LogConnection::onHttpFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply || m_finished)
        return;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 200) {
        const QByteArray rest = reply->readAll();
        if (!rest.isEmpty())
            Q_EMIT bytes(rest);
        if (reply->error() == QNetworkReply::NoError)
            return finish(ApoloError());
        return finish(makeError(ApoloError::Kind::Network,
                                tr("The log stream was interrupted (%1).").arg(reply->errorString()),
                                tr("Reconnect to continue from the last line.")));
    }
    if (status == 0)
        return finish(makeError(ApoloError::Kind::Network,
                                tr("Cannot open the log stream: %1").arg(reply->errorString()),
                                tr("Check your connection and try again.")));
    finish(ApiJson::parseApiError(status, reply->readAll(), reply->rawHeader("X-Error")));
}

void LogConnection::finish(const ApoloError &error)
{
    if (m_finished)
        return;
    m_finished = true;
    teardown();
    m_open = false;
    Q_EMIT finished(error);
}

void LogConnection::teardown()
{
    m_pingTimer.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket.clear();
    }
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply.clear();
    }
}

} // namespace ApoloDeploy
