// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "planner/PresetComparison.h"

#include <QAbstractTableModel>
#include <QList>

namespace ApoloDeploy {

// The preset comparison table: one row per GPU preset (fits?, nodes needed, max context,
// credits/h). Qt::DisplayRole is formatted text; SortRole holds numbers so a proxy sorts
// numerically ("9" before "10", unknown prices last).
class PresetComparisonModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        Preset,
        Gpu,
        GpusPerNode,
        Fits,
        NodesNeeded,
        Shape,
        MaxContext,
        MaxConcurrency,
        CreditsPerHour,
        ColumnCount
    };
    Q_ENUM(Column)
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int PresetNameRole = Qt::UserRole + 2;

    explicit PresetComparisonModel(QObject *parent = nullptr);

    void setRows(const QList<Planner::PresetComparisonRow> &rows);
    const QList<Planner::PresetComparisonRow> &rows() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant display(const Planner::PresetComparisonRow &row, int column) const;
    QVariant sortKey(const Planner::PresetComparisonRow &row, int column) const;

    QList<Planner::PresetComparisonRow> m_rows;
};

} // namespace ApoloDeploy
