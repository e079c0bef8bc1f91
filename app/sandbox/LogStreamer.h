// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

class QWebSocket;

namespace ApoloDeploy::Sandbox {

class HttpResponder;
class LogStore;

// Serves one log stream the way platform-monitoring does: replays what the job printed since
// `since`, then (only if some archived output went out and the job is still active) one
// separator line, then follows live output; ends when the log is complete and flushed.
// Output goes to a chunked HTTP response or to BINARY WebSocket frames; reading pauses while
// the client is slow (backpressure) and the drop-logs fault cuts the connection.
class LogStreamer final : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        bool timestamps = false;
        QByteArray sinceTimestamp; // log timestamp format; empty = from the start
        QByteArray archiveCutoff;  // lines older than this count as archived
        QByteArray separator;
        bool jobActive = false;    // at connect time
        qint64 dropAfterBytes = 0; // fault: cut after this many bytes, 0 = never
    };

    LogStreamer(LogStore *store, HttpResponder *responder, const Options &options);
    LogStreamer(LogStore *store, QWebSocket *socket, const Options &options);

private:
    void init();
    void pump();
    qint64 pendingBytes() const;
    void send(const QByteArray &bytes);
    void finish();
    void cut();

    QPointer<LogStore> m_store;
    QPointer<HttpResponder> m_responder;
    QPointer<QWebSocket> m_socket;
    Options m_options;
    qint64 m_offset = 0;
    qint64 m_sent = 0;
    bool m_archiveSent = false;
    bool m_separatorDone = false;
    bool m_done = false;
    QTimer m_heartbeat;
};

} // namespace ApoloDeploy::Sandbox
