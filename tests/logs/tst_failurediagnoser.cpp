// SPDX-License-Identifier: GPL-3.0-or-later
// diagnoseMessage / diagnoseJobStatus: every vllm.md §4.6 pattern maps to a kind and a concrete fix.

#include "logs/FailureDiagnoser.h"

#include <QTest>

using namespace ApoloDeploy::Logs;

class TestFailureDiagnoser : public QObject
{
    Q_OBJECT

private:
    static DiagnosisContext flagship()
    {
        DiagnosisContext context;
        context.engine = {{QStringLiteral("tensorParallelSize"), 8},
                          {QStringLiteral("pipelineParallelSize"), 2},
                          {QStringLiteral("gpuMemoryUtilization"), 0.9}};
        return context;
    }

private Q_SLOTS:
    void diagnose_fatalPatterns_data()
    {
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("hintContains");
        const auto row = [](const char *name, const char *message, const char *kind, const char *hint) {
            QTest::newRow(name) << QString::fromUtf8(message) << QString::fromLatin1(kind) << QString::fromUtf8(hint);
        };
        row("oom",
            "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 20.00 MiB. GPU 2 has a total capacity of "
            "14.62 GiB of which 3.31 MiB is free. Including non-PyTorch memory",
            "cuda_oom", "--gpu-memory-utilization 0.85");
        row("oom old torch", "torch.cuda.OutOfMemoryError: CUDA out of memory.", "cuda_oom",
            "--gpu-memory-utilization 0.85");
        row("kv v0",
            "ValueError: The model's max seq len (163840) is larger than the maximum number of tokens that can be "
            "stored in KV cache (13360). Try increasing `gpu_memory_utilization` or decreasing `max_model_len` when "
            "initializing the engine.",
            "kv_cache_too_small", "--max-model-len 13360");
        row("kv v1",
            "ValueError: To serve at least one request with the models's max seq len (118000), (6.30 GiB KV cache is "
            "needed, which is larger than the available KV cache memory (6.11 GiB). Based on the available memory, the "
            "estimated maximum model length is 114432. Try increasing",
            "kv_cache_too_small", "--max-model-len 114432");
        row("kv v1 no estimate",
            "ValueError: To serve at least one request with the model's max seq len (100000), (10.00 GiB KV cache is "
            "needed, which is larger than the available KV cache memory (5.00 GiB).",
            "kv_cache_too_small", "--max-model-len 50000");
        row("no kv",
            "No available memory for the cache blocks. Try increasing `gpu_memory_utilization` when initializing the "
            "engine.",
            "no_kv_cache", "TP 8 x PP 2");
        row("negative kv",
            "model weights take 75.00GiB; non_torch_memory takes 2.53GiB; PyTorch activation peak memory takes "
            "0.24GiB; the rest of the memory reserved for KV Cache is -7.83GiB.",
            "no_kv_cache", "7.83");
        row("gpu busy",
            "ValueError: Free memory on device cuda:0 (15.32/22.04 GiB) on startup is less than desired GPU memory "
            "utilization (0.88, 19.39 GiB). Decrease GPU memory utilization",
            "gpu_busy", "--gpu-memory-utilization 0.67");
        row("tp heads",
            "ValueError: Total number of attention heads (32) must be divisible by tensor parallel size (3).",
            "tp_not_divisor", "1, 2, 4, 8, 16, 32");
        row("pp",
            "NotImplementedError: Pipeline parallelism is not supported for this model. Supported models implement the "
            "`SupportsPP` interface.",
            "pp_unsupported", "--pipeline-parallel-size 1");
        row("util", "GPU memory utilization must be less than 1.0. Got 1.05.", "bad_gpu_memory_utilization", "0.95");
        row("quant",
            "Quantization method specified in the model config (compressed-tensors) does not match the quantization "
            "method specified in the `quantization` argument (awq).",
            "quantization_mismatch", "--quantization compressed-tensors");
        row("ray infeasible",
            "No available node types can fulfill resource request {'CPU': 1.0, 'GPU': 1.0}. Add suitable node types to "
            "this cluster to resolve this issue.",
            "ray_infeasible", "VLLM_HOST_IP");
        row("placement",
            "ValueError: Cannot provide a placement group of placement_group_specs=[{'GPU': 1.0}] within 1800 seconds. "
            "See `ray status` to make sure the cluster has enough resources.",
            "placement_timeout", "2 node(s) with 8 GPUs each");
        row("nccl", "RuntimeError: NCCL error: unhandled system error (run with NCCL_DEBUG=INFO for details)", "nccl",
            "NCCL_SOCKET_IFNAME");
        row("nccl 2", "NCCL Error 2: unhandled system error", "nccl", "GLOO_SOCKET_IFNAME");
        row("gloo",
            "RuntimeError: Gloo connectFullMesh failed with [../third_party/gloo/gloo/transport/tcp/pair.cc:144] no "
            "error",
            "gloo", "GLOO_SOCKET_IFNAME");
        row("c10d", "The client socket has timed out after 600000ms while trying to connect to (192.168.6.2, 53489).",
            "gloo", "GLOO_SOCKET_IFNAME");
        row("port", "[Errno 98] error while attempting to bind on address ('0.0.0.0', 8000): address already in use",
            "port_busy", "--port");
        row("bf16",
            "ValueError: Bfloat16 is only supported on GPUs with compute capability of at least 8.0. Your Tesla T4 GPU "
            "has compute capability 7.5. You can use float16 instead by explicitly setting the`dtype` flag in CLI, for "
            "example: --dtype=half.",
            "bf16_unsupported", "--dtype half");
        row("long len",
            "ValueError: User-specified max_model_len (200000) is greater than the derived max_model_len "
            "(max_position_embeddings=163840 or model_max_length=None in model's config.json).",
            "max_model_len_above_model", "--max-model-len 163840");
        row("gated",
            "Cannot access gated repo for url https://huggingface.co/meta-llama/Llama-3.1-8B/resolve/main/config.json.",
            "hf_gated", "https://huggingface.co/meta-llama/Llama-3.1-8B");
        row("hf 401",
            "requests.exceptions.HTTPError: 401 Client Error: Unauthorized for url: "
            "https://huggingface.co/api/models/x/y",
            "hf_auth", "HF_TOKEN");
        row("disk", "OSError: [Errno 28] No space left on device", "disk_full", "cache");
        row("gcs",
            "Unable to connect to GCS (ray head) at ray-head--0e1436ea6a.platform-jobs:6379. Check that (1) Ray with "
            "matching version started successfully",
            "ray_head_unreachable", "Internal Hostname Named");
        row("remote code",
            "ValueError: Loading x requires you to execute the configuration file in that repo on your local machine. "
            "Make sure you have read the code there to avoid malicious use, then set the option trust_remote_code=True "
            "to remove this error.",
            "trust_remote_code", "--trust-remote-code");
        row("unrecognized", "api_server.py: error: unrecognized arguments: --enable-reasoning",
            "unrecognized_arguments", "--enable-reasoning");
    }

    void diagnose_fatalPatterns()
    {
        QFETCH(QString, message);
        QFETCH(QString, kind);
        QFETCH(QString, hintContains);
        const auto diagnosis = diagnoseMessage(message, flagship());
        QVERIFY2(diagnosis.has_value(), qPrintable(message));
        QCOMPARE(diagnosis->kind, kind);
        QVERIFY2(diagnosis->hint.contains(hintContains) || diagnosis->title.contains(hintContains),
                 qPrintable(diagnosis->title + QLatin1Char('|') + diagnosis->hint));
        QVERIFY(!diagnosis->title.isEmpty());
        QVERIFY(diagnosis->fatal);
        QVERIFY(!diagnosis->secondary);
    }

    void diagnose_cudaGraphOom_suggestsEagerMode()
    {
        DiagnosisContext context = flagship();
        context.phaseKnown = true;
        context.phase = Phase::CudaGraphs;
        const auto diagnosis = diagnoseMessage(u"torch.OutOfMemoryError: CUDA out of memory.", context);
        QVERIFY(diagnosis->hint.contains(QStringLiteral("--enforce-eager")));
        QVERIFY(diagnosis->hint.contains(QStringLiteral("0.85")));
        context.phase = Phase::LoadingWeights;
        QVERIFY(diagnoseMessage(u"torch.OutOfMemoryError: CUDA out of memory.", context)
                    ->hint.contains(QStringLiteral("more GPUs")));
    }

    void diagnose_warningsAndSymptoms_areMarked()
    {
        const auto local = diagnoseMessage(u"Started a local Ray instance.", flagship());
        QCOMPARE(local->kind, QStringLiteral("ray_local_instance"));
        QVERIFY(!local->fatal);
        const auto pending = diagnoseMessage(
            u"Warning: The following resource request cannot be scheduled right now: {'GPU': 1.0}.", flagship());
        QVERIFY(!pending->fatal);
        const auto dead =
            diagnoseMessage(u"MQEngineDeadError: Engine loop is not running. Inspect the stacktrace", flagship());
        QCOMPARE(dead->kind, QStringLiteral("engine_dead"));
        QVERIFY(dead->secondary);
        const auto generic = diagnoseMessage(
            u"RuntimeError: Engine process failed to start. See stack trace for the root cause.", flagship());
        QCOMPARE(generic->kind, QStringLiteral("exception"));
        QVERIFY(generic->secondary);
    }

    void diagnose_ordinaryLines_areNothing_data()
    {
        QTest::addColumn<QString>("message");
        QTest::newRow("info") << QStringLiteral("vLLM is using nccl==2.21.5");
        QTest::newRow("nccl info") << QStringLiteral("NCCL INFO Bootstrap : Using eth0:10.0.0.2<0>");
        QTest::newRow("created") << QStringLiteral("Created a new placement group");
        QTest::newRow("error word") << QStringLiteral("Retrying on error: none");
    }

    void diagnose_ordinaryLines_areNothing()
    {
        QFETCH(QString, message);
        QVERIFY(!diagnoseMessage(message, flagship()).has_value());
    }

    void jobStatus_platformReasons_data()
    {
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("kind");
        QTest::newRow("pull") << QStringLiteral("pending") << QStringLiteral("ErrImagePull")
                              << QStringLiteral("image_pull");
        QTest::newRow("backoff") << QStringLiteral("pending") << QStringLiteral("ImagePullBackOff")
                                 << QStringLiteral("image_pull");
        QTest::newRow("oom") << QStringLiteral("failed") << QStringLiteral("OOMKilled")
                             << QStringLiteral("container_oom");
        QTest::newRow("scale") << QStringLiteral("failed") << QStringLiteral("ClusterScaleUpFailed")
                               << QStringLiteral("no_capacity");
        QTest::newRow("quota") << QStringLiteral("cancelled") << QStringLiteral("QuotaExhausted")
                               << QStringLiteral("quota_exhausted");
        QTest::newRow("error") << QStringLiteral("failed") << QStringLiteral("Error") << QStringLiteral("job_failed");
        QTest::newRow("user") << QStringLiteral("cancelled") << QStringLiteral("UserRequested") << QString();
        QTest::newRow("running") << QStringLiteral("running") << QString() << QString();
    }

    void jobStatus_platformReasons()
    {
        QFETCH(QString, status);
        QFETCH(QString, reason);
        QFETCH(QString, kind);
        const auto diagnosis = diagnoseJobStatus(status, reason, QString(), 1);
        QCOMPARE(diagnosis.has_value(), !kind.isEmpty());
        if (diagnosis)
            QCOMPARE(diagnosis->kind, kind);
    }

    void divisors_ofHeads()
    {
        QCOMPARE(divisors(128), QList<int>({1, 2, 4, 8, 16, 32, 64, 128}));
        QCOMPARE(divisors(40), QList<int>({1, 2, 4, 5, 8, 10, 20, 40}));
    }
};

QTEST_GUILESS_MAIN(TestFailureDiagnoser)
#include "tst_failurediagnoser.moc"
