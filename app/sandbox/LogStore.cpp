// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/LogStore.h"

#include "sandbox/SandboxLogging.h"
#include "sandbox/SimClock.h"

#include <algorithm>

namespace ApoloDeploy::Sandbox {

LogStore::LogStore(const QString &filePath, QObject *parent)
    : QObject(parent)
    , m_file(filePath)
    , m_reader(filePath)
{
    if (!m_file.open(QIODevice::ReadWrite | QIODevice::Append))
        qCWarning(lcSandbox) << "cannot open log file" << filePath << m_file.errorString();
    // A log left by an earlier run (--state): rebuild size, line count and index from it.
    m_size = m_file.size();
    if (m_size > 0 && m_reader.open(QIODevice::ReadOnly)) {
        qint64 offset = 0;
        while (!m_reader.atEnd()) {
            const QByteArray line = m_reader.readLine();
            if (m_lines % kIndexStride == 0)
                m_index.append({line.left(kTimestampSize), offset});
            offset += line.size();
            ++m_lines;
        }
        m_reader.close();
        m_ringStart = m_size;
    }
}

LogStore::~LogStore() = default;

void LogStore::append(const QByteArray &bytes, qint64 timestampNs)
{
    if (bytes.isEmpty())
        return;
    m_partial += bytes;
    qsizetype start = 0;
    bool wrote = false;
    const QByteArray timestamp = SimClock::logTimestamp(timestampNs); // one chunk of output, one time
    for (qsizetype newline = m_partial.indexOf('\n'); newline >= 0; newline = m_partial.indexOf('\n', start)) {
        writeRecord(m_partial.mid(start, newline - start), timestamp);
        start = newline + 1;
        wrote = true;
    }
    m_partial.remove(0, start);
    if (wrote) {
        m_file.flush();
        Q_EMIT appended();
    }
}

void LogStore::close(qint64 timestampNs)
{
    if (!m_partial.isEmpty()) {
        writeRecord(m_partial, SimClock::logTimestamp(timestampNs));
        m_partial.clear();
        m_file.flush();
    }
    m_closed = true;
    Q_EMIT appended();
}

void LogStore::writeRecord(const QByteArray &line, const QByteArray &timestamp)
{
    if (m_lines % kIndexStride == 0)
        m_index.append({timestamp, m_size});
    const QByteArray record = timestamp + ' ' + line + '\n';
    m_file.write(record);
    if (m_ring.size() + record.size() > kRingBytes) {
        // Drop whole records from the front so the ring always starts at a record boundary.
        qsizetype cut = m_ring.size() + record.size() - kRingBytes;
        const qsizetype boundary = m_ring.indexOf('\n', cut - 1);
        cut = boundary < 0 ? m_ring.size() : boundary + 1;
        m_ring.remove(0, cut);
        m_ringStart += cut;
    }
    if (m_ring.isEmpty())
        m_ringStart = m_size;
    m_ring += record;
    m_size += record.size();
    ++m_lines;
}

QByteArray LogStore::read(qint64 offset, qint64 maxBytes) const
{
    if (offset >= m_size)
        return {};
    QByteArray bytes;
    if (offset >= m_ringStart && !m_ring.isEmpty()) {
        bytes = m_ring.mid(offset - m_ringStart, maxBytes);
    } else {
        if (!m_reader.isOpen() && !m_reader.open(QIODevice::ReadOnly))
            return {};
        m_reader.seek(offset);
        bytes = m_reader.read(std::min(maxBytes, m_size - offset));
    }
    // Whole records only; a single record longer than maxBytes is returned whole.
    const qsizetype lastNewline = bytes.lastIndexOf('\n');
    if (lastNewline >= 0) {
        bytes.truncate(lastNewline + 1);
        return bytes;
    }
    return read(offset, maxBytes * 2);
}

qint64 LogStore::seekOffset(const QByteArray &sinceTimestamp) const
{
    // The last indexed record that is still older than `since`: everything before it is too.
    auto it = std::lower_bound(
        m_index.cbegin(), m_index.cend(), sinceTimestamp,
        [](const QPair<QByteArray, qint64> &entry, const QByteArray &since) { return entry.first < since; });
    if (it == m_index.cbegin())
        return 0;
    return std::prev(it)->second;
}

} // namespace ApoloDeploy::Sandbox
