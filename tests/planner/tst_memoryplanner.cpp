// SPDX-License-Identifier: GPL-3.0-or-later
// vLLM's per-GPU accounting: KV bytes per token (planner.md §4.2), the flagship worked example
// (§4.6), the pipeline split (§4.5), replication rules (§4.4) and every validity error.

#include "planner/GpuCatalog.h"
#include "planner/MemoryPlanner.h"
#include "planner/ModelCatalog.h"
#include "planner/PipelineSplit.h"

#include <QTest>

using namespace ApoloDeploy::Planner;

namespace {

ModelConfig configOf(const QString &id)
{
    const std::optional<CatalogModel> model = ModelCatalog::builtIn().find(id);
    Q_ASSERT(model);
    return model->config;
}

double gib(qint64 bytes)
{
    return double(bytes) / double(kGiB);
}

PlanRequest flagshipRequest(int nodes)
{
    PlanRequest request;
    request.tensorParallel = 8;
    request.pipelineParallel = nodes;
    request.gpusPerNode = 8;
    request.nodes = nodes;
    request.gpuVisibleBytes = GpuCatalog::builtIn().find(QStringLiteral("nvidia-h100-80gb"))->visibleBytes;
    request.weights = configOf(QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ")).checkpointQuant;
    request.maxModelLen = 128000;
    return request;
}

} // namespace

class TestMemoryPlanner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void kvBytesPerToken_matchesPlannerMdTable_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<qint64>("bytes");
        QTest::addColumn<int>("tp8Divisor");
        QTest::newRow("Llama-3.1-8B") << QStringLiteral("meta-llama/Llama-3.1-8B") << 131072LL << 8;
        QTest::newRow("Mixtral") << QStringLiteral("mistralai/Mixtral-8x7B-v0.1") << 131072LL << 8;
        QTest::newRow("Distill-Llama-8B")
            << QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Llama-8B") << 131072LL << 8;
        QTest::newRow("Llama-3.1-70B") << QStringLiteral("meta-llama/Llama-3.1-70B") << 327680LL << 8;
        QTest::newRow("Qwen2.5-72B") << QStringLiteral("Qwen/Qwen2.5-72B-Instruct") << 327680LL << 8;
        QTest::newRow("Distill-Llama-70B")
            << QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Llama-70B") << 327680LL << 8;
        QTest::newRow("Llama-3.1-405B") << QStringLiteral("meta-llama/Llama-3.1-405B") << 516096LL << 8;
        QTest::newRow("Distill-Qwen-32B")
            << QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Qwen-32B") << 262144LL << 8;
        QTest::newRow("Distill-Qwen-7B") << QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B") << 57344LL << 4;
        QTest::newRow("Distill-Qwen-1.5B")
            << QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B") << 28672LL << 2;
        QTest::newRow("Qwen3-30B-A3B") << QStringLiteral("Qwen/Qwen3-30B-A3B") << 98304LL << 4;
        QTest::newRow("Qwen3-235B-A22B") << QStringLiteral("Qwen/Qwen3-235B-A22B") << 192512LL << 4;
        QTest::newRow("DeepSeek-R1") << QStringLiteral("deepseek-ai/DeepSeek-R1") << 70272LL << 1;
        QTest::newRow("DeepSeek-V3") << QStringLiteral("deepseek-ai/DeepSeek-V3") << 70272LL << 1;
    }

    void kvBytesPerToken_matchesPlannerMdTable()
    {
        QFETCH(QString, id);
        QFETCH(qint64, bytes);
        QFETCH(int, tp8Divisor);
        const ModelConfig config = configOf(id);
        QCOMPARE(kvBytesPerTokenPerRank(config, KvCacheDtype::Auto, 1, config.numHiddenLayers), bytes);
        // Per GPU at TP8: GQA divides by min(8, kv heads); MLA is replicated on every rank.
        QCOMPARE(kvBytesPerTokenPerRank(config, KvCacheDtype::Auto, 8, config.numHiddenLayers), bytes / tp8Divisor);
        QCOMPARE(kvBytesPerTokenPerRank(config, KvCacheDtype::Fp8, 1, config.numHiddenLayers), bytes / 2);
    }

    void pipelineSplit_followsGetPpIndices()
    {
        const PipelineSplit r1 = splitLayers(61, 2);
        QVERIFY(r1.isValid());
        QCOMPARE(r1.stages.size(), 2);
        QCOMPARE(r1.stages[0].count(), 31);
        QCOMPARE(r1.stages[0].first, 0);
        QCOMPARE(r1.stages[1].first, 31);
        QCOMPARE(r1.stages[1].count(), 30);
        // Remainders go to partitions[-2], [-3], …: the middle stages, never the last one.
        const PipelineSplit four = splitLayers(61, 4);
        QCOMPARE((QList<int>{four.stages[0].count(), four.stages[1].count(), four.stages[2].count(),
                             four.stages[3].count()}),
                 (QList<int>{15, 15, 16, 15}));
        const PipelineSplit seven = splitLayers(7, 4);
        QCOMPARE((QList<int>{seven.stages[0].count(), seven.stages[1].count(), seven.stages[2].count(),
                             seven.stages[3].count()}),
                 (QList<int>{2, 2, 2, 1}));
        const PipelineSplit custom = splitLayers(61, 2, QStringLiteral("32,29"));
        QVERIFY(custom.isValid());
        QCOMPARE(custom.stages[0].count(), 32);
        QVERIFY(!splitLayers(61, 2, QStringLiteral("30,30")).isValid());
        QVERIFY(!splitLayers(61, 2, QStringLiteral("61")).isValid());
        QVERIFY(!splitLayers(61, 2, QStringLiteral("a,b")).isValid());
    }

    void flagship_twoNodesTp8Pp2_fitsWithPlannerMdFigures()
    {
        const WeightInventory inventory(configOf(QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ")));
        const MemoryPlan plan = planMemory(inventory, flagshipRequest(2));
        QVERIFY2(plan.fits(), qPrintable(plan.verdictText));
        QCOMPARE(plan.ranks.size(), 16);
        const RankPlan &stage0 = plan.ranks.first();
        const RankPlan &stage1 = plan.ranks.last();
        QCOMPARE(stage0.layers(), 31);
        QCOMPARE(stage1.layers(), 30);
        QVERIFY(stage0.holdsEmbedding && !stage0.holdsLmHead);
        QVERIFY(stage1.holdsLmHead && !stage1.holdsEmbedding);
        QCOMPARE(stage0.kvBytesPerToken, 35712LL);
        QCOMPARE(stage1.kvBytesPerToken, 34560LL);
        // §4.6: budget 71.3 GiB, weights ~20.8 / ~22.2 GiB, KV pool ~35-43 GiB, ~1.0-1.3M tokens.
        QVERIFY(qAbs(gib(stage0.budgetBytes) - 71.3) < 0.1);
        QVERIFY2(qAbs(gib(stage0.weightBytes) - 20.8) < 0.6, qPrintable(QString::number(gib(stage0.weightBytes))));
        QVERIFY2(qAbs(gib(stage1.weightBytes) - 22.2) < 0.6, qPrintable(QString::number(gib(stage1.weightBytes))));
        QVERIFY(stage1.weightBytes > stage0.weightBytes);
        QVERIFY(gib(stage0.activationBytes) >= 5 && gib(stage0.activationBytes) <= 8);
        QVERIFY(gib(stage0.overheadBytes()) >= 2 && gib(stage0.overheadBytes()) <= 4);
        for (const RankPlan &rank : {stage0, stage1}) {
            QVERIFY2(gib(rank.kvPoolBytes) >= 35 && gib(rank.kvPoolBytes) <= 43,
                     qPrintable(QString::number(gib(rank.kvPoolBytes))));
            QVERIFY2(rank.kvTokens >= 1'000'000 && rank.kvTokens <= 1'300'000,
                     qPrintable(QString::number(rank.kvTokens)));
        }
        QCOMPARE(plan.capacityTokens, qMin(stage0.kvTokens, stage1.kvTokens));
        QVERIFY2(plan.maxConcurrency >= 8 && plan.maxConcurrency <= 10,
                 qPrintable(QString::number(plan.maxConcurrency)));
        QCOMPARE(plan.maxModelLenThatFits, 163840LL); // the model's own maximum caps it
        QCOMPARE(plan.kvBytesPerToken, 70272LL);
    }

    void flagship_singleNode_fitsWithSmallerCapacity()
    {
        const WeightInventory inventory(configOf(QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ")));
        const MemoryPlan twoNodes = planMemory(inventory, flagshipRequest(2));
        const MemoryPlan oneNode = planMemory(inventory, flagshipRequest(1));
        QVERIFY2(oneNode.fits(), qPrintable(oneNode.verdictText));
        QCOMPARE(oneNode.ranks.size(), 8);
        const RankPlan &rank = oneNode.ranks.first();
        // §4.6: ~43-47 GiB weights per GPU, ~15-20 GiB KV, ~230-300k tokens, ~2 x 128k sequences.
        QVERIFY2(gib(rank.weightBytes) >= 42 && gib(rank.weightBytes) <= 47,
                 qPrintable(QString::number(gib(rank.weightBytes))));
        QVERIFY2(gib(rank.kvPoolBytes) >= 15 && gib(rank.kvPoolBytes) <= 21,
                 qPrintable(QString::number(gib(rank.kvPoolBytes))));
        QVERIFY2(rank.kvTokens >= 230'000 && rank.kvTokens <= 300'000, qPrintable(QString::number(rank.kvTokens)));
        QCOMPARE(rank.kvBytesPerToken, 70272LL);
        QVERIFY(oneNode.maxConcurrency >= 1.8 && oneNode.maxConcurrency < 2.4);
        // The second node buys ~4x the KV tokens, not feasibility.
        QVERIFY(double(twoNodes.capacityTokens) / double(oneNode.capacityTokens) > 3.5);
    }

    void fp8KvCache_roughlyDoublesTokens()
    {
        const WeightInventory inventory(configOf(QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ")));
        PlanRequest request = flagshipRequest(2);
        const qint64 bf16Tokens = planMemory(inventory, request).capacityTokens;
        request.kvCacheDtype = KvCacheDtype::Fp8;
        const qint64 fp8Tokens = planMemory(inventory, request).capacityTokens;
        QVERIFY(fp8Tokens > 1.95 * double(bf16Tokens) && fp8Tokens <= 2 * bf16Tokens + 64);
    }

    void replication_gqaHeadsStopShrinkingBeyondKvHeads()
    {
        const ModelConfig qwen = configOf(QStringLiteral("Qwen/Qwen3-30B-A3B")); // 4 KV heads
        QCOMPARE(kvBytesPerTokenPerRank(qwen, KvCacheDtype::Auto, 4, 48), 98304LL / 4);
        QCOMPARE(kvBytesPerTokenPerRank(qwen, KvCacheDtype::Auto, 8, 48), 98304LL / 4);
        // k/v projections are replicated too: a TP8 rank holds one of the four heads.
        const WeightInventory inventory(qwen);
        const qint64 kv4 = WeightInventory::tensorBytes(inventory.layer(0).at(1), QuantScheme::unquantized(2), 4, 4);
        const qint64 kv8 = WeightInventory::tensorBytes(inventory.layer(0).at(1), QuantScheme::unquantized(2), 8, 4);
        QCOMPARE(inventory.layer(0).at(1).module, QStringLiteral("self_attn.k_proj"));
        QCOMPARE(kv4, kv8);
    }

    void replication_mlaDownProjectionsAndRouterOnEveryRank()
    {
        const WeightInventory inventory(configOf(QStringLiteral("deepseek-ai/DeepSeek-R1")));
        const QuantScheme bf16 = QuantScheme::unquantized(2);
        qint64 replicatedParams = 0;
        for (const TensorGroup &tensor : inventory.layer(3)) {
            const qint64 one = WeightInventory::tensorBytes(tensor, bf16, 1, 128);
            const qint64 eight = WeightInventory::tensorBytes(tensor, bf16, 8, 128);
            if (tensor.sharding == Sharding::Replicated) {
                QCOMPARE(eight, one);
                if (tensor.linear)
                    replicatedParams += tensor.params();
            } else {
                QCOMPARE(eight * 8, one);
            }
        }
        // §4.4: q_a_proj + kv_a_proj_with_mqa, ~15.1M parameters per layer, on every rank.
        QVERIFY2(qAbs(double(replicatedParams) - 15.1e6) < 0.1e6, qPrintable(QString::number(replicatedParams)));
        // The MLA latent cache is replicated: TP8 does not divide it.
        QCOMPARE(kvBytesPerTokenPerRank(inventory.config(), KvCacheDtype::Auto, 8, 61), 70272LL);
    }

    void validity_eachErrorSaysWhatToChange_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<int>("tp");
        QTest::addColumn<int>("pp");
        QTest::addColumn<int>("nodes");
        QTest::addColumn<QString>("quant");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("hint");
        QTest::newRow("heads") << QStringLiteral("meta-llama/Llama-3.1-8B") << 3 << 1 << 1 << QString()
                               << QStringLiteral("tp-heads") << QStringLiteral("--tp 1, 2, 4, 8");
        QTest::newRow("kv heads") << QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B") << 7 << 1 << 1
                                  << QString() << QStringLiteral("tp-kv-heads") << QStringLiteral("--tp 1, 2, 4");
        QTest::newRow("pp > layers") << QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B") << 1 << 29 << 4
                                     << QString() << QStringLiteral("pp-layers") << QStringLiteral("--pp 28");
        QTest::newRow("gpu count") << QStringLiteral("meta-llama/Llama-3.1-70B") << 8 << 2 << 1 << QString()
                                   << QStringLiteral("gpu-count") << QStringLiteral("--nodes 2");
        QTest::newRow("quant group") << QStringLiteral("Qwen/Qwen2.5-72B-Instruct") << 8 << 1 << 1
                                     << QStringLiteral("gptq-g128") << QStringLiteral("quant-group")
                                     << QStringLiteral("29568 / TP 8");
    }

    void validity_eachErrorSaysWhatToChange()
    {
        QFETCH(QString, id);
        QFETCH(int, tp);
        QFETCH(int, pp);
        QFETCH(int, nodes);
        QFETCH(QString, quant);
        QFETCH(QString, code);
        QFETCH(QString, hint);
        const ModelConfig config = configOf(id);
        PlanRequest request;
        request.tensorParallel = tp;
        request.pipelineParallel = pp;
        request.gpusPerNode = 8;
        request.nodes = nodes;
        request.gpuVisibleBytes = 80 * kGiB;
        request.weights = quant.isEmpty() ? config.checkpointQuant : *parseQuantOption(quant).scheme;
        const MemoryPlan plan = planMemory(WeightInventory(config), request);
        QCOMPARE(plan.verdict, Verdict::Invalid);
        bool found = false;
        for (const PlanIssue &issue : plan.issues) {
            if (issue.code == code) {
                found = true;
                QVERIFY2(issue.message.contains(hint), qPrintable(issue.message));
            }
        }
        QVERIFY2(found, qPrintable(plan.verdictText));
    }

    // V0 captures CUDA graphs outside the budget: R1's 61 layers on one node do not leave room at
    // 0.9, two pipeline stages (31 layers) or --enforce-eager do.
    void cudaGraphs_r1OnOneNodeWarnsWithTheFix()
    {
        const ModelConfig config = configOf(QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ"));
        PlanRequest request;
        request.tensorParallel = 8;
        request.gpusPerNode = 8;
        request.gpuVisibleBytes = qint64(79.18 * double(kGiB));
        request.weights = config.checkpointQuant;
        const auto graphWarning = [&]() -> QString {
            for (const PlanIssue &issue : planMemory(WeightInventory(config), request).issues) {
                if (issue.code == QLatin1String("cuda-graphs-room"))
                    return issue.message;
            }
            return QString();
        };
        const QString message = graphWarning();
        QVERIFY(message.contains(QLatin1String("--enforce-eager")));
        QVERIFY2(message.contains(QLatin1String("--gpu-memory-utilization 0.87")), qPrintable(message));
        request.gpuMemoryUtilization = 0.87;
        QVERIFY(graphWarning().isEmpty());
        request.gpuMemoryUtilization = 0.9;
        request.enforceEager = true;
        QVERIFY(graphWarning().isEmpty());
        request.enforceEager = false;
        request.pipelineParallel = 2;
        request.nodes = 2;
        QVERIFY(graphWarning().isEmpty());
        // Dense models are not concerned.
        const ModelConfig llama = configOf(QStringLiteral("meta-llama/Llama-3.1-70B"));
        request = PlanRequest();
        request.tensorParallel = 8;
        request.gpusPerNode = 8;
        request.gpuVisibleBytes = 80 * kGiB;
        request.weights = llama.checkpointQuant;
        for (const PlanIssue &issue : planMemory(WeightInventory(llama), request).issues)
            QVERIFY(issue.code != QLatin1String("cuda-graphs-room"));
    }

    void validity_utilizationAndLengthChecks()
    {
        const ModelConfig config = configOf(QStringLiteral("meta-llama/Llama-3.1-8B"));
        PlanRequest request;
        request.gpuVisibleBytes = 80 * kGiB;
        request.gpuMemoryUtilization = 1.05;
        MemoryPlan plan = planMemory(WeightInventory(config), request);
        QVERIFY(plan.verdictText.contains(QLatin1String("GPU memory utilization must be less than 1.0. Got 1.05")));
        request.gpuMemoryUtilization = 0.9;
        request.maxModelLen = 200000;
        plan = planMemory(WeightInventory(config), request);
        QCOMPARE(plan.verdict, Verdict::Invalid);
        QVERIFY(plan.verdictText.contains(QLatin1String("131072")));
    }

    void verdict_kvTooSmallReportsLargestLengthThatFits()
    {
        // Like llm-d's Qwen3-32B on one H100: ~61 GiB of weights leave ~4-5 GiB for KV.
        const ModelConfig config = configOf(QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Qwen-32B"));
        PlanRequest request;
        request.gpuVisibleBytes = GpuCatalog::builtIn().find(QStringLiteral("H100"))->visibleBytes;
        request.weights = config.checkpointQuant;
        request.maxModelLen = 131072;
        const MemoryPlan plan = planMemory(WeightInventory(config), request);
        QCOMPARE(plan.verdict, Verdict::KvCacheTooSmall);
        QVERIFY(plan.maxModelLenThatFits > 0 && plan.maxModelLenThatFits < 131072);
        QCOMPARE(plan.maxModelLenThatFits % plan.blockSize, 0);
        QVERIFY(plan.verdictText.contains(QString::number(plan.maxModelLenThatFits)));
        // Planning at that length fits.
        request.maxModelLen = plan.maxModelLenThatFits;
        QVERIFY(planMemory(WeightInventory(config), request).fits());
    }

    void verdict_weightsDoNotFit()
    {
        const ModelConfig config = configOf(QStringLiteral("meta-llama/Llama-3.1-405B"));
        PlanRequest request;
        request.tensorParallel = 8;
        request.gpusPerNode = 8;
        request.gpuVisibleBytes = GpuCatalog::builtIn().find(QStringLiteral("H100"))->visibleBytes;
        request.weights = config.checkpointQuant;
        const MemoryPlan plan = planMemory(WeightInventory(config), request);
        QCOMPARE(plan.verdict, Verdict::WeightsDoNotFit);
        QVERIFY(plan.ranks.first().kvPoolBytes < 0);
        QVERIFY(plan.verdictText.contains(QLatin1String("No available memory for the cache blocks")));
    }

    void enforceEager_dropsCudaGraphs()
    {
        const WeightInventory inventory(configOf(QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ")));
        PlanRequest request = flagshipRequest(2);
        const MemoryPlan graphs = planMemory(inventory, request);
        request.enforceEager = true;
        const MemoryPlan eager = planMemory(inventory, request);
        QCOMPARE(eager.ranks.first().cudaGraphBytes, 0);
        QCOMPARE(eager.ranks.first().kvPoolBytes - graphs.ranks.first().kvPoolBytes,
                 graphs.ranks.first().cudaGraphBytes);
    }
};

QTEST_GUILESS_MAIN(TestMemoryPlanner)
#include "tst_memoryplanner.moc"
