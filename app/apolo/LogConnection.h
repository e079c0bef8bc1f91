// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apolo/ApoloError.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;
class QWebSocket;

namespace ApoloDeploy {

// Transport to one job's log stream (§5.1): raw bytes in, nothing else. Resume, dedupe and line
// assembly live in app/logs on top of it.
//
// Contract:
//   - open() connects a QWebSocket to {monitoring_url}/{job_id}/log_ws?timestamps=true[&since=…]
//     with "Authorization: Bearer" in the handshake request, pings every 10 s (the server drops
//     silent sockets after 30 s) and emits every BINARY frame as `bytes` (arbitrary chunking, not
//     line aligned; empty frames skipped). A TEXT frame is a protocol error.
//   - If the handshake fails with anything but 401/403, it falls back once to the chunked
//     GET {monitoring_url}/{job_id}/log with the same query (no inactivity timeout).
//   - With timestamps=true every line starts "YYYY-MM-DDTHH:MM:SS.fffffffffZ " (archive lines
//     6 fraction digits, live lines up to 9). The server first replays archived logs, then (only
//     if it sent any) one separator line, then follows the live log.
//   - `since` filters on those timestamps server side (inclusive: lines at exactly `since` come
//     again, so a resuming reader drops lines <= the last one it kept). Sent as ISO-8601 UTC with
//     the fraction digits of the QDateTime (milliseconds) and `Z`.
//   - finished() is emitted exactly once: error.kind == None when the server closed the stream
//     normally (the container ended and everything was flushed); otherwise the failure. After a
//     clean end, GET the job to learn whether it is still active before reconnecting.
//   - close() stops without emitting finished().
// Qt 6.4's QWebSocket does not expose handshake response headers, so X-Error cannot be read on
// the WebSocket path; the HTTP fallback reads the same error as a normal JSON body.
class LogConnection final : public QObject
{
    Q_OBJECT

public:
    enum class Transport { WebSocket, ChunkedHttp };
    Q_ENUM(Transport)

    struct Options
    {
        QUrl monitoringUrl; // the cluster's monitoring_url (…/api/v1/jobs)
        QString jobId;
        QString accessToken;
        QDateTime since; // invalid = from the job's creation
        bool timestamps = true;
        bool allowHttpFallback = true;
        Transport firstTransport = Transport::WebSocket;
        int pingIntervalMs = 10000;
        // The server heartbeats at 30 s; no pong for this long = connection lost.
        int pongTimeoutMs = 45000;
        // Kernel receive buffer of the WebSocket (SO_RCVBUF; Linux doubles it), 0 = system default.
        // Bounds what one read hands to the GUI thread; see limitReceiveBuffer(). 1 MB brought the
        // bench's worst stall back to 60-75 ms. It also caps one stream's rate at about the buffer per
        // round trip (~10 MB/s, 70k lines/s, at 50 ms): far above what a vLLM server prints.
        int receiveBufferBytes = 256 * 1024;
    };

    LogConnection(QNetworkAccessManager *network, Options options, QObject *parent = nullptr);
    ~LogConnection() override;

    void open();
    void close();
    bool isOpen() const { return m_open; }
    Transport transport() const { return m_transport; }
    const Options &options() const { return m_options; }

    // The URLs used for a given transport (exposed for tests and diagnostics).
    static QUrl streamUrl(const Options &options, Transport transport);

Q_SIGNALS:
    void connected(ApoloDeploy::LogConnection::Transport transport);
    void bytes(const QByteArray &chunk);
    void finished(const ApoloDeploy::ApoloError &error);

private:
    void openWebSocket();
    void openHttp();
    void onWebSocketError();
    void limitReceiveBuffer(QWebSocket *socket);
    void onHttpFinished();
    void finish(const ApoloError &error);
    void teardown();

    QNetworkAccessManager *m_network;
    Options m_options;
    Transport m_transport = Transport::WebSocket;
    QPointer<QWebSocket> m_socket;
    QPointer<QNetworkReply> m_reply;
    QTimer m_pingTimer;
    QDateTime m_lastPong;
    bool m_open = false;
    bool m_gotFrame = false;
    bool m_finished = false;
};

} // namespace ApoloDeploy
