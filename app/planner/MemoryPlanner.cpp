// SPDX-License-Identifier: GPL-3.0-or-later
#include "planner/MemoryPlanner.h"

#include "planner/PipelineSplit.h"
#include "planner/PlanChecks.h"

#include <QCoreApplication>
#include <QLocale>

#include <limits>

namespace ApoloDeploy::Planner {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Planner", text);
}

qint64 ceilDiv(qint64 a, qint64 b)
{
    return (a + b - 1) / b;
}

QString gib(qint64 bytes)
{
    return QString::number(double(bytes) / double(kGiB), 'f', 2);
}

qint64 nonTorchBytes(const PlanRequest &request)
{
    const int world = request.tensorParallel * request.pipelineParallel;
    if (world <= 1)
        return request.overheads.nonTorchSingleGpuBytes;
    if (world > request.gpusPerNode) // NCCL across nodes: more buffers and proxies
        return request.overheads.nonTorchMultiNodeBytes;
    return request.overheads.nonTorchTensorParallelBytes;
}

void setVerdict(MemoryPlan &plan)
{
    const QLocale c(QLocale::English); // vLLM V1 prints "922,496 tokens"
    if (plan.hasErrors()) {
        plan.verdict = Verdict::Invalid;
        for (const PlanIssue &issue : plan.issues) {
            if (issue.severity == PlanIssue::Severity::Error) {
                plan.verdictText = tr("invalid: %1").arg(issue.message);
                break;
            }
        }
        return;
    }
    const RankPlan *weakest = plan.weakestRank();
    if (!weakest)
        return;
    if (weakest->kvBlocks <= 0) {
        const qint64 used = weakest->weightBytes + weakest->activationBytes + weakest->overheadBytes();
        plan.verdict = Verdict::WeightsDoNotFit;
        plan.verdictText =
            tr("weights do not fit: stage %1 needs %2 GiB (weights %3 + activation %4 + overheads %5) "
               "of a %6 GiB budget, so the rest of the memory reserved for KV Cache is %7 GiB (\"No "
               "available memory for the cache blocks\"). Add nodes (PP), use fewer-bit weights or "
               "raise --gpu-memory-utilization")
                .arg(weakest->stage)
                .arg(gib(used), gib(weakest->weightBytes), gib(weakest->activationBytes), gib(weakest->overheadBytes()),
                     gib(weakest->budgetBytes), gib(weakest->kvPoolBytes));
        return;
    }
    if (plan.capacityTokens < plan.maxModelLen) {
        plan.verdict = Verdict::KvCacheTooSmall;
        plan.verdictText =
            tr("KV cache too small for max-model-len: To serve at least one request with the model's max "
               "seq len (%1), (%2 GiB KV cache is needed, which is larger than the available KV cache "
               "memory (%3 GiB). Based on the available memory, the estimated maximum model length is %4. "
               "Use --max-model-len %4, add nodes or use --kv-cache-dtype fp8")
                .arg(plan.maxModelLen)
                .arg(gib(ceilDiv(plan.maxModelLen, plan.blockSize) * plan.blockSize * weakest->kvBytesPerToken),
                     gib(weakest->kvPoolBytes))
                .arg(plan.maxModelLenThatFits);
        return;
    }
    plan.verdict = Verdict::Fits;
    plan.verdictText = tr("fits: GPU KV cache size: %1 tokens; Maximum concurrency for %2 tokens per request: %3x")
                           .arg(c.toString(plan.capacityTokens), c.toString(plan.maxModelLen),
                                QString::number(plan.maxConcurrency, 'f', 2));
}

} // namespace

QString verdictCode(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Fits: return QStringLiteral("fits");
    case Verdict::KvCacheTooSmall: return QStringLiteral("kv_cache_too_small");
    case Verdict::WeightsDoNotFit: return QStringLiteral("weights_do_not_fit");
    case Verdict::Invalid: return QStringLiteral("invalid");
    }
    return {};
}

bool MemoryPlan::hasErrors() const
{
    for (const PlanIssue &issue : issues) {
        if (issue.severity == PlanIssue::Severity::Error)
            return true;
    }
    return false;
}

const RankPlan *MemoryPlan::weakestRank() const
{
    const RankPlan *weakest = nullptr;
    for (const RankPlan &rank : ranks) {
        if (!weakest || rank.kvTokens < weakest->kvTokens ||
            (rank.kvTokens == weakest->kvTokens && rank.kvPoolBytes < weakest->kvPoolBytes))
            weakest = &rank;
    }
    return weakest;
}

qint64 kvBytesPerTokenPerRank(const ModelConfig &config, KvCacheDtype dtype, int tp, int layers)
{
    const int elementBytes = dtype == KvCacheDtype::Fp8 ? 1 : 2;
    if (config.isMla())
        return (config.kvLoraRank + config.qkRopeHeadDim) * elementBytes * layers;
    const int kvHeads = qMax(1, config.numKeyValueHeads / qMax(1, tp));
    return 2LL * kvHeads * config.headDim * elementBytes * layers;
}

qint64 activationPeakBytes(const ModelConfig &config, const PlanRequest &request)
{
    const OverheadModel &model = request.overheads;
    qint64 bytes = config.isMoe() ? model.activationMoeBytes : model.activationDenseBytes;
    // Above the measured batch size, grow with the tokens of the profile run like LLM-GPU-Calc's
    // seq x (18 hidden + 4 intermediate) bytes, with the intermediate this rank computes.
    const qint64 extraTokens = qMax(0, request.maxNumBatchedTokens - model.activationReferenceTokens);
    const qint64 intermediate =
        config.isMoe() ? (config.moeIntermediateSize * (config.numExpertsPerToken + config.numSharedExperts) +
                          config.sharedExpertIntermediateSize)
                       : config.intermediateSize;
    bytes += extraTokens * (18 * config.hiddenSize + 4 * intermediate / qMax(1, request.tensorParallel));
    if (config.isMla()) // chunked-prefill workspace for the latent, capped at 128k tokens
        bytes += qMin<qint64>(request.maxModelLen, 128 * 1024) * (config.kvLoraRank + config.qkRopeHeadDim) * 2;
    return bytes;
}

MemoryPlan planMemory(const WeightInventory &inventory, const PlanRequest &request)
{
    const ModelConfig &config = inventory.config();
    MemoryPlan plan;
    plan.params = inventory.counts();
    plan.weightBytesTotal = inventory.totalBytes(request.weights);
    plan.kvBytesPerToken = kvBytesPerTokenPerRank(config, request.kvCacheDtype, 1, config.numHiddenLayers);
    plan.derivedMaxModelLen = config.derivedMaxModelLen();
    plan.maxModelLen = request.maxModelLen > 0 ? request.maxModelLen : plan.derivedMaxModelLen;
    plan.blockSize = request.blockSize > 0 ? request.blockSize : (config.isMla() ? 64 : 16);
    plan.issues = checkPlanRequest(config, request);
    const int tp = request.tensorParallel;
    const int pp = request.pipelineParallel;
    const PipelineSplit split = splitLayers(config.numHiddenLayers, pp, request.layerPartition);
    if (tp < 1 || !split.isValid() || pp > config.numHiddenLayers) {
        setVerdict(plan);
        return plan;
    }

    PlanRequest sized = request;
    sized.maxModelLen = plan.maxModelLen;
    const qint64 budget = qint64(double(request.gpuVisibleBytes) * request.gpuMemoryUtilization);
    const qint64 activation = activationPeakBytes(config, sized);
    const qint64 nonTorch = nonTorchBytes(request);
    const qint64 graphs = request.enforceEager ? 0 : request.overheads.cudaGraphBytes;
    qint64 capacityBlocks = std::numeric_limits<qint64>::max();
    for (int stage = 0; stage < pp; ++stage) {
        const StageLayers layers = split.stages.at(stage);
        const bool last = stage == pp - 1;
        const bool mtp = last && request.speculativeMtp;
        RankPlan rank;
        rank.stage = stage;
        rank.firstLayer = layers.first;
        rank.endLayer = layers.end;
        rank.holdsEmbedding = stage == 0;
        rank.holdsLmHead = last;
        rank.budgetBytes = budget;
        rank.weightBytes =
            inventory.rankBytes(request.weights, tp, layers.first, layers.end, rank.holdsEmbedding, last, mtp) +
            inventory.mlaAbsorbedBytes(request.weights, tp, layers.count() + (mtp ? 1 : 0));
        rank.activationBytes = activation;
        rank.nonTorchBytes = nonTorch;
        rank.cudaGraphBytes = graphs;
        rank.kvPoolBytes = request.kvCacheMemoryBytes > 0 ? request.kvCacheMemoryBytes
                                                          : budget - rank.weightBytes - activation - nonTorch - graphs;
        const int kvLayers = layers.count() + (mtp ? config.numNextnPredictLayers : 0);
        rank.kvBytesPerToken = kvBytesPerTokenPerRank(config, request.kvCacheDtype, tp, kvLayers);
        rank.kvBlocks = rank.kvPoolBytes > 0 && rank.kvBytesPerToken > 0
                            ? rank.kvPoolBytes / (rank.kvBytesPerToken * plan.blockSize)
                            : 0;
        rank.kvTokens = rank.kvBlocks * plan.blockSize;
        rank.freeBytes = request.gpuVisibleBytes - budget;
        capacityBlocks = qMin(capacityBlocks, rank.kvBlocks);
        // Ranks of one stage hold identical shards (heads, experts and vocab divide evenly).
        for (int tpRank = 0; tpRank < tp; ++tpRank) {
            rank.tpRank = tpRank;
            plan.ranks << rank;
        }
    }
    plan.capacityTokens = capacityBlocks * plan.blockSize;
    plan.maxModelLenThatFits = qMin(plan.capacityTokens, plan.derivedMaxModelLen);
    const qint64 blocksPerRequest = ceilDiv(plan.maxModelLen, plan.blockSize);
    plan.maxConcurrency = blocksPerRequest > 0 ? double(capacityBlocks) / double(blocksPerRequest) : 0;
    plan.meetsConcurrency = plan.maxConcurrency >= request.concurrency;
    setVerdict(plan);
    return plan;
}

} // namespace ApoloDeploy::Planner
