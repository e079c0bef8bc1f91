// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/SseDecoder.h"

#include <QCoreApplication>

#include <algorithm>

namespace ApoloDeploy {

namespace {

constexpr char utf8Bom[] = "\xEF\xBB\xBF";

bool isAsciiDigits(QByteArrayView value)
{
    return !value.isEmpty() && std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace

SseDecoder::SseDecoder(qsizetype maxEventBytes)
    : m_maxEventBytes(maxEventBytes)
{}

QList<SseEvent> SseDecoder::feed(QByteArrayView bytes)
{
    QList<SseEvent> events;
    if (hasError())
        return events;

    // The BOM may itself arrive split over reads, so hold the first bytes back until we know.
    if (!m_bomChecked) {
        m_bomProbe.append(bytes.data(), bytes.size());
        const QByteArrayView bom(utf8Bom, 3);
        const qsizetype probeLength = std::min<qsizetype>(m_bomProbe.size(), 3);
        if (QByteArrayView(m_bomProbe).first(probeLength) != bom.first(probeLength))
            m_bomChecked = true;
        else if (m_bomProbe.size() >= 3) {
            m_bomChecked = true;
            m_bomProbe.remove(0, 3);
        }
        if (!m_bomChecked)
            return events;
        const QByteArray rest = std::exchange(m_bomProbe, QByteArray());
        return feed(rest);
    }

    const char *const end = bytes.data() + bytes.size();
    const char *cursor = bytes.data();
    while (cursor < end) {
        if (m_lastWasCr) {
            m_lastWasCr = false;
            if (*cursor == '\n') {
                ++cursor;
                continue;
            }
        }
        const char *lineEnd = std::find_if(cursor, end, [](char c) { return c == '\n' || c == '\r'; });
        if (m_line.size() + (lineEnd - cursor) > m_maxEventBytes) {
            m_error = QCoreApplication::translate("SseDecoder", "The server sent a stream line longer than %1 MiB; "
                                                                "this is not an OpenAI-compatible event stream.")
                          .arg(m_maxEventBytes / (1024 * 1024));
            return events;
        }
        if (lineEnd == end) {
            m_line.append(cursor, end - cursor);
            break;
        }
        m_lastWasCr = *lineEnd == '\r';
        if (m_line.isEmpty()) {
            processLine(QByteArrayView(cursor, lineEnd - cursor), events);
        } else {
            m_line.append(cursor, lineEnd - cursor);
            processLine(m_line, events);
            m_line.clear();
        }
        if (hasError())
            return events;
        cursor = lineEnd + 1;
    }
    return events;
}

bool SseDecoder::hasPartialEvent() const
{
    return !m_line.isEmpty() || !m_data.isEmpty();
}

void SseDecoder::processLine(QByteArrayView line, QList<SseEvent> &out)
{
    if (line.isEmpty()) {
        dispatch(out);
        return;
    }
    if (line.front() == ':')
        return; // a comment, e.g. a keep-alive heartbeat
    const qsizetype colon = line.indexOf(':');
    const QByteArrayView field = colon < 0 ? line : line.first(colon);
    QByteArrayView value = colon < 0 ? QByteArrayView() : line.sliced(colon + 1);
    if (value.startsWith(' '))
        value = value.sliced(1);

    if (field == "data") {
        if (m_data.size() + value.size() > m_maxEventBytes) {
            m_error = QCoreApplication::translate("SseDecoder", "The server sent an event larger than %1 MiB.")
                          .arg(m_maxEventBytes / (1024 * 1024));
            return;
        }
        m_data += QString::fromUtf8(value);
        m_data += QLatin1Char('\n');
    } else if (field == "event") {
        m_eventType = QString::fromUtf8(value);
    } else if (field == "id") {
        if (!value.contains('\0'))
            m_lastEventId = QString::fromUtf8(value);
    } else if (field == "retry") {
        bool ok = false;
        const int retry = isAsciiDigits(value) ? value.toByteArray().toInt(&ok) : 0;
        if (ok)
            m_retry = retry;
    }
    // Any other field name is ignored, as the standard requires.
}

void SseDecoder::dispatch(QList<SseEvent> &out)
{
    if (m_data.isEmpty()) {
        m_eventType.clear();
        return;
    }
    m_data.chop(1); // the '\n' appended after the last data line
    SseEvent event;
    if (!m_eventType.isEmpty())
        event.type = m_eventType;
    event.data = std::exchange(m_data, QString());
    event.lastEventId = m_lastEventId;
    event.retryMs = std::exchange(m_retry, std::nullopt);
    m_eventType.clear();
    out.append(std::move(event));
}

} // namespace ApoloDeploy
