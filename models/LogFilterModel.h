// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "logs/LogLine.h"

#include <QRegularExpression>
#include <QSet>
#include <QSortFilterProxyModel>

namespace ApoloDeploy {

// Filters a LogLineModel by minimum level, by origin (job label or process prefix) and by a
// regular expression on the text. Lines without a level (plain program output) count as Info.
class LogFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit LogFilterModel(QObject *parent = nullptr);

    void setMinimumLevel(Logs::LogLevel level);
    Logs::LogLevel minimumLevel() const { return m_minimumLevel; }
    // Empty = every origin. An origin matches a line's job label or its source prefix.
    void setOrigins(const QSet<QString> &origins);
    // Invalid or empty pattern = no text filter; patternError() says why an invalid one was refused.
    void setTextPattern(const QString &pattern, bool caseSensitive = false);
    QString patternError() const { return m_patternError; }
    // Whether any filter is set; a view can show the source model directly when none is.
    bool isActive() const;

Q_SIGNALS:
    void filtersChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    Logs::LogLevel m_minimumLevel = Logs::LogLevel::Unknown;
    QSet<QString> m_origins;
    QRegularExpression m_pattern;
    QString m_patternError;
};

} // namespace ApoloDeploy
