// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QObject>
#include <QPair>

namespace ApoloDeploy::Sandbox {

// The complete output of one job, bounded in memory: every line goes to a spill file as a
// record "<30-char log timestamp> <bytes>\n"; the newest bytes also stay in a small in-memory
// ring so live followers rarely touch the disk. A sparse index (every kIndexStride records)
// lets `since` seek without scanning a million lines.
class LogStore final : public QObject
{
    Q_OBJECT

public:
    static constexpr qsizetype kTimestampSize = 30; // "2026-05-01T10:00:00.123456789Z"
    static constexpr qsizetype kRecordPrefixSize = kTimestampSize + 1;
    static constexpr qsizetype kRingBytes = 1024 * 1024;
    static constexpr int kIndexStride = 1024;

    // filePath: where the records live (reopened and appended to if it exists).
    explicit LogStore(const QString &filePath, QObject *parent = nullptr);
    ~LogStore() override;

    // Raw container output, not line aligned; a partial line waits for its end (or close()).
    void append(const QByteArray &bytes, qint64 timestampNs);
    // The container ended: flushes a partial line and marks the log complete.
    void close(qint64 timestampNs);
    // A restarted container writes again.
    void reopen() { m_closed = false; }
    bool isClosed() const { return m_closed; }
    qint64 size() const { return m_size; }
    qint64 lineCount() const { return m_lines; }

    // Whole records starting at offset (which must be a record boundary), about maxBytes.
    QByteArray read(qint64 offset, qint64 maxBytes) const;
    // A record boundary at or before the first record with timestamp >= since (a log timestamp).
    qint64 seekOffset(const QByteArray &sinceTimestamp) const;

Q_SIGNALS:
    void appended();

private:
    void writeRecord(const QByteArray &line, const QByteArray &timestamp);

    QFile m_file;
    mutable QFile m_reader;
    QByteArray m_ring;      // the last bytes of the file
    qint64 m_ringStart = 0; // file offset of m_ring[0]
    qint64 m_size = 0;
    qint64 m_lines = 0;
    QByteArray m_partial;
    QList<QPair<QByteArray, qint64>> m_index; // (timestamp, offset) every kIndexStride records
    bool m_closed = false;
};

} // namespace ApoloDeploy::Sandbox
