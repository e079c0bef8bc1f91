// SPDX-License-Identifier: GPL-3.0-or-later
// LineNormalizer: platform timestamps, ANSI, '\r' redraws, Ray prefixes and dedup suffixes.

#include "logs/LineNormalizer.h"
#include "support/TextMutations.h"

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTest>

using namespace ApoloDeploy::Logs;

class TestLineNormalizer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void timestamp_nineDigits_roundTrips()
    {
        const QString stamp = QStringLiteral("2021-08-13T09:23:00.123456789Z");
        const qint64 ns = LineNormalizer::parsePlatformTimestamp(stamp);
        QCOMPARE(ns, Q_INT64_C(1628846580123456789));
        QCOMPARE(LineNormalizer::formatPlatformTimestamp(ns), stamp);
    }

    void timestamp_sixDigitsAndNone_arePadded()
    {
        QCOMPARE(LineNormalizer::parsePlatformTimestamp(u"2021-08-13T09:23:00.123456Z"),
                 Q_INT64_C(1628846580123456000));
        QCOMPARE(LineNormalizer::parsePlatformTimestamp(u"2021-08-13T09:23:00Z"), Q_INT64_C(1628846580000000000));
    }

    void timestamp_garbage_isZero()
    {
        QCOMPARE(LineNormalizer::parsePlatformTimestamp(u"2021-13-13T09:23:00Z"), 0);
        QCOMPARE(LineNormalizer::parsePlatformTimestamp(u"INFO 02-05 10:00:00 x.py:1] m"), 0);
        QCOMPARE(LineNormalizer::parsePlatformTimestamp(u"2021-08-13T09:23:00.Z"), 0);
        QCOMPARE(LineNormalizer::platformTimestampPrefixLength(u"2021-08-13T09:23:00.1Zx"), 0);
    }

    void normalize_timestampAndRayPrefix_areSplitOff()
    {
        LineNormalizer normalizer;
        const auto line = normalizer.normalize(
            u"2025-02-16T19:31:10.5Z \x1b[36m(RayWorkerWrapper pid=626, ip=10.244.1.107)\x1b[0m INFO 02-16 19:31:10 "
            u"pynccl.py:69] vLLM is using nccl==2.21.5");
        QCOMPARE(line.timestampNs, LineNormalizer::parsePlatformTimestamp(u"2025-02-16T19:31:10.5Z"));
        QCOMPARE(line.source, QStringLiteral("RayWorkerWrapper pid=626, ip=10.244.1.107"));
        QCOMPARE(line.text, QStringLiteral("INFO 02-16 19:31:10 pynccl.py:69] vLLM is using nccl==2.21.5"));
        QCOMPARE(line.repeat, 1u);
    }

    void normalize_everyPrefixForm_becomesSource_data()
    {
        QTest::addColumn<QString>("raw");
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("text");
        QTest::newRow("head worker") << QStringLiteral("(RayWorkerWrapper pid=3151) x")
                                     << QStringLiteral("RayWorkerWrapper pid=3151") << QStringLiteral("x");
        QTest::newRow("mp worker") << QStringLiteral("(VllmWorkerProcess pid=277) x")
                                   << QStringLiteral("VllmWorkerProcess pid=277") << QStringLiteral("x");
        QTest::newRow("rank") << QStringLiteral("(VllmWorker rank=0 pid=241) x")
                              << QStringLiteral("VllmWorker rank=0 pid=241") << QStringLiteral("x");
        QTest::newRow("api") << QStringLiteral("\x1b[1;36m(APIServer pid=1)\x1b[0;0m x")
                             << QStringLiteral("APIServer pid=1") << QStringLiteral("x");
        QTest::newRow("engine core") << QStringLiteral("(EngineCore_DP0 pid=212) x")
                                     << QStringLiteral("EngineCore_DP0 pid=212") << QStringLiteral("x");
        QTest::newRow("bare pid") << QStringLiteral("(pid=657) x") << QStringLiteral("pid=657") << QStringLiteral("x");
        QTest::newRow("autoscaler") << QStringLiteral("(autoscaler +6s) Error: No available node types")
                                    << QStringLiteral("autoscaler +6s")
                                    << QStringLiteral("Error: No available node types");
        QTest::newRow("nested") << QStringLiteral("(pid=1) (Worker_TP0 pid=514) x")
                                << QStringLiteral("pid=1 / Worker_TP0 pid=514") << QStringLiteral("x");
        QTest::newRow("not a prefix") << QStringLiteral("(see the docs) x") << QString()
                                      << QStringLiteral("(see the docs) x");
    }

    void normalize_everyPrefixForm_becomesSource()
    {
        QFETCH(QString, raw);
        QFETCH(QString, source);
        QFETCH(QString, text);
        LineNormalizer normalizer;
        const auto line = normalizer.normalize(raw);
        QCOMPARE(line.source, source);
        QCOMPARE(line.text, text);
    }

    // Process prefixes are parsed by hand for speed; the regex it replaced is the specification.
    void prefixParser_agreesWithTheRegexItReplaced()
    {
        const QRegularExpression prefix(QStringLiteral(
            R"(^\((?:(?:[A-Za-z_]\w*)(?: rank=\d+)? pid=\d+(?:, ip=[\d.:a-fA-F]+)?|pid=\d+(?:, ip=[\d.:a-fA-F]+)?|autoscaler \+\d+[smh])\)\s*)"));
        const QStringList seeds{
            QStringLiteral("(RayWorkerWrapper pid=249, ip=172.20.249.91) INFO x"),
            QStringLiteral("(VllmWorker rank=0 pid=241)  y"),
            QStringLiteral("(pid=657) z"),
            QStringLiteral("(pid=7, ip=fe80::1) w"),
            QStringLiteral("(autoscaler +6s) v"),
            QStringLiteral("(_A1 pid=3)\tu"),
        };
        const QString alphabet = QStringLiteral("( )=,.:+apidrnkmsh0123456789Afe_\u00e9");
        LineNormalizer normalizer;
        for (const QString &text : ApoloDeploy::Test::textMutations(seeds, alphabet, 3000)) {
            const auto match = prefix.match(text);
            const NormalizedLine line = normalizer.normalize(text);
            if (match.hasMatch()) {
                const QString label = match.captured(0).trimmed().mid(1).chopped(1);
                QVERIFY2(line.source.startsWith(label), qPrintable(text + QStringLiteral(" -> ") + line.source));
            } else {
                QVERIFY2(line.source.isEmpty(), qPrintable(text + QStringLiteral(" -> ") + line.source));
            }
        }
    }

    void normalize_carriageReturns_keepLastSegment()
    {
        LineNormalizer normalizer;
        const auto line = normalizer.normalize(
            u"2025-02-16T19:31:10Z (RayWorkerWrapper pid=1) Capturing CUDA graph shapes:   3%|3 | 1/35\r"
            u"Capturing CUDA graph shapes:  97%|9| 34/35\rCapturing CUDA graph shapes: 100%|#| 35/35\r\r");
        QCOMPARE(line.source, QStringLiteral("RayWorkerWrapper pid=1"));
        QCOMPARE(line.text, QStringLiteral("Capturing CUDA graph shapes: 100%|#| 35/35"));
        QVERIFY(line.timestampNs > 0);
    }

    void normalize_raySuffix_becomesRepeatCount()
    {
        LineNormalizer normalizer;
        const auto line = normalizer.normalize(
            u"(RayWorkerWrapper pid=626, ip=10.244.1.107) INFO 02-16 19:31:10 pynccl.py:69] vLLM is using "
            u"nccl==2.21.5\x1b[32m [repeated 14x across cluster] (Ray deduplicates logs by default. Set "
            u"RAY_DEDUP_LOGS=0 to disable log deduplication, or see https://docs.ray.io/x for more options.)\x1b[0m");
        QCOMPARE(line.repeat, 14u);
        QCOMPARE(line.text, QStringLiteral("INFO 02-16 19:31:10 pynccl.py:69] vLLM is using nccl==2.21.5"));
    }

    void normalize_sources_areShared()
    {
        LineNormalizer normalizer;
        const auto a = normalizer.normalize(u"(pid=7) a");
        const auto b = normalizer.normalize(u"(pid=7) b");
        QCOMPARE(a.source.constData(), b.source.constData());
    }

    void normalize_tenMegabyteLine_isKept()
    {
        LineNormalizer normalizer;
        const QString huge = QStringLiteral("(pid=9) ") + QString(10 * 1024 * 1024, QLatin1Char('x'));
        const auto line = normalizer.normalize(huge);
        QCOMPARE(line.text.size(), 10 * 1024 * 1024);
        QCOMPARE(line.source, QStringLiteral("pid=9"));
    }

    void normalize_randomBytes_neverCrash()
    {
        LineNormalizer normalizer;
        auto *random = QRandomGenerator::global();
        const QString alphabet = QStringLiteral("()[]\r\x1b =,.0123456789pidrayZT:-x repeated across cluster");
        for (int round = 0; round < 20000; ++round) {
            QString raw;
            const int length = random->bounded(60);
            for (int i = 0; i < length; ++i)
                raw.append(alphabet[random->bounded(int(alphabet.size()))]);
            if (round % 3 == 0)
                raw.prepend(QStringLiteral("2021-08-13T09:23:00.1Z "));
            const auto line = normalizer.normalize(raw);
            QVERIFY(line.text.size() <= raw.size());
            QVERIFY(!line.text.contains(QChar(0x1b)));
        }
    }
};

QTEST_GUILESS_MAIN(TestLineNormalizer)
#include "tst_linenormalizer.moc"
