// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "planner/MemoryPlan.h"

#include <QChartView>

class QBarCategoryAxis;
class QBarSet;
class QValueAxis;

namespace ApoloDeploy {

// One stacked bar per GPU rank: weights, activation peak, overheads (non-torch + CUDA graphs),
// KV cache pool and the memory left outside gpu_memory_utilization, in GiB. A rank whose weights
// do not fit shows the shortfall in red above its bar.
class RankMemoryChart final : public QChartView
{
    Q_OBJECT

public:
    explicit RankMemoryChart(QWidget *parent = nullptr);

    void setPlan(const Planner::MemoryPlan &plan, qint64 gpuVisibleBytes);
    // The values shown, per set (weights, activation, overheads, KV, free, shortfall) and rank; for tests.
    QList<QList<double>> values() const;

private:
    QList<QBarSet *> m_sets;
    QBarCategoryAxis *m_categories = nullptr;
    QValueAxis *m_gib = nullptr;
};

} // namespace ApoloDeploy
