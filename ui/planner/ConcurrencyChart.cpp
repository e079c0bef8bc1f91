// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/planner/ConcurrencyChart.h"

#include <QChart>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

#include <cmath>

namespace ApoloDeploy {

namespace {

constexpr int kCurvePoints = 64;

} // namespace

ConcurrencyChart::ConcurrencyChart(QWidget *parent)
    : QChartView(parent)
{
    setObjectName(QStringLiteral("concurrencyChartView"));
    setAccessibleName(tr("Maximum concurrency against context length"));
    setRenderHint(QPainter::Antialiasing);
    auto *chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setTitle(tr("Max concurrency vs context length"));
    chart->legend()->hide();
    m_curve = new QLineSeries(chart);
    m_curve->setName(tr("Requests at once"));
    m_chosen = new QScatterSeries(chart);
    m_chosen->setName(tr("Planned length"));
    m_chosen->setMarkerSize(10);
    chart->addSeries(m_curve);
    chart->addSeries(m_chosen);
    m_lengthAxis = new QValueAxis(chart);
    m_lengthAxis->setTitleText(tr("context length (k tokens)"));
    m_lengthAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_concurrencyAxis = new QValueAxis(chart);
    m_concurrencyAxis->setTitleText(tr("requests"));
    m_concurrencyAxis->setLabelFormat(QStringLiteral("%.0f"));
    chart->addAxis(m_lengthAxis, Qt::AlignBottom);
    chart->addAxis(m_concurrencyAxis, Qt::AlignLeft);
    for (QAbstractSeries *series :
         {static_cast<QAbstractSeries *>(m_curve), static_cast<QAbstractSeries *>(m_chosen)}) {
        series->attachAxis(m_lengthAxis);
        series->attachAxis(m_concurrencyAxis);
    }
    setChart(chart);
}

double ConcurrencyChart::concurrencyAt(const Planner::MemoryPlan &plan, qint64 length)
{
    if (length <= 0 || plan.blockSize <= 0)
        return 0;
    const qint64 blocks = plan.capacityTokens / plan.blockSize;
    const qint64 perRequest = (length + plan.blockSize - 1) / plan.blockSize;
    return double(blocks) / double(perRequest);
}

void ConcurrencyChart::setPlan(const Planner::MemoryPlan &plan)
{
    QList<QPointF> points;
    const qint64 longest = qMax<qint64>(plan.derivedMaxModelLen, 1024);
    // Log-spaced lengths from 1k to the model's maximum: the curve is ~1/x, so this keeps it readable.
    const double start = std::log(1024.0);
    const double step = (std::log(double(longest)) - start) / (kCurvePoints - 1);
    double peak = 1;
    for (int i = 0; i < kCurvePoints; ++i) {
        const qint64 length = qint64(std::exp(start + step * i));
        const double concurrency = concurrencyAt(plan, length);
        points << QPointF(double(length) / 1000.0, concurrency);
        if (length >= 8192)
            peak = qMax(peak, concurrency);
    }
    m_curve->replace(points);
    m_chosen->replace({QPointF(double(plan.maxModelLen) / 1000.0, concurrencyAt(plan, plan.maxModelLen))});
    m_lengthAxis->setRange(0, double(longest) / 1000.0);
    // Short lengths dwarf the rest; scale to the curve from 8k tokens on (or the planned point).
    m_concurrencyAxis->setRange(0, std::ceil(qMax(peak, concurrencyAt(plan, plan.maxModelLen)) * 1.1));
}

int ConcurrencyChart::pointCount() const
{
    return int(m_curve->count());
}

} // namespace ApoloDeploy
