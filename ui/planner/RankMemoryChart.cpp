// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/planner/RankMemoryChart.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QStackedBarSeries>
#include <QValueAxis>

#include <cmath>

namespace ApoloDeploy {

namespace {

double gib(qint64 bytes)
{
    return double(bytes) / double(Planner::kGiB);
}

} // namespace

RankMemoryChart::RankMemoryChart(QWidget *parent)
    : QChartView(parent)
{
    setObjectName(QStringLiteral("rankMemoryChartView"));
    setAccessibleName(tr("GPU memory per rank"));
    setRenderHint(QPainter::Antialiasing);
    auto *chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation); // recomputed on every keystroke
    chart->setTitle(tr("Memory per GPU (GiB)"));
    // Beside the bars: six series names do not fit under a half-width chart.
    chart->legend()->setAlignment(Qt::AlignRight);
    auto *series = new QStackedBarSeries(chart);
    const QList<QPair<QString, QColor>> sets = {
        {tr("Weights"), QColor(0x3b, 0x6e, 0xa8)},        {tr("Activation"), QColor(0xe0, 0x8e, 0x2b)},
        {tr("Overheads"), QColor(0x8c, 0x6b, 0xb1)},      {tr("KV cache"), QColor(0x3a, 0x9a, 0x5b)},
        {tr("Outside budget"), QColor(0xc8, 0xc8, 0xc8)}, {tr("Shortfall"), QColor(0xc0, 0x39, 0x2b)},
    };
    for (const auto &[label, color] : sets) {
        auto *set = new QBarSet(label, series);
        set->setColor(color);
        set->setBorderColor(color.darker(120));
        series->append(set);
        m_sets << set;
    }
    chart->addSeries(series);
    m_categories = new QBarCategoryAxis(chart);
    m_categories->setTitleText(tr("GPU ranks: stage . tensor-parallel rank, stage 0 first"));
    m_gib = new QValueAxis(chart);
    m_gib->setLabelFormat(QStringLiteral("%.0f"));
    chart->addAxis(m_categories, Qt::AlignBottom);
    chart->addAxis(m_gib, Qt::AlignLeft);
    series->attachAxis(m_categories);
    series->attachAxis(m_gib);
    setChart(chart);
}

void RankMemoryChart::setPlan(const Planner::MemoryPlan &plan, qint64 gpuVisibleBytes)
{
    QStringList categories;
    QList<QList<double>> columns(m_sets.size());
    double top = gib(gpuVisibleBytes);
    for (const Planner::RankPlan &rank : plan.ranks) {
        categories << QStringLiteral("%1.%2").arg(rank.stage).arg(rank.tpRank); // stage.rank, short enough for 16 bars
        const double kv = gib(qMax<qint64>(0, rank.kvPoolBytes));
        const double shortfall = gib(qMax<qint64>(0, -rank.kvPoolBytes));
        columns[0] << gib(rank.weightBytes);
        columns[1] << gib(rank.activationBytes);
        columns[2] << gib(rank.overheadBytes());
        columns[3] << kv;
        columns[4] << gib(rank.freeBytes);
        columns[5] << shortfall;
        top = qMax(top, gib(rank.budgetBytes + rank.freeBytes) + shortfall);
    }
    for (int i = 0; i < m_sets.size(); ++i) {
        m_sets[i]->remove(0, m_sets[i]->count());
        m_sets[i]->append(columns[i]);
    }
    m_categories->setCategories(categories);
    // Sixteen "1.7" labels do not fit a half-width chart (they elide to dots); the title says the order.
    m_categories->setLabelsVisible(categories.size() <= 8);
    m_gib->setRange(0, std::ceil(top / 10.0) * 10.0);
}

QList<QList<double>> RankMemoryChart::values() const
{
    QList<QList<double>> values;
    for (const QBarSet *set : m_sets) {
        QList<double> column;
        for (int i = 0; i < set->count(); ++i)
            column << set->at(i);
        values << column;
    }
    return values;
}

} // namespace ApoloDeploy
