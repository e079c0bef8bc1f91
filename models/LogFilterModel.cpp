// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/LogFilterModel.h"

#include "models/LogLineModel.h"

namespace ApoloDeploy {

using Logs::LogLevel;

LogFilterModel::LogFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    // Rows are appended in stream order and never sorted: only filtering is dynamic.
    setDynamicSortFilter(true);
}

void LogFilterModel::setMinimumLevel(LogLevel level)
{
    if (level == m_minimumLevel)
        return;
    m_minimumLevel = level;
    invalidateFilter();
    Q_EMIT filtersChanged();
}

void LogFilterModel::setOrigins(const QSet<QString> &origins)
{
    if (origins == m_origins)
        return;
    m_origins = origins;
    invalidateFilter();
    Q_EMIT filtersChanged();
}

void LogFilterModel::setTextPattern(const QString &pattern, bool caseSensitive)
{
    QRegularExpression regex(pattern, caseSensitive ? QRegularExpression::NoPatternOption
                                                    : QRegularExpression::CaseInsensitiveOption);
    m_patternError.clear();
    if (!pattern.isEmpty() && !regex.isValid()) {
        m_patternError = tr("Not a valid regular expression: %1 (at character %2)")
                             .arg(regex.errorString())
                             .arg(regex.patternErrorOffset());
        regex = QRegularExpression();
    } else if (!pattern.isEmpty()) {
        regex.optimize();
    }
    const bool changed = m_pattern.pattern() != (pattern.isEmpty() ? QString() : regex.pattern());
    m_pattern = pattern.isEmpty() ? QRegularExpression() : regex;
    invalidateFilter();
    if (changed)
        Q_EMIT filtersChanged();
}

bool LogFilterModel::isActive() const
{
    return m_minimumLevel != LogLevel::Unknown || !m_origins.isEmpty() || !m_pattern.pattern().isEmpty();
}

bool LogFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const auto *lines = qobject_cast<const LogLineModel *>(sourceModel());
    if (!lines || sourceParent.isValid())
        return true;
    const Logs::LogLine &line = lines->lineAt(sourceRow);
    const LogLevel level = line.level == LogLevel::Unknown ? LogLevel::Info : line.level;
    if (m_minimumLevel != LogLevel::Unknown && level < m_minimumLevel)
        return false;
    if (!m_origins.isEmpty() && !m_origins.contains(line.job) && !m_origins.contains(line.source))
        return false;
    if (!m_pattern.pattern().isEmpty() && m_pattern.isValid() && !m_pattern.match(line.text).hasMatch())
        return false;
    return true;
}

} // namespace ApoloDeploy
