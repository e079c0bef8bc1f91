// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace ApoloDeploy {

// One dispatched server-sent event.
struct SseEvent
{
    QString type = QStringLiteral("message"); // the "event:" field, "message" when absent
    QString data;                             // "data:" lines joined with '\n'
    QString lastEventId;                      // the last "id:" seen on the stream (it persists)
    std::optional<int> retryMs;               // a valid "retry:" field in this event

    bool operator==(const SseEvent &other) const = default;
};

// Incremental text/event-stream parser following the WHATWG HTML "server-sent events" rules:
// lines end in CRLF, LF or CR (a CR at the end of one read may be followed by the LF in the
// next), a leading UTF-8 BOM is skipped, ':' starts a comment, "data:" lines accumulate, a blank
// line dispatches, an event with no data is dropped. Bytes can be split anywhere, including
// inside a multi-byte UTF-8 character: lines are decoded only once complete, and CR/LF never
// occur inside a UTF-8 sequence.
//
// Pure: no I/O, no Qt event loop. Memory is bounded: a line longer than maxLineBytes, or an
// event whose data grows past maxEventBytes, puts the decoder in the error state.
class SseDecoder
{
public:
    static constexpr qsizetype defaultMaxEventBytes = 16 * 1024 * 1024;

    explicit SseDecoder(qsizetype maxEventBytes = defaultMaxEventBytes);

    // Feeds the next bytes of the stream; returns the events completed by them.
    QList<SseEvent> feed(QByteArrayView bytes);
    // The stream ended. Per the standard an unterminated last event is discarded, so this only
    // reports whether such a partial event was pending (for "connection closed mid-event").
    bool hasPartialEvent() const;

    bool hasError() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }

private:
    void processLine(QByteArrayView line, QList<SseEvent> &out);
    void dispatch(QList<SseEvent> &out);

    qsizetype m_maxEventBytes;
    QByteArray m_line;        // bytes of the current, incomplete line
    bool m_lastWasCr = false; // the previous byte ended a line with CR: swallow one LF
    bool m_bomChecked = false;
    QByteArray m_bomProbe; // the first bytes, until we know whether they are a BOM
    QString m_eventType;
    QString m_data;
    bool m_hasData = false;
    QString m_lastEventId;
    std::optional<int> m_retry;
    QString m_error;
};

} // namespace ApoloDeploy
