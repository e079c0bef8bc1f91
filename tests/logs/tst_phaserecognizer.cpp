// SPDX-License-Identifier: GPL-3.0-or-later
// recognizePhase / recognizeStats on the messages vllm.md §4.2-4.5 quotes.

#include "logs/PhaseRecognizer.h"

#include <QTest>

using namespace ApoloDeploy::Logs;

Q_DECLARE_METATYPE(Phase)

class TestPhaseRecognizer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void recognize_startupMessages_data()
    {
        QTest::addColumn<QString>("message");
        QTest::addColumn<Phase>("phase");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QVariant>("value");
        using P = Phase;
        const auto row = [](const char *name, const char *message, Phase phase, const char *key, QVariant value) {
            QTest::newRow(name) << QString::fromUtf8(message) << phase << QString::fromLatin1(key) << value;
        };
        row("R1 node ip", "Local node IP: 10.244.2.62", P::RayStarted, "nodeIp", QStringLiteral("10.244.2.62"));
        row("R2 runtime", "Ray runtime started.", P::RayStarted, "", {});
        row("R3 address", "  ray start --address='10.244.2.62:6379'", P::RayStarted, "headAddress",
            QStringLiteral("10.244.2.62:6379"));
        row("R8 block", "This command will now block forever until terminated by a signal.", P::RayStarted, "", {});
        row("R9 status", " 0.0/16.0 GPU", P::RayStarted, "gpusTotal", 16);
        row("R10 connecting", "Connecting to existing Ray cluster at address: 10.244.2.62:6379...", P::RayConnected,
            "rayAddress", QStringLiteral("10.244.2.62:6379"));
        row("V1 banner", "vLLM API server version 0.7.2", P::ApiServerStarting, "version", QStringLiteral("0.7.2"));
        row("V2 args",
            "args: Namespace(model='m', tensor_parallel_size=8, pipeline_parallel_size=2, max_model_len=100000, "
            "enforce_eager=True)",
            P::ApiServerStarting, "tensorParallelSize", 8);
        row("V2 non-default", "non-default args: {'model': 'Qwen/Qwen3-8B', 'max_model_len': 32768}",
            P::ApiServerStarting, "maxModelLen", 32768);
        row("V3 engine pid", "Started engine process with PID 8447", P::ApiServerStarting, "enginePid", 8447);
        row("V5 backend", "Defaulting to use ray for distributed inference", P::EngineConfig, "distributedBackend",
            QStringLiteral("ray"));
        row("V6 config",
            "Initializing a V0 LLM engine (v0.7.2) with config: model='./Qwen2.5-72B-Instruct-AWQ', "
            "speculative_config=None, dtype=torch.float16, max_seq_len=32768, tensor_parallel_size=2, "
            "pipeline_parallel_size=1, quantization=awq_marlin, enforce_eager=False, kv_cache_dtype=auto, "
            "served_model_name=./Qwen2.5-72B-Instruct-AWQ, ",
            P::EngineConfig, "maxModelLen", 32768);
        row("V6 old", "Initializing an LLM engine (v0.7.0) with config: model='m', dtype=torch.bfloat16",
            P::EngineConfig, "dtype", QStringLiteral("bfloat16"));
        row("V6 v1", "Initializing a V1 LLM engine (v0.8.4) with config: model='m', quantization=fp8", P::EngineConfig,
            "engine", QStringLiteral("V1"));
        row("V8 placement",
            "Waiting for creating a placement group of specs for 20 seconds. specs=[{'GPU': 1.0}]. Check `ray status` "
            "to see if you have enough resources.",
            P::WaitingForPlacement, "waitedSeconds", 20);
        row("V10 backend", "Using Triton MLA backend.", P::DistributedInit, "attentionBackend",
            QStringLiteral("Triton MLA"));
        row("V10 nccl", "vLLM is using nccl==2.21.5", P::DistributedInit, "ncclVersion", QStringLiteral("2.21.5"));
        row("V11 ranks", "rank 13 in world size 16 is assigned as DP rank 0, PP rank 1, TP rank 5", P::DistributedInit,
            "worldSize", 16);
        row("V12 load", "Starting to load model /models/DeepSeek-R1...", P::LoadingWeights, "model",
            QStringLiteral("/models/DeepSeek-R1"));
        row("V13 shards", "Loading safetensors checkpoint shards:  45% Completed | 74/163 [00:25<00:32,  2.76it/s]",
            P::LoadingWeights, "eta", QStringLiteral("00:32"));
        row("V13 start", "Loading safetensors checkpoint shards:   0% Completed | 0/163 [00:00<?, ?it/s]",
            P::LoadingWeights, "percent", 0);
        row("V14 0.7.2", "Loading model weights took 19.3952 GB", P::WeightsLoaded, "weightsGiB", 19.3952);
        row("V14 0.8", "Model loading took 27.6330 GiB and 704.046883 seconds", P::WeightsLoaded, "loadSeconds",
            704.046883);
        row("V14 v1", "Model loading took 12.66 GiB memory and 31.66 seconds", P::WeightsLoaded, "weightsGiB", 12.66);
        row("V16 takes", "Memory profiling takes 8.01 seconds", P::MemoryProfiling, "profilingSeconds", 8.01);
        row("V16 budget",
            "the current vLLM instance can use total_gpu_memory (139.72GiB) x gpu_memory_utilization (1.00) = "
            "139.72GiB",
            P::MemoryProfiling, "totalGpuMemoryGiB", 139.72);
        row("V16 split",
            "model weights take 39.66GiB; non_torch_memory takes 2.53GiB; PyTorch activation peak memory takes "
            "0.24GiB; the rest of the memory reserved for KV Cache is 97.29GiB.",
            P::MemoryProfiling, "kvCacheGiB", 97.29);
        row("V17 0.7", "# CUDA blocks: 30218, # CPU blocks: 3819", P::KvCacheAllocated, "gpuBlocks", 30218);
        row("V17 0.8", "# cuda blocks: 5302, # CPU blocks: 7767", P::KvCacheAllocated, "cpuBlocks", 7767);
        row("V17 0.6", "# GPU blocks: 715, # CPU blocks: 1310", P::KvCacheAllocated, "gpuBlocks", 715);
        row("V18", "Maximum concurrency for 16384 tokens per request: 29.51x", P::KvCacheAllocated, "maxConcurrency",
            29.51);
        row("V18 v1", "Maximum concurrency for 32,768 tokens per request: 68.71x", P::KvCacheAllocated,
            "tokensPerRequest", 32768);
        row("V4.4 kv tokens", "GPU KV cache size: 922,496 tokens", P::KvCacheAllocated, "kvCacheTokens", 922496);
        row("V4.4 kv memory", "Available KV cache memory: 112.61 GiB", P::KvCacheAllocated, "kvCacheGiB", 112.61);
        row("V4.4 graph estimate", "Estimated CUDA graph memory: 1.58 GiB total", P::MemoryProfiling,
            "cudaGraphEstimateGiB", 1.58);
        row("V19 start",
            "Capturing cudagraphs for decoding. This may lead to unexpected consequences if the model is not static.",
            P::CudaGraphs, "", {});
        row("V19 shapes", "Capturing CUDA graph shapes: 100%|██████████| 35/35 [00:17<00:00,  1.97it/s]", P::CudaGraphs,
            "graphsTotal", 35);
        row("V19 v1", "Capturing CUDA graphs (decode, FULL):  41%|████      | 21/51", P::CudaGraphs, "graphMode",
            QStringLiteral("decode, FULL"));
        row("V19 done", "Graph capturing finished in 14 secs, took 0.21 GiB", P::CudaGraphs, "graphGiB", 0.21);
        row("V19 eager", "Cudagraph is disabled under eager mode", P::CudaGraphs, "eager", true);
        row("V20", "init engine (profile, create kv cache, warmup model) took 15.63 seconds", P::EngineReady,
            "engineInitSeconds", 15.63);
        row("V21", "Starting vLLM API server on http://0.0.0.0:8000", P::Routes, "url",
            QStringLiteral("http://0.0.0.0:8000"));
        row("V21 newer", "Starting vLLM API server 0 on http://0.0.0.0:8000", P::Routes, "url",
            QStringLiteral("http://0.0.0.0:8000"));
        row("V22 route", "Route: /v1/chat/completions, Methods: POST", P::Routes, "route",
            QStringLiteral("/v1/chat/completions"));
        row("V23 process", "Started server process [67252]", P::ServerStarting, "serverPid", 67252);
        row("V23 ready", "Application startup complete.", P::Ready, "", {});
        row("V23 uvicorn", "Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)", P::Ready, "url",
            QStringLiteral("http://0.0.0.0:8000"));
    }

    void recognize_startupMessages()
    {
        QFETCH(QString, message);
        QFETCH(Phase, phase);
        QFETCH(QString, key);
        QFETCH(QVariant, value);
        const auto event = recognizePhase(message);
        QVERIFY2(event.has_value(), qPrintable(message));
        QCOMPARE(event->phase, phase);
        if (!key.isEmpty()) {
            QVERIFY2(event->values.contains(key), qPrintable(key));
            if (value.typeId() == QMetaType::Double)
                QVERIFY(qFuzzyCompare(event->values.value(key).toDouble(), value.toDouble()));
            else
                QCOMPARE(event->values.value(key).toString(), value.toString());
        }
    }

    void cudaGraphCapture_v0Notice_isNotEager()
    {
        // vLLM 0.7.x's notice mentions eager mode only in its advice on how to turn capture off.
        const auto event = recognizePhase(
            u"Capturing cudagraphs for decoding. This may lead to unexpected consequences if the model is not static. "
            u"To run the model in eager mode, set 'enforce_eager=True' or use '--enforce-eager' in the CLI. If "
            u"out-of-memory error occurs during cudagraph capture, consider decreasing `gpu_memory_utilization` or "
            u"switching to eager mode. You can also reduce the `max_num_seqs` as needed to decrease memory usage.");
        QVERIFY(event.has_value());
        QCOMPARE(event->phase, Phase::CudaGraphs);
        QVERIFY(!event->values.contains(QStringLiteral("eager")));
    }

    void recognize_ordinaryLines_areNotPhases_data()
    {
        QTest::addColumn<QString>("message");
        QTest::newRow("access") << QStringLiteral(R"(10.0.0.5:51234 - "POST /v1/chat/completions HTTP/1.1" 200 OK)");
        QTest::newRow("request") << QStringLiteral("Added request chatcmpl-abc.");
        QTest::newRow("gpu word") << QStringLiteral("Some GPU are busy");
        QTest::newRow("took") << QStringLiteral("the request took 3 seconds");
    }

    void recognize_ordinaryLines_areNotPhases()
    {
        QFETCH(QString, message);
        QVERIFY(!recognizePhase(message).has_value());
    }

    void stats_v0Line_isParsed()
    {
        const auto stats = recognizeStats(
            u"Avg prompt throughput: 3578.8 tokens/s, Avg generation throughput: 91.4 tokens/s, Running: 1 reqs, "
            u"Swapped: 0 reqs, Pending: 2 reqs, GPU KV cache usage: 0.3%, CPU KV cache usage: 0.0%.");
        QVERIFY(stats.has_value());
        QCOMPARE(stats->promptTokensPerSecond, 3578.8);
        QCOMPARE(stats->generationTokensPerSecond, 91.4);
        QCOMPARE(stats->running, 1);
        QCOMPARE(stats->swapped, 0);
        QCOMPARE(stats->waiting, 2);
        QCOMPARE(stats->kvCacheUsagePercent, 0.3);
        QCOMPARE(stats->prefixCacheHitPercent, -1.0);
    }

    void stats_v1Line_isParsed()
    {
        const auto stats = recognizeStats(
            u"Engine 000: Avg prompt throughput: 1503.9 tokens/s, Avg generation throughput: 50.3 tokens/s, Running: 4 "
            u"reqs, Waiting: 3 reqs, GPU KV cache usage: 12.5%, Prefix cache hit rate: 40.0%");
        QVERIFY(stats.has_value());
        QCOMPARE(stats->running, 4);
        QCOMPARE(stats->waiting, 3);
        QCOMPARE(stats->swapped, -1);
        QCOMPARE(stats->kvCacheUsagePercent, 12.5);
        QCOMPARE(stats->prefixCacheHitPercent, 40.0);
    }

    void stats_behindAHeaderTheParserDidNotTakeOff_isParsed()
    {
        // A process prefix of a newer vLLM that the normalizer does not know leaves the header in
        // the message: the stats are still found (the search looks at the first 160 characters).
        const auto stats = recognizeStats(
            u"(VllmWorker TP0 pid=514) INFO 05-21 21:11:56 [loggers.py:271] Engine 000: Avg prompt throughput: 1.0 "
            u"tokens/s, Avg generation throughput: 2.5 tokens/s, Running: 1 reqs, Waiting: 0 reqs, GPU KV cache usage: "
            u"0.5%, Prefix cache hit rate: 0.0%");
        QVERIFY(stats.has_value());
        QCOMPARE(stats->generationTokensPerSecond, 2.5);
        const QString farAway = QString(200, QLatin1Char('x')) + QStringLiteral("Avg prompt throughput: 1.0 tokens/s");
        QVERIFY(!recognizeStats(farAway).has_value());
    }

    void stats_malformedNumbers_areNotStats()
    {
        QVERIFY(!recognizeStats(u"Avg prompt throughput: 1.2.3 tokens/s, Avg generation throughput: 1 tokens/s, "
                                u"Running: 1 reqs, Waiting: 0 reqs, GPU KV cache usage: 1%")
                     .has_value());
        QVERIFY(!recognizeStats(u"Avg prompt throughput: tokens/s").has_value());
    }
};

QTEST_GUILESS_MAIN(TestPhaseRecognizer)
#include "tst_phaserecognizer.moc"
