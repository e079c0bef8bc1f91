// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "logs/LogLine.h"

#include <QAbstractListModel>
#include <QElapsedTimer>
#include <QList>
#include <QTimer>

namespace ApoloDeploy {

// The log lines a view shows: a ring buffer capped at `cap` lines (Settings LogViewCap, 100k by
// default) so memory stays flat however long the job runs. appendLines() only queues; the
// queue reaches the view once per flush interval (<= 10 per second), never per line. A flush of
// more than linesPerStep lines (a fast stream fills the whole cap in 100 ms) goes on over the next
// event-loop turns in steps of that size, so the event loop never waits on one huge insert.
// When the cap pushes old lines out, droppedLines() counts them ("buffer truncated").
class LogLineModel final : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role {
        TextRole = Qt::UserRole + 1, // QString: the line without timestamp and prefix
        TimestampRole,               // qint64 ns since the epoch, 0 = none
        JobRole,                     // QString: the job's label
        SourceRole,                  // QString: the process prefix
        LevelRole,                   // int (Logs::LogLevel)
        LineNumberRole,              // qint64 within its job's stream
        RepeatRole,                  // int, > 1 for Ray's deduplicated lines
    };

    static constexpr int defaultCap = 100000;
    static constexpr int defaultFlushIntervalMs = 100;
    static constexpr int linesPerStep = 8192;

    explicit LogLineModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    const Logs::LogLine &lineAt(int row) const;
    // "HH:MM:SS.mmm  [job source]  text", what Copy puts on the clipboard.
    static QString formatLine(const Logs::LogLine &line, bool withTimestamp);

    void appendLines(const QList<Logs::LogLine> &lines);
    // Moves all queued lines into the model now (tests, and before a search).
    void flush();
    void clear();

    int cap() const { return m_cap; }
    void setCap(int cap);
    void setFlushInterval(int milliseconds) { m_flushTimer.setInterval(milliseconds); }
    qint64 droppedLines() const { return m_dropped; }
    qint64 queuedLines() const { return m_queue.size(); }

Q_SIGNALS:
    // After each flush: how many lines arrived, and the new total dropped by the cap.
    void linesFlushed(int added, qint64 droppedTotal);

private:
    int physical(int row) const;
    void flushStep();
    void insertQueued(int count); // the first count queued lines

    QList<Logs::LogLine> m_ring;
    // Until it holds `cap` lines the ring is a plain list (row == index, m_head == 0); from then
    // on m_head is the physical index of row 0.
    int m_head = 0;
    int m_count = 0;
    int m_cap = defaultCap;
    qint64 m_dropped = 0;
    QList<Logs::LogLine> m_queue;
    QTimer m_flushTimer;
    QTimer m_stepTimer;      // the rest of a flush, on the next turn
    int m_stepRemaining = 0; // lines of the current flush still to insert
};

} // namespace ApoloDeploy
