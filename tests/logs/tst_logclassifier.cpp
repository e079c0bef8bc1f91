// SPDX-License-Identifier: GPL-3.0-or-later
// LogClassifier over whole logs (tests/data/logs, composed from the lines vllm.md quotes).

#include "logs/LogClassifier.h"

#include <QFile>
#include <QJsonArray>
#include <QTest>

using namespace ApoloDeploy::Logs;

class TestLogClassifier : public QObject
{
    Q_OBJECT

private:
    static QList<LogLine> feed(LogClassifier &classifier, const QString &fixture)
    {
        QFile file(QStringLiteral(ADC_TEST_DATA_DIR "/logs/") + fixture);
        if (!file.open(QIODevice::ReadOnly))
            qFatal("missing fixture %s", qPrintable(fixture));
        QList<LogLine> lines;
        qint64 number = 0;
        for (const QByteArray &raw : file.readAll().split('\n')) {
            if (raw.isEmpty() && file.atEnd() && number > 0)
                continue;
            lines.append(classifier.classify(QString::fromUtf8(raw), ++number));
        }
        return lines;
    }

    static QStringList phaseIds(const LogClassifier &classifier)
    {
        QStringList ids;
        for (const PhaseRecord &record : classifier.phases())
            ids << phaseId(record.phase);
        return ids;
    }

private Q_SLOTS:
    void requestLines_quotingErrors_areNotFailures()
    {
        // The request logger quotes user prompts; the access log repeats paths. Neither is the
        // server's own output about itself.
        LogClassifier classifier;
        const LogLine received = classifier.classify(
            u"2025-02-16T19:40:03.123456789Z INFO 02-16 19:40:03 logger.py:39] Received request chatcmpl-5f3a: prompt: "
            u"'<｜User｜>What does \"NCCL error: unhandled system error\" mean? And torch.OutOfMemoryError: CUDA out "
            u"of "
            u"memory?<｜Assistant｜>', params: SamplingParams(n=1, temperature=0.6), prompt_token_ids: None",
            1);
        QCOMPARE(received.level, LogLevel::Info);
        QCOMPARE(received.timestampNs, Q_INT64_C(1739734803123456789));
        classifier.classify(
            u"INFO:     10.0.0.5:51234 - \"GET /Application%20startup%20complete. HTTP/1.1\" 404 Not Found", 2);
        classifier.classify(u"INFO 02-16 19:40:03 engine.py:275] Added request chatcmpl-5f3a.", 3);
        QVERIFY(!classifier.failure().has_value());
        QVERIFY(classifier.warnings().isEmpty());
        QVERIFY(classifier.phases().isEmpty());
        QVERIFY(!classifier.isReady());
        // The same text as the server's own line is a failure.
        classifier.classify(u"ERROR 02-16 19:40:04 worker.py:1] NCCL error: unhandled system error", 4);
        QVERIFY(classifier.failure().has_value());
        QCOMPARE(classifier.failure()->kind, QStringLiteral("nccl"));
    }

    void platformTimestampTakenOffByTheCaller_isKept()
    {
        LogClassifier classifier;
        const LogLine line =
            classifier.classify(u"INFO:     Application startup complete.", 1, Q_INT64_C(1739734803000000000));
        QCOMPARE(line.timestampNs, Q_INT64_C(1739734803000000000));
        QVERIFY(classifier.isReady());
    }

    void v072Startup_reachesReadyThroughEveryPhase()
    {
        LogClassifier classifier;
        const QList<LogLine> lines = feed(classifier, QStringLiteral("vllm-0.7.2-r1-tp8pp2-ready.log"));
        QVERIFY(classifier.isReady());
        QVERIFY(!classifier.failure().has_value());
        QCOMPARE(classifier.currentPhase(), Phase::Ready);
        QCOMPARE(phaseIds(classifier),
                 QStringList({"ray_started", "ray_connected", "api_server_starting", "engine_config",
                              "waiting_for_placement", "distributed_init", "loading_weights", "weights_loaded",
                              "memory_profiling", "kv_cache_allocated", "engine_ready", "routes", "server_starting",
                              "ready"}));
        QCOMPARE(classifier.loadingPercent(), 100);
        const QVariantMap metrics = classifier.metrics();
        QCOMPARE(metrics.value(QStringLiteral("weightsGiB")).toDouble(), 22.40); // the larger of the workers
        QCOMPARE(metrics.value(QStringLiteral("kvCacheGiB")).toDouble(), 41.96); // the smaller of the workers
        QCOMPARE(metrics.value(QStringLiteral("gpuBlocks")).toInt(), 75436);
        QCOMPARE(metrics.value(QStringLiteral("kvCacheTokens")).toLongLong(), 75436LL * 16);
        QCOMPARE(metrics.value(QStringLiteral("maxConcurrency")).toDouble(), 12.07);
        QCOMPARE(classifier.engine().value(QStringLiteral("tensorParallelSize")).toInt(), 8);
        QCOMPARE(classifier.engine().value(QStringLiteral("pipelineParallelSize")).toInt(), 2);
        QCOMPARE(classifier.engine().value(QStringLiteral("maxModelLen")).toInt(), 100000);
        QCOMPARE(classifier.engine().value(QStringLiteral("enforceEager")).toBool(), true);
        QCOMPARE(classifier.routes().size(), 5);
        QCOMPARE(classifier.stats().size(), 1);
        QCOMPARE(classifier.stats().constFirst().sample.generationTokensPerSecond, 91.4);

        // Line anatomy survives into the view's lines.
        const LogLine &repeated = lines.at(25);
        QCOMPARE(repeated.repeat, 14u);
        QCOMPARE(repeated.source, QStringLiteral("RayWorkerWrapper pid=626, ip=10.244.1.107"));
        QVERIFY(repeated.timestampNs > 0);
        QVERIFY(repeated.text.startsWith(QStringLiteral("INFO 02-16")));
        QCOMPARE(repeated.level, LogLevel::Info);
        QCOMPARE(lines.at(18).level, LogLevel::Warning);
    }

    void v1Startup_reachesReadyWithKvTokens()
    {
        LogClassifier classifier;
        feed(classifier, QStringLiteral("vllm-0.8-v1-ready.log"));
        QVERIFY(classifier.isReady());
        const QVariantMap metrics = classifier.metrics();
        QCOMPARE(metrics.value(QStringLiteral("kvCacheTokens")).toLongLong(), 2251440);
        QCOMPARE(metrics.value(QStringLiteral("kvCacheGiB")).toDouble(), 60.12);
        QCOMPARE(metrics.value(QStringLiteral("weightsGiB")).toDouble(), 7.1441);
        QCOMPARE(metrics.value(QStringLiteral("cudaGraphGiB")).toDouble(), 0.51);
        QCOMPARE(classifier.cudaGraphPercent(), 100);
        QCOMPARE(classifier.engine().value(QStringLiteral("engine")).toString(), QStringLiteral("V1"));
        QCOMPARE(classifier.stats().constFirst().sample.prefixCacheHitPercent, 0.0);
    }

    void failures_keepRootCauseOverSymptoms_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("hint");
        QTest::addColumn<int>("line");
        QTest::newRow("kv v0") << QStringLiteral("vllm-0.7.2-kv-too-small.log") << QStringLiteral("kv_cache_too_small")
                               << QStringLiteral("--max-model-len 13360") << 8;
        QTest::newRow("kv v1") << QStringLiteral("vllm-v1-kv-too-small.log") << QStringLiteral("kv_cache_too_small")
                               << QStringLiteral("--max-model-len 114432") << 3;
        QTest::newRow("tp") << QStringLiteral("vllm-tp-heads.log") << QStringLiteral("tp_not_divisor")
                            << QStringLiteral("1, 2, 4, 5, 8, 10, 20, 40") << 5;
        QTest::newRow("nccl") << QStringLiteral("vllm-nccl.log") << QStringLiteral("nccl")
                              << QStringLiteral("NCCL_SOCKET_IFNAME") << 4;
        QTest::newRow("graph oom") << QStringLiteral("vllm-cuda-graph-oom.log") << QStringLiteral("cuda_oom")
                                   << QStringLiteral("--enforce-eager") << 5;
        QTest::newRow("placement") << QStringLiteral("vllm-placement-timeout.log")
                                   << QStringLiteral("placement_timeout") << QStringLiteral("TP 8 x PP 2") << 5;
        QTest::newRow("gated") << QStringLiteral("hf-gated.log") << QStringLiteral("hf_gated")
                               << QStringLiteral("https://huggingface.co/meta-llama/Llama-3.1-70B-Instruct") << 2;
    }

    void failures_keepRootCauseOverSymptoms()
    {
        QFETCH(QString, fixture);
        QFETCH(QString, kind);
        QFETCH(QString, hint);
        QFETCH(int, line);
        LogClassifier classifier;
        const QList<LogLine> lines = feed(classifier, fixture);
        QVERIFY(classifier.failure().has_value());
        QCOMPARE(classifier.failure()->kind, kind);
        QVERIFY2(classifier.failure()->hint.contains(hint), qPrintable(classifier.failure()->hint));
        QCOMPARE(classifier.failure()->line, line);
        QVERIFY(!classifier.isReady());
        QVERIFY(!classifier.failureContext().isEmpty());
        QCOMPARE(lines.at(line - 1).level >= LogLevel::Error, true);
    }

    void placement_warnsAboutLocalRay()
    {
        LogClassifier classifier;
        feed(classifier, QStringLiteral("vllm-placement-timeout.log"));
        QStringList kinds;
        for (const Diagnosis &warning : classifier.warnings())
            kinds << warning.kind;
        QVERIFY(kinds.contains(QStringLiteral("ray_local_instance")));
        QVERIFY(kinds.contains(QStringLiteral("ray_not_enough_gpus")));
    }

    void traceback_linesAreErrors()
    {
        LogClassifier classifier;
        const QList<LogLine> lines = feed(classifier, QStringLiteral("vllm-tp-heads.log"));
        QCOMPARE(lines.at(1).level, LogLevel::Error);
        QCOMPARE(lines.at(2).level, LogLevel::Error);
        QCOMPARE(lines.at(0).level, LogLevel::Info);
    }

    void json_hasTheDocumentedShape()
    {
        LogClassifier classifier;
        feed(classifier, QStringLiteral("vllm-0.7.2-r1-tp8pp2-ready.log"));
        const QJsonObject json = classifier.toJson();
        QCOMPARE(json.value(QStringLiteral("ready")).toBool(), true);
        QCOMPARE(json.value(QStringLiteral("progress")).toInt(), 100);
        QVERIFY(json.value(QStringLiteral("failure")).isNull());
        const QJsonObject first = json.value(QStringLiteral("phases")).toArray().first().toObject();
        QCOMPARE(first.value(QStringLiteral("name")).toString(), QStringLiteral("ray_started"));
        QCOMPARE(first.value(QStringLiteral("line")).toInt(), 3);
        QCOMPARE(json.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("gpuBlocks")).toInt(), 75436);
    }

    void loading_progressAndEtaMidway()
    {
        LogClassifier classifier;
        classifier.classify(u"INFO 02-16 19:31:15 model_runner.py:1110] Starting to load model m...", 1);
        QCOMPARE(classifier.loadingPercent(), 0);
        classifier.classify(u"Loading safetensors checkpoint shards:  45% Completed | 74/163 [00:25<00:32,  2.76it/s]",
                            2);
        QCOMPARE(classifier.loadingPercent(), 45);
        QCOMPARE(classifier.loadingEta(), QStringLiteral("00:32"));
        QCOMPARE(classifier.currentPhase(), Phase::LoadingWeights);
    }

    void hugeLine_isTruncatedForDisplayOnly()
    {
        LogClassifier classifier;
        const QString huge =
            QStringLiteral("INFO 02-16 19:40:03 logger.py:39] Received request chatcmpl-1: prompt: '") +
            QString(10 * 1024 * 1024, QLatin1Char('a'));
        const LogLine line = classifier.classify(huge, 1);
        QVERIFY(line.text.size() < LogClassifier::maxDisplayChars + 200);
        QVERIFY(line.text.contains(QStringLiteral("Save full log")));
        QCOMPARE(line.level, LogLevel::Info);
    }

    void restartAfterReady_startsANewLaunch()
    {
        LogClassifier classifier;
        classifier.classify(u"INFO:     Application startup complete.", 1);
        classifier.classify(u"INFO 02-16 19:30:27 llm_engine.py:448] init engine (profile, create kv cache, warmup "
                            u"model) took 1.0 seconds",
                            2);
        QVERIFY(classifier.isReady());
        classifier.classify(u"INFO 02-16 19:50:27 api_server.py:840] vLLM API server version 0.7.2", 3);
        QVERIFY(!classifier.isReady());
        QCOMPARE(classifier.currentPhase(), Phase::ApiServerStarting);
    }
};

QTEST_GUILESS_MAIN(TestLogClassifier)
#include "tst_logclassifier.moc"
