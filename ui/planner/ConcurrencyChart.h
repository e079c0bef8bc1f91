// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "planner/MemoryPlan.h"

#include <QChartView>

class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace ApoloDeploy {

// Max concurrency (requests that fit at once) against context length for the planned shape:
// whole KV blocks of the weakest rank divided by the blocks one request of that length needs.
class ConcurrencyChart final : public QChartView
{
    Q_OBJECT

public:
    explicit ConcurrencyChart(QWidget *parent = nullptr);

    void setPlan(const Planner::MemoryPlan &plan);
    int pointCount() const;

    // vLLM's figure: blocks / ceil(length / block size).
    static double concurrencyAt(const Planner::MemoryPlan &plan, qint64 length);

private:
    QLineSeries *m_curve = nullptr;
    QScatterSeries *m_chosen = nullptr;
    QValueAxis *m_lengthAxis = nullptr;
    QValueAxis *m_concurrencyAxis = nullptr;
};

} // namespace ApoloDeploy
