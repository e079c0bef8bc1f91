// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/LogStreamer.h"

#include "sandbox/HttpServer.h"
#include "sandbox/LogStore.h"

#include <QWebSocket>

namespace ApoloDeploy::Sandbox {

namespace {

constexpr qint64 kBatchBytes = 64 * 1024;
constexpr qint64 kMaxPendingBytes = 512 * 1024;
constexpr int kHeartbeatMs = 30000; // the monitoring service's WebSocket heartbeat

} // namespace

LogStreamer::LogStreamer(LogStore *store, HttpResponder *responder, const Options &options)
    : QObject(responder)
    , m_store(store)
    , m_responder(responder)
    , m_options(options)
{
    connect(responder, &HttpResponder::bytesWritten, this, &LogStreamer::pump);
    init();
}

LogStreamer::LogStreamer(LogStore *store, QWebSocket *socket, const Options &options)
    : QObject(socket)
    , m_store(store)
    , m_socket(socket)
    , m_options(options)
{
    connect(socket, &QWebSocket::bytesWritten, this, &LogStreamer::pump);
    connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
    m_heartbeat.setInterval(kHeartbeatMs);
    connect(&m_heartbeat, &QTimer::timeout, socket, [socket] { socket->ping(); });
    m_heartbeat.start();
    init();
}

void LogStreamer::init()
{
    if (m_store) {
        m_offset = m_options.sinceTimestamp.isEmpty() ? 0 : m_store->seekOffset(m_options.sinceTimestamp);
        connect(m_store, &LogStore::appended, this, &LogStreamer::pump);
    }
    QMetaObject::invokeMethod(this, &LogStreamer::pump, Qt::QueuedConnection);
}

qint64 LogStreamer::pendingBytes() const
{
    if (m_responder)
        return m_responder->pendingBytes();
    return m_socket ? m_socket->bytesToWrite() : 0;
}

void LogStreamer::pump()
{
    if (m_done)
        return;
    if (!m_store || (!m_responder && !m_socket)) {
        finish();
        return;
    }
    while (pendingBytes() < kMaxPendingBytes) {
        const QByteArray records = m_store->read(m_offset, kBatchBytes);
        if (records.isEmpty())
            break;
        m_offset += records.size();
        QByteArray out;
        out.reserve(records.size() + 64);
        qsizetype start = 0;
        while (start < records.size()) {
            const qsizetype end = records.indexOf('\n', start) + 1;
            const QByteArrayView record(records.constData() + start, end - start);
            start = end;
            const QByteArrayView timestamp = record.first(LogStore::kTimestampSize);
            if (!m_options.sinceTimestamp.isEmpty() && timestamp < QByteArrayView(m_options.sinceTimestamp))
                continue;
            const bool archived = timestamp < QByteArrayView(m_options.archiveCutoff);
            if (!archived && !m_separatorDone) {
                m_separatorDone = true;
                if (m_archiveSent && m_options.jobActive)
                    out += m_options.separator + '\n';
            }
            m_archiveSent = m_archiveSent || archived;
            out += m_options.timestamps ? record : record.sliced(LogStore::kRecordPrefixSize);
        }
        send(out);
        if (m_done)
            return;
    }
    if (m_offset < m_store->size())
        return; // the client is slow; bytesWritten resumes us
    if (!m_separatorDone && m_archiveSent && m_options.jobActive && !m_store->isClosed()) {
        // Caught up with the archive: from here on everything is live.
        m_separatorDone = true;
        send(m_options.separator + '\n');
    }
    if (m_store->isClosed())
        finish();
}

void LogStreamer::send(const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return;
    const qint64 limit = m_options.dropAfterBytes;
    if (limit > 0 && m_sent + bytes.size() >= limit) {
        const QByteArray head = bytes.left(limit - m_sent);
        if (m_responder)
            m_responder->writeTruncatedChunk(head, bytes.size());
        else if (m_socket && !head.isEmpty())
            m_socket->sendBinaryMessage(head);
        cut();
        return;
    }
    m_sent += bytes.size();
    if (m_responder)
        m_responder->write(bytes);
    else if (m_socket)
        m_socket->sendBinaryMessage(bytes);
}

void LogStreamer::finish()
{
    m_done = true;
    m_heartbeat.stop();
    if (m_responder)
        m_responder->end();
    if (m_socket)
        m_socket->close(QWebSocketProtocol::CloseCodeNormal);
}

void LogStreamer::cut()
{
    m_done = true;
    m_heartbeat.stop();
    if (m_responder)
        m_responder->abortConnection();
    if (m_socket) {
        m_socket->flush();
        m_socket->abort();
    }
}

} // namespace ApoloDeploy::Sandbox
