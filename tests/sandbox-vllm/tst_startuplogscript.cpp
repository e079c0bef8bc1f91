// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/vllm/StartupLogScript.h"

#include <QRegularExpression>
#include <QTest>

using namespace ApoloDeploy::Sandbox;

class TestStartupLogScript : public QObject
{
    Q_OBJECT

private:
    static VllmServerArgs args(const QString &line)
    {
        const auto result =
            parseVllmServerArgs(line.split(QLatin1Char(' '), Qt::SkipEmptyParts), VllmEntrypoint::ApiServerModule, {});
        if (!result.ok)
            qFatal("bad test args: %s", qPrintable(result.errorText));
        return result.args;
    }

    static StartupEnvironment cluster(int localGpus, bool ray)
    {
        StartupEnvironment env;
        env.gpuModel = QStringLiteral("nvidia-h100-80gb");
        env.localGpus = localGpus;
        env.rayClusterAttached = ray;
        env.rayHeadIp = QStringLiteral("10.244.2.62");
        env.driverIp = QStringLiteral("10.244.1.107");
        env.env.insert(QStringLiteral("HF_TOKEN"), QStringLiteral("hf_x"));
        env.seed = 42;
        return env;
    }

    static QString render(const LogScript &lines)
    {
        QString text;
        const QDateTime when(QDate(2025, 2, 16), QTime(19, 30, 27), Qt::UTC);
        for (const LogScriptLine &line : lines)
            text += line.render(when);
        return text;
    }

    static QString guideArgs()
    {
        return QStringLiteral("--model cognitivecomputations/DeepSeek-R1-AWQ --tokenizer "
                              "cognitivecomputations/DeepSeek-R1-AWQ --dtype=float16 --tensor-parallel-size=8 "
                              "--pipeline-parallel-size=2 --trust-remote-code --max-model-len=128000 --enforce-eager");
    }

private Q_SLOTS:
    void guideDeployment_startsInV072Order()
    {
        const StartupLogScript script(args(guideArgs()), cluster(8, true));
        QVERIFY(script.usesRay());
        const ScriptPhase config = script.configPhase();
        QVERIFY2(!config.fails, qPrintable(render(config.lines)));
        QVERIFY(!script.placementSatisfied({8}));
        QVERIFY(script.placementSatisfied({8, 8}));
        const ScriptPhase engine = script.enginePhase(config.endsAt, {8, 8});
        QVERIFY2(!engine.fails, qPrintable(render(engine.lines)));
        const QString text = render(config.lines) + render(engine.lines);

        const QStringList inOrder = {
            QStringLiteral("INFO 02-16 19:30:27 api_server.py:840] vLLM API server version 0.7.2\n"),
            QStringLiteral("args: Namespace("),
            QStringLiteral("The model is convertible to awq_marlin during runtime. Using awq_marlin kernel."),
            QStringLiteral("Defaulting to use ray for distributed inference"),
            QStringLiteral("Initializing a V0 LLM engine (v0.7.2) with config: "
                           "model='cognitivecomputations/DeepSeek-R1-AWQ'"),
            QStringLiteral("INFO worker.py:1654 -- Connecting to existing Ray cluster at address: 10.244.2.62:6379..."),
            QStringLiteral("Using Triton MLA backend."),
            QStringLiteral("(RayWorkerWrapper pid="),
            QStringLiteral("Starting to load model cognitivecomputations/DeepSeek-R1-AWQ..."),
            QStringLiteral("Loading safetensors checkpoint shards:   0% Completed | 0/74 [00:00<?, ?it/s]\n"),
            QStringLiteral("Loading safetensors checkpoint shards: 100% Completed | 74/74 ["),
            QStringLiteral("Loading model weights took "),
            QStringLiteral("Memory profiling takes "),
            QStringLiteral("the current vLLM instance can use total_gpu_memory (79.19GiB) x gpu_memory_utilization "
                           "(0.90) = 71.27GiB"),
            QStringLiteral("# CUDA blocks: "),
            QStringLiteral("Maximum concurrency for 128000 tokens per request: "),
            QStringLiteral("init engine (profile, create kv cache, warmup model) took "),
            QStringLiteral("launcher.py:29] Route: /v1/chat/completions, Methods: POST"),
            QStringLiteral("INFO:     Started server process ["),
            QStringLiteral("INFO:     Waiting for application startup.\n"),
            QStringLiteral("INFO:     Application startup complete.\n"),
            QStringLiteral("INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)\n"),
        };
        qsizetype at = 0;
        for (const QString &expected : inOrder) {
            const qsizetype found = text.indexOf(expected, at);
            QVERIFY2(found >= 0, qPrintable(QStringLiteral("missing in order: ") + expected));
            at = found;
        }
        QVERIFY(text.contains(QLatin1String(", ip=")));
        QVERIFY(!text.contains(QLatin1String("Capturing cudagraphs"))); // --enforce-eager
        // The planner's estimate for this deployment: ~8-10x at 128k (planner.md §4.6).
        QVERIFY(script.memory().maxConcurrency() > 6 && script.memory().maxConcurrency() < 14);
        QCOMPARE(script.memory().stages.size(), 2);
        QCOMPARE(script.memory().stages.at(0).layerCount, 31);

        // Every vLLM line carries the 0.7.x header (vllm.md §4.1 item 5, no brackets).
        static const QRegularExpression header(
            QStringLiteral("^(?:\\([A-Za-z_]\\w* pid=\\d+(?:, ip=[\\d.]+)?\\) )?(INFO|WARNING|ERROR) \\d\\d-\\d\\d "
                           "\\d\\d:\\d\\d:\\d\\d "
                           "[\\w./-]+\\.py:\\d+\\] "));
        for (const LogScriptLine &line : config.lines + engine.lines) {
            if (!line.level.isEmpty() && !line.rayStyle)
                QVERIFY2(header.match(line.render(QDateTime::currentDateTimeUtc())).hasMatch(),
                         qPrintable(line.message));
        }
    }

    void withoutEnforceEager_capturesCudaGraphs()
    {
        const StartupLogScript script(
            args(QStringLiteral("--model meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192")), cluster(1, false));
        QVERIFY(!script.usesRay());
        const ScriptPhase engine = script.enginePhase(script.configPhase().endsAt, {1});
        const QString text = render(engine.lines);
        QVERIFY2(!engine.fails, qPrintable(text));
        QVERIFY(text.contains(QLatin1String("Capturing cudagraphs for decoding.")));
        QVERIFY(text.contains(QLatin1String("Capturing CUDA graph shapes: 100%|")));
        QVERIFY(text.contains(QLatin1String("Graph capturing finished in ")));
        QVERIFY(text.contains(QLatin1String("Using Flash Attention backend.")));
    }

    void headsNotDivisible_failsAtConfig()
    {
        const StartupLogScript script(args(QStringLiteral("--model meta-llama/Llama-3.1-8B-Instruct -tp 3")),
                                      cluster(3, false));
        const ScriptPhase config = script.configPhase();
        QVERIFY(config.fails);
        QCOMPARE(config.terminationMessage,
                 QStringLiteral("ValueError: Total number of attention heads (32) must be divisible by tensor parallel "
                                "size (3)."));
        QVERIFY(render(config.lines).contains(QLatin1String("Traceback (most recent call last):\n")));
    }

    void kvCacheTooSmall_failsAfterTheBlocksLine()
    {
        const StartupLogScript script(args(QStringLiteral("--model meta-llama/Llama-3.1-70B-Instruct -tp 2")),
                                      cluster(2, false));
        const ScriptPhase engine = script.enginePhase(script.configPhase().endsAt, {2});
        QVERIFY(engine.fails);
        static const QRegularExpression message(QStringLiteral(
            "\nValueError: The model's max seq len \\(131072\\) is larger than the maximum number of tokens "
            "that can be stored in KV cache \\((\\d+)\\)\\. Try increasing `gpu_memory_utilization` or "
            "decreasing `max_model_len` when initializing the engine\\.\n"));
        const auto match = message.match(render(engine.lines));
        QVERIFY2(match.hasMatch(), qPrintable(render(engine.lines)));
        // The multiprocessing front end then dies with its own error: that is the container's last line.
        QCOMPARE(engine.terminationMessage,
                 QStringLiteral("RuntimeError: Engine process failed to start. See stack trace for the root cause."));
        QCOMPARE(match.captured(1).toLongLong(), script.memory().kvTokenCapacity());
        QVERIFY(render(engine.lines).indexOf(QLatin1String("# CUDA blocks")) <
                render(engine.lines).indexOf(QLatin1String("ValueError")));
    }

    void weightsLargerThanTheGpu_runOutOfMemoryWhileLoading()
    {
        const StartupLogScript script(args(QStringLiteral("--model meta-llama/Llama-3.1-70B-Instruct")),
                                      cluster(1, false));
        const ScriptPhase engine = script.enginePhase(script.configPhase().endsAt, {1});
        QVERIFY(engine.fails);
        QVERIFY(engine.terminationMessage.startsWith(QLatin1String("RuntimeError: Engine process failed to start.")));
        QVERIFY(render(engine.lines)
                    .contains(QLatin1String("torch.OutOfMemoryError: CUDA out of memory. Tried to "
                                            "allocate 1.75 GiB. GPU 0 has a total capacity of 79.19 GiB")));
        QVERIFY(!render(engine.lines).contains(QLatin1String("Loading model weights took")));
    }

    void configErrors_matchVllmWording()
    {
        auto failure = [](const QString &line) {
            const StartupLogScript script(args(line), cluster(8, false));
            return script.configPhase().terminationMessage;
        };
        QVERIFY(failure(QStringLiteral("--model nobody/missing-model"))
                    .startsWith(QLatin1String("OSError: nobody/missing-model is not a local folder and is not a valid "
                                              "model identifier")));
        QVERIFY(failure(QStringLiteral("--model deepseek-ai/DeepSeek-R1 -tp 8"))
                    .contains(QLatin1String("set the option `trust_remote_code=True` to remove this error.")));
        QVERIFY(failure(QStringLiteral("--model Qwen/Qwen2.5-72B-Instruct --max-model-len 65536"))
                    .startsWith(QLatin1String("ValueError: User-specified max_model_len (65536) is greater than the "
                                              "derived max_model_len (max_position_embeddings=32768")));
        QVERIFY(failure(QStringLiteral("--model Qwen/Qwen2.5-72B-Instruct --gpu-memory-utilization 1.05"))
                    .startsWith(QLatin1String("ValueError: GPU memory utilization must be less than 1.0. Got 1.05.")));
        QVERIFY(failure(QStringLiteral("--model deepseek-ai/DeepSeek-R1 --trust-remote-code -q awq"))
                    .contains(QLatin1String("(fp8) does not match the quantization method specified in the "
                                            "`quantization` argument (awq).")));
        QVERIFY(failure(QStringLiteral("--model meta-llama/Llama-3.1-8B-Instruct")).isEmpty()); // HF_TOKEN is set
        StartupEnvironment noToken = cluster(1, false);
        noToken.env.clear();
        const StartupLogScript gated(args(QStringLiteral("--model meta-llama/Llama-3.1-8B-Instruct")), noToken);
        QVERIFY(gated.configPhase().terminationMessage.startsWith(
            QLatin1String("OSError: You are trying to access a gated repo.")));
    }

    void placementWaitAndTimeout_useRayUtilsWording()
    {
        const StartupLogScript script(args(guideArgs()), cluster(8, true));
        const QString wait = script.placementWaitLine(20, 30).render(QDateTime::currentDateTimeUtc());
        QVERIFY(wait.contains(QLatin1String("ray_utils.py:212] Waiting for creating a placement group of specs for 30 "
                                            "seconds. specs=[{'GPU': 1.0, 'node:10.244.1.107': 0.001}, {'GPU': 1.0}")));
        const ScriptPhase timeout = script.placementTimeout(1800);
        QVERIFY(timeout.fails);
        QVERIFY(timeout.terminationMessage.startsWith(QLatin1String("ValueError: Cannot provide a placement group of "
                                                                    "placement_group_specs=[")));
        QVERIFY(timeout.terminationMessage.endsWith(QLatin1String(" within 1800 seconds. See `ray status` to make "
                                                                  "sure the cluster has enough resources.")));
    }

    void pipelineSplit_putsTheRemainderBeforeTheLastStage()
    {
        QCOMPARE(MemoryModel::pipelineLayerSplit(61, 2, {}), (QList<int>{31, 30}));
        QCOMPARE(MemoryModel::pipelineLayerSplit(61, 4, {}), (QList<int>{15, 15, 16, 15}));
        QCOMPARE(MemoryModel::pipelineLayerSplit(61, 2, QStringLiteral("32,29")), (QList<int>{32, 29}));
        QCOMPARE(MemoryModel::pipelineLayerSplit(80, 2, QStringLiteral("1,2")), (QList<int>{40, 40}));
    }
};

QTEST_GUILESS_MAIN(TestStartupLogScript)
#include "tst_startuplogscript.moc"
