// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/ServingMetrics.h"

#include <QMap>

#include <algorithm>

namespace ApoloDeploy {

namespace {

double addTo(double total, double value)
{
    return std::isnan(total) ? value : total + value;
}

double increase(double previous, double current)
{
    if (std::isnan(previous) || std::isnan(current))
        return noValue;
    return current >= previous ? current - previous : current; // reset: counted from zero
}

double ratePerSecond(double previous, double current, double seconds)
{
    const double delta = increase(previous, current);
    return seconds > 0 && !std::isnan(delta) ? delta / seconds : noValue;
}

double bucketCount(const Histogram &histogram, double le)
{
    for (const auto &[bound, count] : histogram.buckets) {
        if (bound == le)
            return count;
    }
    return 0;
}

} // namespace

double Histogram::quantileOfIncrease(const Histogram &previous, const Histogram &current, double q)
{
    if (!current.isValid() || current.buckets.isEmpty())
        return noValue;
    const bool reset = !previous.isValid() || current.count < previous.count;
    QList<QPair<double, double>> deltas;
    for (const auto &[le, count] : current.buckets)
        deltas.append({le, reset ? count : count - bucketCount(previous, le)});
    const double total = deltas.constLast().second;
    if (total <= 0)
        return noValue;
    const double rank = q * total;
    double lowerBound = 0;
    double lowerCount = 0;
    for (const auto &[le, cumulative] : deltas) {
        if (cumulative >= rank) {
            if (std::isinf(le))
                return lowerBound; // as Prometheus: the highest finite bound
            const double inBucket = cumulative - lowerCount;
            return inBucket <= 0 ? le : lowerBound + (le - lowerBound) * (rank - lowerCount) / inBucket;
        }
        lowerBound = le;
        lowerCount = cumulative;
    }
    return lowerBound;
}

ServingSnapshot ServingSnapshot::fromScrape(const PrometheusScrape &scrape, qint64 atMs)
{
    ServingSnapshot snapshot;
    snapshot.atMs = atMs;
    double v0CacheUsage = noValue;
    QMap<double, double> ttftBuckets;
    for (const PrometheusSample &sample : scrape.samples) {
        if (!sample.name.startsWith(QLatin1String("vllm:")))
            continue;
        const QStringView name = QStringView(sample.name).sliced(5);
        if (snapshot.modelName.isEmpty())
            snapshot.modelName = sample.label(QStringLiteral("model_name"));
        if (name == QLatin1String("num_requests_running"))
            snapshot.running = addTo(snapshot.running, sample.value);
        else if (name == QLatin1String("num_requests_waiting"))
            snapshot.waiting = addTo(snapshot.waiting, sample.value);
        else if (name == QLatin1String("kv_cache_usage_perc"))
            snapshot.kvCacheUsage =
                std::isnan(snapshot.kvCacheUsage) ? sample.value : std::max(snapshot.kvCacheUsage, sample.value);
        else if (name == QLatin1String("gpu_cache_usage_perc"))
            v0CacheUsage = std::isnan(v0CacheUsage) ? sample.value : std::max(v0CacheUsage, sample.value);
        else if (name == QLatin1String("prompt_tokens_total"))
            snapshot.promptTokensTotal = addTo(snapshot.promptTokensTotal, sample.value);
        else if (name == QLatin1String("generation_tokens_total"))
            snapshot.generationTokensTotal = addTo(snapshot.generationTokensTotal, sample.value);
        else if (name == QLatin1String("time_to_first_token_seconds_bucket")) {
            bool ok = false;
            const QString le = sample.label(QStringLiteral("le"));
            double bound = le == QLatin1String("+Inf") ? std::numeric_limits<double>::infinity() : le.toDouble(&ok);
            if (ok || std::isinf(bound))
                ttftBuckets[bound] += sample.value;
        } else if (name == QLatin1String("time_to_first_token_seconds_sum"))
            snapshot.timeToFirstToken.sum = addTo(snapshot.timeToFirstToken.sum, sample.value);
        else if (name == QLatin1String("time_to_first_token_seconds_count"))
            snapshot.timeToFirstToken.count = addTo(snapshot.timeToFirstToken.count, sample.value);
    }
    if (std::isnan(snapshot.kvCacheUsage))
        snapshot.kvCacheUsage = v0CacheUsage;
    for (auto it = ttftBuckets.cbegin(); it != ttftBuckets.cend(); ++it)
        snapshot.timeToFirstToken.buckets.append({it.key(), it.value()});
    return snapshot;
}

ServingPoint ServingPoint::between(const ServingSnapshot &previous, const ServingSnapshot &current)
{
    ServingPoint point;
    point.atMs = current.atMs;
    point.running = current.running;
    point.waiting = current.waiting;
    point.kvCacheUsage = current.kvCacheUsage;
    const double seconds = (current.atMs - previous.atMs) / 1000.0;
    if (previous.atMs <= 0 || seconds <= 0)
        return point;
    point.promptTokensPerSecond = ratePerSecond(previous.promptTokensTotal, current.promptTokensTotal, seconds);
    point.generationTokensPerSecond =
        ratePerSecond(previous.generationTokensTotal, current.generationTokensTotal, seconds);
    const double requests = increase(previous.timeToFirstToken.count, current.timeToFirstToken.count);
    const double ttftSum = current.timeToFirstToken.count < previous.timeToFirstToken.count
                               ? current.timeToFirstToken.sum
                               : current.timeToFirstToken.sum - previous.timeToFirstToken.sum;
    if (requests > 0 && !std::isnan(ttftSum))
        point.ttftMeanSeconds = ttftSum / requests;
    point.ttftP90Seconds = Histogram::quantileOfIncrease(previous.timeToFirstToken, current.timeToFirstToken, 0.9);
    return point;
}

} // namespace ApoloDeploy
