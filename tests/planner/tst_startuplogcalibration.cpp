// SPDX-License-Identifier: GPL-3.0-or-later
// vLLM startup memory lines (vllm.md §4.3 V14, V16-V18, §4.4) and measured-vs-planned terms.

#include "planner/DeploymentPlanner.h"
#include "planner/ModelCatalog.h"
#include "planner/StartupLogCalibration.h"

#include <QTest>

using namespace ApoloDeploy::Planner;

class TestStartupLogCalibration : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_v0RayWorkersLines()
    {
        // Real lines from vllm#13074 (0.7.2, R1, two nodes) with Ray worker prefixes and a \r bar.
        const QString log = QStringLiteral(
            "INFO 02-16 19:31:02 model_runner.py:1115] Loading model weights took 39.6625 GB\n"
            "(RayWorkerWrapper pid=2211, ip=10.0.0.2) INFO 02-16 19:31:05 model_runner.py:1115] Loading model weights "
            "took 39.9141 GB\n"
            "INFO 02-16 19:32:11 worker.py:267] Memory profiling takes 8.01 seconds\n"
            "INFO 02-16 19:32:11 worker.py:267] the current vLLM instance can use total_gpu_memory (139.72GiB) x "
            "gpu_memory_utilization (1.00) = 139.72GiB\n"
            "INFO 02-16 19:32:11 worker.py:267] model weights take 39.66GiB; non_torch_memory takes 2.53GiB; PyTorch "
            "activation peak memory takes 0.24GiB; the rest of the memory reserved for KV Cache is 97.29GiB.\n"
            "Loading safetensors checkpoint shards:  45% Completed | 74/163 [00:25<00:32,  2.76it/s]\r"
            "INFO 02-16 19:32:20 executor_base.py:110] # CUDA blocks: 30218, # CPU blocks: 3819\n"
            "INFO 02-16 19:32:20 executor_base.py:115] Maximum concurrency for 16384 tokens per request: 29.51x\n"
            "INFO 02-16 19:33:02 model_runner.py:1535] Graph capturing finished in 14 secs, took 0.21 GiB\n");
        const MeasuredMemory measured = parseStartupLog(log);
        QCOMPARE(measured.modelLoadingGiB, (QList<double>{39.6625, 39.9141}));
        QCOMPARE(measured.profiles.size(), 1);
        QCOMPARE(measured.profiles[0].totalGpuGiB, 139.72);
        QCOMPARE(measured.profiles[0].gpuMemoryUtilization, 1.0);
        QCOMPARE(measured.profiles[0].nonTorchGiB, 2.53);
        QCOMPARE(measured.profiles[0].activationGiB, 0.24);
        QCOMPARE(measured.profiles[0].kvCacheGiB, 97.29);
        QCOMPARE(measured.gpuBlocks, std::optional<qint64>(30218));
        QCOMPARE(measured.cpuBlocks, std::optional<qint64>(3819));
        QCOMPARE(measured.concurrencyTokens, std::optional<qint64>(16384));
        QCOMPARE(measured.maxConcurrency, std::optional<double>(29.51));
        QCOMPARE(measured.cudaGraphGiB, QList<double>{0.21});
    }

    void parse_v1Lines()
    {
        const QString log =
            QStringLiteral("(EngineCore_DP0 pid=1) INFO 05-01 10:00:00 [gpu_model_runner.py:1] Model loading took "
                           "12.66 GiB memory and 31.66 seconds\n"
                           "INFO [gpu_worker.py:1] Available KV cache memory: 112.61 GiB\n"
                           "INFO [kv_cache_utils.py:1] GPU KV cache size: 922,496 tokens\n"
                           "INFO [kv_cache_utils.py:1] Maximum concurrency for 32,768 tokens per request: 28.15x\n"
                           "INFO [gpu_model_runner.py:1] Estimated CUDA graph memory: 1.58 GiB total\n");
        const MeasuredMemory measured = parseStartupLog(log);
        QCOMPARE(measured.modelLoadingGiB, QList<double>{12.66});
        QCOMPARE(measured.availableKvCacheGiB, QList<double>{112.61});
        QCOMPARE(measured.kvCacheTokens, std::optional<qint64>(922496));
        QCOMPARE(measured.concurrencyTokens, std::optional<qint64>(32768));
        QCOMPARE(measured.cudaGraphGiB, QList<double>{1.58});
        QVERIFY(parseStartupLog(QStringLiteral("nothing about memory\n")).isEmpty());
    }

    void calibrate_reportsEachTermAgainstThePlan()
    {
        PlanInputs inputs;
        inputs.model = ModelCatalog::builtIn().find(QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ"))->config;
        inputs.presets = builtInPresets();
        inputs.presetName = QStringLiteral("dgx");
        inputs.nodes = 2;
        inputs.maxModelLen = 128000;
        const DeploymentPlan plan = buildDeploymentPlan(inputs);
        QVERIFY(plan.memory.fits());
        // dzhsurf's "weights only occupy 26GB" per GPU on 2 x 8 H100 (planner.md §3).
        const MeasuredMemory measured = parseStartupLog(QStringLiteral(
            "Model loading took 24.2146 GiB and 704.05 seconds\n"
            "the current vLLM instance can use total_gpu_memory (79.19GiB) x gpu_memory_utilization (0.90) = 71.27GiB\n"
            "model weights take 24.21GiB; non_torch_memory takes 1.90GiB; PyTorch activation peak memory takes "
            "6.10GiB; the rest of the memory reserved for KV Cache is 39.06GiB.\n"
            "# cuda blocks: 18350, # CPU blocks: 7767\n"
            "Maximum concurrency for 128000 tokens per request: 9.17x\n"));
        const CalibrationReport report = calibrate(plan.memory, measured);
        QCOMPARE(report.terms.size(), 7);
        const CalibrationTerm &weights = report.terms[0];
        QCOMPARE(weights.name, QStringLiteral("weights"));
        QCOMPARE(weights.measured, std::optional<double>(24.2146));
        QVERIFY(weights.ratio() > 1.0 && weights.ratio() < 1.2); // ~1.1 observed/computed (planner.md §3)
        QCOMPARE(report.terms[4].name, QStringLiteral("kv_cache"));
        QCOMPARE(report.terms[4].measured, std::optional<double>(39.06));
        QCOMPARE(report.terms[5].measured, std::optional<double>(18350.0 * 64));
        QCOMPARE(report.terms[3].name, QStringLiteral("cuda_graphs"));
        QVERIFY(!report.terms[3].measured);
        QVERIFY(report.text().contains(QLatin1String("not in the log")));
        QVERIFY(report.text().contains(QLatin1String("measured 24.21 GiB")));
    }

    // 0.7.x prints blocks only; the block size it used (16 for its MLA backend, not FlashMLA's 64)
    // shows in its concurrency line, and the token count follows it.
    void calibrate_tokensUseTheBlockSizeTheLogImplies()
    {
        PlanInputs inputs;
        inputs.model = ModelCatalog::builtIn().find(QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ"))->config;
        inputs.presets = builtInPresets();
        inputs.presetName = QStringLiteral("dgx");
        inputs.nodes = 2;
        inputs.maxModelLen = 100000;
        const DeploymentPlan plan = buildDeploymentPlan(inputs);
        const MeasuredMemory measured =
            parseStartupLog(QStringLiteral("# cuda blocks: 83053, # CPU blocks: 7767\n"
                                           "Maximum concurrency for 100000 tokens per request: 13.29x\n"));
        const CalibrationReport report = calibrate(plan.memory, measured);
        QCOMPARE(report.terms[5].name, QStringLiteral("kv_tokens"));
        QCOMPARE(report.terms[5].measured, std::optional<double>(83053.0 * 16));
        QVERIFY2(report.text().contains(QLatin1String("measured 1,328,848 tokens")), qPrintable(report.text()));
        QVERIFY2(report.text().contains(QLatin1String("measured 13.29x")), qPrintable(report.text()));
    }
};

QTEST_GUILESS_MAIN(TestStartupLogCalibration)
#include "tst_startuplogcalibration.moc"
