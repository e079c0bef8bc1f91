// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/chat/ServingMetricsView.h"

#include "chat/MetricsPoller.h"

#include <QChart>
#include <QChartView>
#include <QGridLayout>
#include <QLabel>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

#include <cmath>

namespace ApoloDeploy {

namespace {
constexpr int maxSeriesPoints = 600;
}

ServingMetricsView::ServingMetricsView(MetricsPoller *poller, QWidget *parent)
    : QWidget(parent)
    , m_poller(poller)
    , m_status(new QLabel(this))
    , m_summary(new QLabel(this))
{
    setObjectName(QStringLiteral("servingMetricsView"));
    m_status->setObjectName(QStringLiteral("metricsStatusLabel"));
    m_status->setWordWrap(true);
    m_summary->setObjectName(QStringLiteral("metricsSummaryLabel"));
    m_summary->setText(tr("Waiting for the first /metrics scrape…"));
    m_requests = makeChart(tr("Requests"), {tr("running"), tr("waiting")}, QString());
    m_cache = makeChart(tr("KV cache usage"), {tr("used")}, QStringLiteral("%"));
    m_throughput = makeChart(tr("Tokens per second"), {tr("generation"), tr("prompt")}, QString());
    // Only intervals in which requests started have a value: drawn as points, so a single
    // request shows (a line needs two) and gaps are not bridged by a made-up line.
    m_ttft = makeChart(tr("Time to first token"), {tr("mean"), tr("p90")}, QStringLiteral("s"), Samples::Sparse);
    m_cache.y->setRange(0, 100);

    auto *grid = new QGridLayout(this);
    grid->addWidget(m_summary, 0, 0, 1, 2);
    grid->addWidget(m_status, 1, 0, 1, 2);
    int index = 0;
    for (Chart *chart : {&m_requests, &m_cache, &m_throughput, &m_ttft}) {
        auto *view = new QChartView(chart->chart, this);
        view->setObjectName(QStringLiteral("metricsChartView%1").arg(index));
        view->setAccessibleName(chart->chart->title());
        view->setRenderHint(QPainter::Antialiasing);
        view->setMinimumHeight(150);
        grid->addWidget(view, 2 + index / 2, index % 2);
        ++index;
    }
    connect(poller, &MetricsPoller::pointAdded, this, &ServingMetricsView::addPoint);
    connect(poller, &MetricsPoller::errorChanged, this, [this](const QString &message) {
        m_status->setText(message);
        m_status->setVisible(!message.isEmpty());
    });
    m_status->setVisible(false);
    for (const ServingPoint &point : poller->points())
        addPoint(point);
}

ServingMetricsView::Chart ServingMetricsView::makeChart(const QString &title, const QStringList &seriesNames,
                                                        const QString &unit, Samples samples)
{
    Chart chart;
    chart.chart = new QChart;
    chart.chart->setTitle(title);
    chart.chart->setAnimationOptions(QChart::NoAnimation); // frequent updates
    chart.chart->legend()->setVisible(seriesNames.size() > 1);
    chart.chart->setMargins(QMargins(2, 2, 2, 2));
    chart.x = new QValueAxis(chart.chart);
    chart.x->setTitleText(tr("seconds"));
    chart.x->setLabelFormat(QStringLiteral("%d"));
    chart.y = new QValueAxis(chart.chart);
    chart.y->setTitleText(unit);
    chart.y->setRange(0, 1);
    chart.chart->addAxis(chart.x, Qt::AlignBottom);
    chart.chart->addAxis(chart.y, Qt::AlignLeft);
    for (const QString &name : seriesNames) {
        QXYSeries *series = nullptr;
        if (samples == Samples::Sparse) {
            auto *scatter = new QScatterSeries(chart.chart);
            scatter->setMarkerSize(8);
            scatter->setBorderColor(Qt::transparent);
            series = scatter;
        } else {
            series = new QLineSeries(chart.chart);
        }
        series->setName(name);
        chart.chart->addSeries(series);
        series->attachAxis(chart.x);
        series->attachAxis(chart.y);
        chart.series << series;
    }
    return chart;
}

void ServingMetricsView::append(Chart &chart, int series, double x, double y)
{
    if (std::isnan(y))
        return;
    QXYSeries *line = chart.series.at(series);
    line->append(x, y);
    if (line->count() > maxSeriesPoints)
        line->removePoints(0, line->count() - maxSeriesPoints);
    if (y > chart.y->max() && chart.y != m_cache.y)
        chart.y->setMax(y * 1.2);
}

void ServingMetricsView::rescale(Chart &chart, double x)
{
    double first = x;
    for (const QXYSeries *line : std::as_const(chart.series)) {
        if (line->count() > 0)
            first = std::min(first, line->at(0).x());
    }
    chart.x->setRange(first, std::max(first + 10, x));
}

void ServingMetricsView::addPoint(const ServingPoint &point)
{
    const double x = point.atMs / 1000.0;
    append(m_requests, 0, x, point.running);
    append(m_requests, 1, x, point.waiting);
    append(m_cache, 0, x, point.kvCacheUsage * 100);
    append(m_throughput, 0, x, point.generationTokensPerSecond);
    append(m_throughput, 1, x, point.promptTokensPerSecond);
    append(m_ttft, 0, x, point.ttftMeanSeconds);
    append(m_ttft, 1, x, point.ttftP90Seconds);
    for (Chart *chart : {&m_requests, &m_cache, &m_throughput, &m_ttft})
        rescale(*chart, x);
    const auto number = [](double value, int decimals) {
        return std::isnan(value) ? QStringLiteral("–") : QString::number(value, 'f', decimals);
    };
    m_summary->setText(tr("Running %1 · waiting %2 · KV cache %3% · %4 tokens/s generated · TTFT %5 s")
                           .arg(number(point.running, 0), number(point.waiting, 0), number(point.kvCacheUsage * 100, 1),
                                number(point.generationTokensPerSecond, 1), number(point.ttftMeanSeconds, 2)));
}

int ServingMetricsView::pointCount() const
{
    return int(m_cache.series.first()->count());
}

int ServingMetricsView::timeToFirstTokenSamples() const
{
    return m_ttft.series.isEmpty() ? 0 : int(m_ttft.series.constFirst()->count());
}

} // namespace ApoloDeploy
