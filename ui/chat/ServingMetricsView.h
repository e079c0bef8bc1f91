// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QChart;
class QChartView;
class QLabel;
class QXYSeries;
class QValueAxis;

namespace ApoloDeploy {

class MetricsPoller;
struct ServingPoint;

// Live charts of the deployment's /metrics: requests running and waiting, KV cache usage,
// prompt and generation tokens/s, time to first token. Animations off, series bounded to the
// poller's history.
class ServingMetricsView final : public QWidget
{
    Q_OBJECT

public:
    explicit ServingMetricsView(MetricsPoller *poller, QWidget *parent = nullptr);

    int pointCount() const;
    // Time-to-first-token means charted (one per poll interval in which requests started).
    int timeToFirstTokenSamples() const;

private:
    struct Chart
    {
        QChart *chart = nullptr;
        QValueAxis *x = nullptr;
        QValueAxis *y = nullptr;
        QList<QXYSeries *> series;
    };
    enum class Samples { Continuous, Sparse };
    Chart makeChart(const QString &title, const QStringList &seriesNames, const QString &unit,
                    Samples samples = Samples::Continuous);
    void addPoint(const ServingPoint &point);
    void append(Chart &chart, int series, double x, double y);
    void rescale(Chart &chart, double x);

    MetricsPoller *m_poller;
    QLabel *m_status;
    QLabel *m_summary;
    Chart m_requests;
    Chart m_cache;
    Chart m_throughput;
    Chart m_ttft;
};

} // namespace ApoloDeploy
