// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/PresetComparisonModel.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

#include <limits>

namespace ApoloDeploy {

using Planner::PresetComparisonRow;

PresetComparisonModel::PresetComparisonModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void PresetComparisonModel::setRows(const QList<PresetComparisonRow> &rows)
{
    // Same presets in the same order (every recompute): update in place so selection and sorting stay.
    bool samePresets = rows.size() == m_rows.size();
    for (int i = 0; samePresets && i < rows.size(); ++i)
        samePresets = rows[i].presetName == m_rows[i].presetName;
    if (samePresets) {
        m_rows = rows;
        if (!m_rows.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

int PresetComparisonModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PresetComparisonModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PresetComparisonModel::display(const PresetComparisonRow &row, int column) const
{
    const QLocale locale;
    switch (column) {
    case Preset: return row.isExample ? tr("%1 (example)").arg(row.presetName) : row.presetName;
    case Gpu: return row.gpuModel;
    case GpusPerNode: return row.gpuCount;
    case Fits: return row.fits ? tr("yes") : tr("no");
    case NodesNeeded: return row.fits ? locale.toString(row.nodesNeeded) : tr("—");
    case Shape: return tr("TP %1 × PP %2").arg(row.tensorParallel).arg(row.pipelineParallel);
    case MaxContext: return row.maxContext > 0 ? locale.toString(row.maxContext) : tr("—");
    case MaxConcurrency: return locale.toString(row.maxConcurrency, 'f', 2);
    case CreditsPerHour: return row.hasPrice ? row.creditsPerHour.toString() : tr("—");
    default: return {};
    }
}

QVariant PresetComparisonModel::sortKey(const PresetComparisonRow &row, int column) const
{
    switch (column) {
    case Preset: return row.presetName;
    case Gpu: return row.gpuModel;
    case GpusPerNode: return row.gpuCount;
    case Fits: return row.fits ? 1 : 0;
    case NodesNeeded: return row.fits ? row.nodesNeeded : std::numeric_limits<int>::max();
    case Shape: return row.tensorParallel * 1000 + row.pipelineParallel;
    case MaxContext: return row.maxContext;
    case MaxConcurrency: return row.maxConcurrency;
    case CreditsPerHour: return row.hasPrice ? row.creditsPerHour.units() : std::numeric_limits<qint64>::max();
    default: return {};
    }
}

QVariant PresetComparisonModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PresetComparisonRow &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole: return display(row, index.column());
    case SortRole: return sortKey(row, index.column());
    case PresetNameRole: return row.presetName;
    case Qt::ToolTipRole: return row.note;
    case Qt::TextAlignmentRole:
        return index.column() >= GpusPerNode && index.column() != Fits && index.column() != Shape
                   ? int(Qt::AlignRight | Qt::AlignVCenter)
                   : int(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (index.column() == Fits)
            return QBrush(row.fits ? QColor(0x1b, 0x7f, 0x3b) : QColor(0xb0, 0x2a, 0x2a));
        return {};
    default: return {};
    }
}

QVariant PresetComparisonModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Preset: return tr("Preset");
    case Gpu: return tr("GPU");
    case GpusPerNode: return tr("GPUs/node");
    case Fits: return tr("Fits");
    case NodesNeeded: return tr("Nodes");
    case Shape: return tr("Parallelism");
    case MaxContext: return tr("Max context");
    case MaxConcurrency: return tr("Max concurrency");
    case CreditsPerHour: return tr("Credits/h");
    default: return {};
    }
}

} // namespace ApoloDeploy
