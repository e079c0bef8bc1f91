// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chat/PrometheusText.h"

#include <QList>
#include <QPair>
#include <QString>

#include <cmath>
#include <limits>

namespace ApoloDeploy {

inline constexpr double noValue = std::numeric_limits<double>::quiet_NaN();

struct Histogram
{
    QList<QPair<double, double>> buckets; // (upper bound "le", cumulative count), sorted by le
    double sum = noValue;
    double count = noValue;

    bool isValid() const { return !std::isnan(count); }
    // histogram_quantile() over the increase between two scrapes; NaN when nothing was observed.
    static double quantileOfIncrease(const Histogram &previous, const Histogram &current, double q);
};

// The vLLM series the console charts, taken from one /metrics scrape (vllm.md §1.6). Both name
// generations are read: V0's vllm:gpu_cache_usage_perc and V1's vllm:kv_cache_usage_perc. Series
// of several engines or served names are summed (usage: the fullest engine).
struct ServingSnapshot
{
    qint64 atMs = 0;
    double running = noValue;
    double waiting = noValue;
    double kvCacheUsage = noValue; // 0..1
    double promptTokensTotal = noValue;
    double generationTokensTotal = noValue;
    Histogram timeToFirstToken;
    QString modelName;

    bool isValid() const { return !std::isnan(running) || !std::isnan(generationTokensTotal); }
    static ServingSnapshot fromScrape(const PrometheusScrape &scrape, qint64 atMs);
};

// One chart point: gauges as scraped, rates and TTFT over the interval since the previous scrape.
struct ServingPoint
{
    qint64 atMs = 0;
    double running = noValue;
    double waiting = noValue;
    double kvCacheUsage = noValue;
    double promptTokensPerSecond = noValue;
    double generationTokensPerSecond = noValue;
    double ttftMeanSeconds = noValue; // NaN when no request started in the interval
    double ttftP90Seconds = noValue;

    // Counter resets (a restarted server) count from zero, as Prometheus' rate() does.
    static ServingPoint between(const ServingSnapshot &previous, const ServingSnapshot &current);
};

} // namespace ApoloDeploy
