// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/LogLineModel.h"

#include "logs/LineNormalizer.h"

#include <QDateTime>

namespace ApoloDeploy {

using Logs::LogLine;

LogLineModel::LogLineModel(QObject *parent)
    : QAbstractListModel(parent)
{
    m_flushTimer.setInterval(defaultFlushIntervalMs);
    m_flushTimer.setSingleShot(true);
    connect(&m_flushTimer, &QTimer::timeout, this, [this] {
        m_stepRemaining = int(m_queue.size()); // what arrives meanwhile waits for the next interval
        flushStep();
    });
    m_stepTimer.setInterval(0);
    m_stepTimer.setSingleShot(true);
    connect(&m_stepTimer, &QTimer::timeout, this, &LogLineModel::flushStep);
}

int LogLineModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_count;
}

int LogLineModel::physical(int row) const
{
    return m_ring.size() < m_cap ? row : (m_head + row) % int(m_ring.size());
}

const LogLine &LogLineModel::lineAt(int row) const
{
    return m_ring.at(physical(row));
}

QString LogLineModel::formatLine(const LogLine &line, bool withTimestamp)
{
    QString out;
    if (withTimestamp && line.timestampNs > 0)
        out += QDateTime::fromMSecsSinceEpoch(line.timestampNs / 1'000'000).toString(QStringLiteral("HH:mm:ss.zzz  "));
    const QString origin = line.source.isEmpty() ? line.job
                           : line.job.isEmpty()  ? line.source
                                                 : line.job + QStringLiteral(" · ") + line.source;
    if (!origin.isEmpty())
        out += QLatin1Char('[') + origin + QStringLiteral("]  ");
    out += line.text;
    if (line.repeat > 1)
        out += QStringLiteral("  ×%1").arg(line.repeat);
    return out;
}

QVariant LogLineModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LogLine &line = lineAt(index.row());
    switch (role) {
    case Qt::DisplayRole: return formatLine(line, true);
    case Qt::ToolTipRole:
        return line.timestampNs > 0 ? Logs::LineNormalizer::formatPlatformTimestamp(line.timestampNs) : QVariant();
    case TextRole: return line.text;
    case TimestampRole: return line.timestampNs;
    case JobRole: return line.job;
    case SourceRole: return line.source;
    case LevelRole: return int(line.level);
    case LineNumberRole: return line.number;
    case RepeatRole: return int(line.repeat);
    default: return {};
    }
}

QHash<int, QByteArray> LogLineModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(TextRole, "text");
    names.insert(TimestampRole, "timestamp");
    names.insert(JobRole, "job");
    names.insert(SourceRole, "source");
    names.insert(LevelRole, "level");
    names.insert(LineNumberRole, "lineNumber");
    names.insert(RepeatRole, "repeat");
    return names;
}

void LogLineModel::appendLines(const QList<LogLine> &lines)
{
    if (lines.isEmpty())
        return;
    m_queue.append(lines);
    // The queue itself is capped: lines that would be pushed out at the next flush anyway are
    // dropped now, so a burst between two flushes cannot grow memory past the cap.
    if (m_queue.size() > m_cap) {
        const qsizetype excess = m_queue.size() - m_cap;
        m_queue.remove(0, excess);
        m_dropped += excess;
    }
    if (!m_flushTimer.isActive() && !m_stepTimer.isActive())
        m_flushTimer.start();
}

void LogLineModel::flush()
{
    m_flushTimer.stop();
    m_stepTimer.stop();
    while (!m_queue.isEmpty())
        insertQueued(int(qMin<qsizetype>(m_queue.size(), linesPerStep)));
}

void LogLineModel::flushStep()
{
    const int count = int(qMin<qsizetype>(qMin(m_stepRemaining, linesPerStep), m_queue.size()));
    insertQueued(count);
    m_stepRemaining -= count;
    if (m_stepRemaining > 0 && !m_queue.isEmpty())
        m_stepTimer.start();
    else if (!m_queue.isEmpty())
        m_flushTimer.start();
}

void LogLineModel::insertQueued(int added)
{
    if (added <= 0)
        return;
    const int overflow = m_count + added - m_cap;
    if (overflow > 0) {
        // Old rows leave from the top before the new ones are appended: two signals per flush.
        beginRemoveRows({}, 0, overflow - 1);
        if (m_ring.size() < m_cap) {
            m_ring.remove(0, overflow); // still growing: a plain list with row == index
        } else {
            for (int i = 0; i < overflow; ++i) {
                m_ring[m_head] = LogLine(); // free the text now, not when the slot is reused
                m_head = (m_head + 1) % m_cap;
            }
        }
        m_count -= overflow;
        m_dropped += overflow;
        endRemoveRows();
    }
    beginInsertRows({}, m_count, m_count + added - 1);
    for (int i = 0; i < added; ++i) {
        LogLine &line = m_queue[i];
        if (m_ring.size() < m_cap)
            m_ring.append(std::move(line));
        else
            m_ring[(m_head + m_count) % m_cap] = std::move(line);
        ++m_count;
    }
    endInsertRows();
    m_queue.remove(0, added); // cheap: a QList erases at its front by moving its start
    Q_EMIT linesFlushed(added, m_dropped);
}

void LogLineModel::clear()
{
    beginResetModel();
    m_flushTimer.stop();
    m_stepTimer.stop();
    m_ring.clear();
    m_queue.clear();
    m_head = 0;
    m_count = 0;
    m_dropped = 0;
    endResetModel();
}

void LogLineModel::setCap(int cap)
{
    cap = qMax(1000, cap);
    if (cap == m_cap)
        return;
    beginResetModel();
    QList<LogLine> ordered;
    ordered.reserve(qMin<qsizetype>(m_ring.size(), cap));
    const int keepFrom = qMax(0, m_count - cap);
    for (int row = keepFrom; row < m_count; ++row)
        ordered.append(std::move(m_ring[physical(row)]));
    m_dropped += keepFrom;
    m_ring = std::move(ordered);
    m_head = 0;
    m_count = int(m_ring.size());
    m_cap = cap;
    endResetModel();
}

} // namespace ApoloDeploy
