// SPDX-License-Identifier: GPL-3.0-or-later
// `apolo-deploy diagnose FILE|- [--json]` (the real binary) on logs saved from apolo-sandbox with
// `apolo-deploy --sandbox logs --timestamps JOB`: DeepSeek-R1 AWQ on 2 x 8 H100 (TP 8, PP 2), once
// ready at max-model-len 100000 and once failing at 163840 with gpu-memory-utilization 0.42.
// A failure names the fix with the log's own numbers; a ready log reports the memory figures.

#include "support/CliRunner.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace ApoloDeploy;

class TestDiagnoseCli : public QObject
{
    Q_OBJECT

private:
    static QString fixture(const char *name)
    {
        return QStringLiteral(ADC_TEST_DATA_DIR "/logs/") + QLatin1String(name);
    }

    static Test::CliRun run(const QStringList &arguments, const QByteArray &input = {})
    {
        return Test::runCli(arguments, QProcessEnvironment::systemEnvironment(), input, 20000);
    }

    static QJsonObject phase(const QJsonObject &report, const QString &name)
    {
        for (const QJsonValue &value : report.value(QLatin1String("phases")).toArray()) {
            if (value.toObject().value(QLatin1String("name")).toString() == name)
                return value.toObject();
        }
        return {};
    }

private Q_SLOTS:
    void readyLaunch_reportsReadyWithMemoryFigures()
    {
        const Test::CliRun result =
            run({QStringLiteral("diagnose"), fixture("sandbox-r1-tp8pp2-ready.log"), QStringLiteral("--json")});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QJsonObject report = result.json();
        QCOMPARE(report.value(QLatin1String("ready")).toBool(), true);
        QVERIFY(report.value(QLatin1String("failure")).isNull());
        QCOMPARE(report.value(QLatin1String("progress")).toInt(), 100);

        // The numbers vLLM printed: driver weights 22.3613 GB, the smallest KV cache of all workers
        // (44.20 GiB on node 1, 44.90 on node 2), 83053 blocks of 16 tokens, 13.29x at 100000 tokens.
        const QJsonObject metrics = report.value(QLatin1String("metrics")).toObject();
        QCOMPARE(metrics.value(QLatin1String("weightsGiB")).toDouble(), 22.3613);
        QCOMPARE(metrics.value(QLatin1String("kvCacheGiB")).toDouble(), 44.2);
        QCOMPARE(metrics.value(QLatin1String("gpuBlocks")).toInteger(), 83053);
        QCOMPARE(metrics.value(QLatin1String("kvCacheTokens")).toInteger(), 83053 * 16);
        QCOMPARE(metrics.value(QLatin1String("maxConcurrency")).toDouble(), 13.29);
        QCOMPARE(metrics.value(QLatin1String("cudaGraphGiB")).toDouble(), 4.96);
        QVERIFY(!metrics.contains(QLatin1String("eager"))); // CUDA graphs were captured

        // Phases in launch order, each with the line it started on.
        QStringList names;
        qint64 previousLine = 0;
        for (const QJsonValue &value : report.value(QLatin1String("phases")).toArray()) {
            const QJsonObject entry = value.toObject();
            names << entry.value(QLatin1String("name")).toString();
            const qint64 line = entry.value(QLatin1String("line")).toInteger();
            QVERIFY2(line > previousLine, qPrintable(names.constLast()));
            previousLine = line;
        }
        for (const char *expected : {"ray_started", "engine_config", "loading_weights", "weights_loaded",
                                     "memory_profiling", "kv_cache_allocated", "cuda_graphs", "engine_ready", "ready"})
            QVERIFY2(names.contains(QLatin1String(expected)), expected);
        const QJsonObject engine =
            phase(report, QStringLiteral("engine_config")).value(QLatin1String("values")).toObject();
        QCOMPARE(engine.value(QLatin1String("tensorParallelSize")).toInt(), 8);
        QCOMPARE(engine.value(QLatin1String("pipelineParallelSize")).toInt(), 2);
        QCOMPARE(engine.value(QLatin1String("maxModelLen")).toInt(), 100000);
        QCOMPARE(phase(report, QStringLiteral("loading_weights"))
                     .value(QLatin1String("values"))
                     .toObject()
                     .value(QLatin1String("shardsTotal"))
                     .toInt(),
                 74);
    }

    void kvCacheTooSmall_namesTheFixWithTheLogsNumbers()
    {
        const Test::CliRun result =
            run({QStringLiteral("diagnose"), fixture("sandbox-r1-kv-too-small.log"), QStringLiteral("--json")});
        QCOMPARE(result.exitCode, 1);
        const QJsonObject report = result.json();
        QCOMPARE(report.value(QLatin1String("ready")).toBool(), false);
        const QJsonObject failure = report.value(QLatin1String("failure")).toObject();
        QCOMPARE(failure.value(QLatin1String("kind")).toString(), QStringLiteral("kv_cache_too_small"));
        QCOMPARE(failure.value(QLatin1String("line")).toInt(), 170); // the ValueError, the log's last line
        QVERIFY(failure.value(QLatin1String("message")).toString().contains(QStringLiteral("(147536)")));
        const QString hint = failure.value(QLatin1String("hint")).toString();
        QVERIFY2(hint.contains(QStringLiteral("--max-model-len 147536")), qPrintable(hint));
        QVERIFY2(hint.contains(QStringLiteral("--gpu-memory-utilization above 0.42")), qPrintable(hint));
        // The run got as far as allocating the cache: its numbers are reported too.
        const QJsonObject metrics = report.value(QLatin1String("metrics")).toObject();
        QCOMPARE(metrics.value(QLatin1String("gpuBlocks")).toInteger(), 9221);
        QCOMPARE(metrics.value(QLatin1String("kvCacheGiB")).toDouble(), 4.91);
        QCOMPARE(phase(report, QStringLiteral("kv_cache_allocated")).isEmpty(), false);
        QVERIFY(phase(report, QStringLiteral("ready")).isEmpty());
    }

    void standardInput_textReport()
    {
        QFile file(fixture("sandbox-r1-kv-too-small.log"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const Test::CliRun result = run({QStringLiteral("diagnose"), QStringLiteral("-")}, file.readAll());
        QCOMPARE(result.exitCode, 1);
        const QString text = QString::fromUtf8(result.out);
        QVERIFY2(text.contains(QStringLiteral("FAILED (line 170, kv_cache_too_small)")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("Fix: Start with --max-model-len 147536")));
        QVERIFY(text.contains(QStringLiteral("Not ready")));
    }

    void unreadableFile_saysWhy()
    {
        const Test::CliRun result = run({QStringLiteral("diagnose"), QStringLiteral("/nonexistent/vllm.log")});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("Cannot read /nonexistent/vllm.log"), result.err.constData());
        QVERIFY(result.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestDiagnoseCli)
#include "tst_diagnosecli.moc"
