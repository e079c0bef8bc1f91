// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/ServingMetrics.h"

#include <QTest>

using namespace ApoloDeploy;

namespace {

// A V0 (0.7.2) style scrape.
QByteArray v0Scrape(double generated, double prompt, double ttftCount, double ttftSum, double fastBucket)
{
    return QStringLiteral("vllm:num_requests_running{model_name=\"r1\"} 3.0\n"
                          "vllm:num_requests_waiting{model_name=\"r1\"} 1.0\n"
                          "vllm:num_requests_swapped{model_name=\"r1\"} 0.0\n"
                          "vllm:gpu_cache_usage_perc{model_name=\"r1\"} 0.25\n"
                          "vllm:generation_tokens_total{model_name=\"r1\"} %1\n"
                          "vllm:prompt_tokens_total{model_name=\"r1\"} %2\n"
                          "vllm:time_to_first_token_seconds_bucket{le=\"0.5\",model_name=\"r1\"} %5\n"
                          "vllm:time_to_first_token_seconds_bucket{le=\"1.0\",model_name=\"r1\"} %3\n"
                          "vllm:time_to_first_token_seconds_bucket{le=\"+Inf\",model_name=\"r1\"} %3\n"
                          "vllm:time_to_first_token_seconds_count{model_name=\"r1\"} %3\n"
                          "vllm:time_to_first_token_seconds_sum{model_name=\"r1\"} %4\n")
        .arg(generated)
        .arg(prompt)
        .arg(ttftCount)
        .arg(ttftSum)
        .arg(fastBucket)
        .toUtf8();
}

ServingSnapshot snapshot(const QByteArray &text, qint64 atMs)
{
    return ServingSnapshot::fromScrape(parsePrometheusText(text), atMs);
}

} // namespace

class TestServingMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void v0Names_areRead()
    {
        const ServingSnapshot s = snapshot(v0Scrape(100, 50, 4, 2, 2), 1000);
        QVERIFY(s.isValid());
        QCOMPARE(s.running, 3.0);
        QCOMPARE(s.waiting, 1.0);
        QCOMPARE(s.kvCacheUsage, 0.25);
        QCOMPARE(s.generationTokensTotal, 100.0);
        QCOMPARE(s.modelName, QStringLiteral("r1"));
        QCOMPARE(s.timeToFirstToken.buckets.size(), 3);
    }

    void v1Names_winAndEnginesAreCombined()
    {
        const ServingSnapshot s = snapshot("vllm:num_requests_running{engine=\"0\",model_name=\"m\"} 2\n"
                                           "vllm:num_requests_running{engine=\"1\",model_name=\"m\"} 1\n"
                                           "vllm:kv_cache_usage_perc{engine=\"0\",model_name=\"m\"} 0.5\n"
                                           "vllm:kv_cache_usage_perc{engine=\"1\",model_name=\"m\"} 0.75\n"
                                           "vllm:gpu_cache_usage_perc{engine=\"0\",model_name=\"m\"} 0.1\n",
                                           1);
        QCOMPARE(s.running, 3.0);
        QCOMPARE(s.kvCacheUsage, 0.75);
    }

    void rates_comeFromCounterDeltas()
    {
        const ServingSnapshot a = snapshot(v0Scrape(100, 50, 4, 2.0, 2), 1000);
        const ServingSnapshot b = snapshot(v0Scrape(300, 450, 8, 4.0, 6), 3000);
        const ServingPoint p = ServingPoint::between(a, b);
        QCOMPARE(p.generationTokensPerSecond, 100.0);
        QCOMPARE(p.promptTokensPerSecond, 200.0);
        QCOMPARE(p.ttftMeanSeconds, 0.5); // 2 s over 4 new requests
        QCOMPARE(p.running, 3.0);
        QVERIFY(p.ttftP90Seconds <= 0.5); // all 4 new requests fell in the 0.5 s bucket
        QVERIFY(p.ttftP90Seconds > 0);
    }

    void counterReset_countsFromZero()
    {
        const ServingSnapshot a = snapshot(v0Scrape(1000, 500, 10, 5, 5), 1000);
        const ServingSnapshot b = snapshot(v0Scrape(40, 20, 1, 0.25, 1), 2000); // the server restarted
        const ServingPoint p = ServingPoint::between(a, b);
        QCOMPARE(p.generationTokensPerSecond, 40.0);
        QCOMPARE(p.ttftMeanSeconds, 0.25);
    }

    void firstScrape_hasGaugesButNoRates()
    {
        const ServingPoint p = ServingPoint::between({}, snapshot(v0Scrape(100, 50, 4, 2, 2), 1000));
        QCOMPARE(p.kvCacheUsage, 0.25);
        QVERIFY(std::isnan(p.generationTokensPerSecond));
        QVERIFY(std::isnan(p.ttftMeanSeconds));
    }

    void idleInterval_hasNoTtft()
    {
        const ServingSnapshot a = snapshot(v0Scrape(100, 50, 4, 2, 2), 1000);
        const ServingSnapshot b = snapshot(v0Scrape(100, 50, 4, 2, 2), 2000);
        const ServingPoint p = ServingPoint::between(a, b);
        QCOMPARE(p.generationTokensPerSecond, 0.0);
        QVERIFY(std::isnan(p.ttftMeanSeconds));
        QVERIFY(std::isnan(p.ttftP90Seconds));
    }

    void quantile_interpolatesInsideTheBucket()
    {
        Histogram before;
        before.count = 0;
        before.buckets = {{1.0, 0}, {2.0, 0}, {qInf(), 0}};
        Histogram after;
        after.count = 10;
        after.buckets = {{1.0, 0}, {2.0, 10}, {qInf(), 10}};
        QCOMPARE(Histogram::quantileOfIncrease(before, after, 0.5), 1.5);
        after.buckets = {{1.0, 0}, {2.0, 0}, {qInf(), 10}};
        QCOMPARE(Histogram::quantileOfIncrease(before, after, 0.5), 2.0); // +Inf: highest finite bound
    }

    void nonVllmServer_isNotValid() { QVERIFY(!snapshot("process_cpu_seconds_total 12\n", 1).isValid()); }
};

QTEST_GUILESS_MAIN(TestServingMetrics)
#include "tst_servingmetrics.moc"
