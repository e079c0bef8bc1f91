// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/PrometheusText.h"

#include <QTest>

#include <cmath>

using namespace ApoloDeploy;

class TestPrometheusText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void vllmScrape_isParsed()
    {
        const QByteArray text =
            "# HELP vllm:num_requests_running Number of requests currently running on GPU.\n"
            "# TYPE vllm:num_requests_running gauge\n"
            "vllm:num_requests_running{model_name=\"deepseek-r1\"} 2.0\n"
            "# TYPE vllm:time_to_first_token_seconds histogram\n"
            "vllm:time_to_first_token_seconds_bucket{le=\"0.1\",model_name=\"deepseek-r1\"} 3.0\n"
            "vllm:time_to_first_token_seconds_bucket{le=\"+Inf\",model_name=\"deepseek-r1\"} 5.0\n"
            "vllm:time_to_first_token_seconds_sum{model_name=\"deepseek-r1\"} 1.25\n"
            "vllm:generation_tokens_total{engine=\"0\",model_name=\"deepseek-r1\"} 1.2345e+06 1712345678000\n";
        const PrometheusScrape scrape = parsePrometheusText(text);
        QCOMPARE(scrape.skippedLines, 0);
        QCOMPARE(scrape.samples.size(), 5);
        QCOMPARE(scrape.types.value(QStringLiteral("vllm:num_requests_running")), QStringLiteral("gauge"));
        QCOMPARE(scrape.types.value(QStringLiteral("vllm:time_to_first_token_seconds")), QStringLiteral("histogram"));
        QCOMPARE(scrape.samples[0].name, QStringLiteral("vllm:num_requests_running"));
        QCOMPARE(scrape.samples[0].label(QStringLiteral("model_name")), QStringLiteral("deepseek-r1"));
        QCOMPARE(scrape.samples[0].value, 2.0);
        QVERIFY(std::isinf(scrape.samples[2].value) == false);
        QCOMPARE(scrape.samples[2].label(QStringLiteral("le")), QStringLiteral("+Inf"));
        QCOMPARE(scrape.samples[4].value, 1234500.0);
        QCOMPARE(scrape.samples[4].label(QStringLiteral("engine")), QStringLiteral("0"));
    }

    void escapedLabelValues_areDecoded()
    {
        const PrometheusScrape scrape =
            parsePrometheusText("m{path=\"C:\\\\dir\",quote=\"say \\\"hi\\\"\",nl=\"a\\nb\",space=\"a b, c\"} 1");
        QCOMPARE(scrape.samples.size(), 1);
        QCOMPARE(scrape.samples[0].label(QStringLiteral("path")), QStringLiteral("C:\\dir"));
        QCOMPARE(scrape.samples[0].label(QStringLiteral("quote")), QStringLiteral("say \"hi\""));
        QCOMPARE(scrape.samples[0].label(QStringLiteral("nl")), QStringLiteral("a\nb"));
        QCOMPARE(scrape.samples[0].label(QStringLiteral("space")), QStringLiteral("a b, c"));
    }

    void specialValues_areParsed()
    {
        const PrometheusScrape scrape = parsePrometheusText("a NaN\nb +Inf\nc -Inf\nd 0\n");
        QCOMPARE(scrape.samples.size(), 4);
        QVERIFY(std::isnan(scrape.samples[0].value));
        QVERIFY(std::isinf(scrape.samples[1].value) && scrape.samples[1].value > 0);
        QVERIFY(std::isinf(scrape.samples[2].value) && scrape.samples[2].value < 0);
    }

    void garbage_isCountedNotFatal()
    {
        const PrometheusScrape scrape = parsePrometheusText("<html>\nok 1\nbad{x=\"unterminated} 2\nnovalue\n");
        QCOMPARE(scrape.samples.size(), 1);
        QCOMPARE(scrape.skippedLines, 3);
    }

    void crlfLines_areAccepted()
    {
        const PrometheusScrape scrape = parsePrometheusText("a 1\r\nb 2\r\n");
        QCOMPARE(scrape.samples.size(), 2);
        QCOMPARE(scrape.samples[1].value, 2.0);
    }
};

QTEST_GUILESS_MAIN(TestPrometheusText)
#include "tst_prometheustext.moc"
