// SPDX-License-Identifier: GPL-3.0-or-later
#include "planner/PlanChecks.h"

#include "planner/PipelineSplit.h"

#include <QCoreApplication>

#include <cmath>
#include <optional>

namespace ApoloDeploy::Planner {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Planner", text);
}

PlanIssue error(const char *code, const QString &message)
{
    return {PlanIssue::Severity::Error, QString::fromLatin1(code), message};
}

PlanIssue warning(const char *code, const QString &message)
{
    return {PlanIssue::Severity::Warning, QString::fromLatin1(code), message};
}

QString joinInts(const QList<int> &values)
{
    QStringList parts;
    for (int value : values)
        parts << QString::number(value);
    return parts.join(QLatin1String(", "));
}

// Quantized row-parallel weights split their input dimension: each shard must hold whole groups.
// Returns the first "name: size" that breaks, empty when all are fine.
QString groupMismatch(const ModelConfig &config, const QuantScheme &weights, int tp, bool expertParallel)
{
    if (weights.groupSize <= 0 ||
        (weights.method != QuantScheme::Method::Awq && weights.method != QuantScheme::Method::Gptq &&
         weights.method != QuantScheme::Method::CompressedTensors))
        return {};
    struct Dimension
    {
        const char *name;
        qint64 size;
    };
    QList<Dimension> dimensions;
    const bool denseLayers = !config.isMoe() || config.firstKDenseReplace > 0 || !config.mlpOnlyLayers.isEmpty();
    if (denseLayers && config.architecture != Architecture::Mixtral)
        dimensions.append({"intermediate_size", config.intermediateSize});
    if (config.isMoe() && !expertParallel)
        dimensions.append({"moe_intermediate_size", config.moeIntermediateSize});
    if (config.sharedExpertIntermediateSize > 0)
        dimensions.append({"shared_expert_intermediate_size", config.sharedExpertIntermediateSize});
    dimensions.append({"attention output (heads x head_dim)", config.isMla()
                                                                  ? config.numAttentionHeads * config.vHeadDim
                                                                  : config.numAttentionHeads * config.headDim});
    for (const Dimension &dimension : dimensions) {
        if (dimension.size % tp != 0 || (dimension.size / tp) % weights.groupSize != 0)
            return QStringLiteral("%1 %2 / TP %3 = %4")
                .arg(QLatin1String(dimension.name))
                .arg(dimension.size)
                .arg(tp)
                .arg(double(dimension.size) / tp);
    }
    return {};
}

bool divisibleForTp(const ModelConfig &config, int tp)
{
    if (config.numAttentionHeads % tp != 0)
        return false;
    if (!config.isMla() && config.numKeyValueHeads % tp != 0 && tp % config.numKeyValueHeads != 0)
        return false;
    return true;
}

} // namespace

bool supportsPipelineParallel(Architecture architecture)
{
    switch (architecture) {
    case Architecture::Llama:
    case Architecture::Mistral:
    case Architecture::Qwen2:
    case Architecture::Qwen3:
    case Architecture::Mixtral:
    case Architecture::Qwen2Moe:
    case Architecture::Qwen3Moe:
    case Architecture::DeepseekV2:
    case Architecture::DeepseekV3: return true;
    }
    return false;
}

QList<int> validTensorParallelSizes(const ModelConfig &config, const QuantScheme &weights, int maxTp,
                                    bool expertParallel)
{
    QList<int> sizes;
    for (int tp = 1; tp <= maxTp; ++tp) {
        if (divisibleForTp(config, tp) && groupMismatch(config, weights, tp, expertParallel).isEmpty())
            sizes << tp;
    }
    return sizes;
}

namespace {

// vLLM V0 (0.7.x) captures CUDA graphs after the KV cache has taken the whole budget, so they must
// fit in what gpu_memory_utilization leaves outside it (vllm.md §5). For MLA MoE models (R1, V3) the
// open-r1 authors saw ~10 GB on H100 for all 61 layers: 0.16 GiB per local layer, UNCONFIRMED in
// general, the same estimate apolo-sandbox's vLLM uses.
std::optional<PlanIssue> cudaGraphRoomIssue(const ModelConfig &config, const PlanRequest &request)
{
    if (request.enforceEager || !config.isMla() || !config.isMoe() || request.gpuVisibleBytes <= 0)
        return std::nullopt;
    const PipelineSplit split = splitLayers(config.numHiddenLayers, request.pipelineParallel, request.layerPartition);
    if (!split.isValid())
        return std::nullopt;
    int mostLayers = 0;
    for (const StageLayers &stage : split.stages)
        mostLayers = qMax(mostLayers, stage.count());
    constexpr double graphGiBPerLayer = 0.16;
    constexpr double cudaContextGiB = 0.5; // the CUDA context also lives outside the budget
    const double neededGiB = graphGiBPerLayer * mostLayers + cudaContextGiB;
    const double roomGiB = double(request.gpuVisibleBytes) * (1.0 - request.gpuMemoryUtilization) / double(kGiB);
    if (neededGiB <= roomGiB)
        return std::nullopt;
    // The largest utilization that leaves the estimated graph memory free, rounded down to 0.01.
    const double visibleGiB = double(request.gpuVisibleBytes) / double(kGiB);
    const double utilization = std::floor((1.0 - neededGiB / visibleGiB) * 100.0) / 100.0;
    return warning("cuda-graphs-room",
                   tr("CUDA-graph capture for %1 layers per GPU (and the CUDA context) needs about %2 GiB (UNCONFIRMED "
                      "estimate) but only "
                      "%3 GiB are left outside gpu-memory-utilization %4: vLLM 0.7 would run out of memory after "
                      "loading. Use --enforce-eager, or --gpu-memory-utilization %5, or more pipeline stages")
                       .arg(mostLayers)
                       .arg(neededGiB, 0, 'f', 1)
                       .arg(roomGiB, 0, 'f', 1)
                       .arg(request.gpuMemoryUtilization)
                       .arg(utilization, 0, 'f', 2));
}

} // namespace

QList<PlanIssue> checkPlanRequest(const ModelConfig &config, const PlanRequest &request)
{
    QList<PlanIssue> issues;
    const int tp = request.tensorParallel;
    const int pp = request.pipelineParallel;
    const int gpus = request.gpusPerNode * request.nodes;
    if (tp < 1 || pp < 1)
        return {error("parallel-size", tr("tensor- and pipeline-parallel sizes must be at least 1"))};

    if (request.gpuVisibleBytes <= 0)
        issues << error("gpu-memory", tr("GPU memory is unknown: choose a GPU model (--gpu) or give --gpu-mem-gib"));
    if (request.gpuMemoryUtilization <= 0 || request.gpuMemoryUtilization > 1.0)
        issues << error("gpu-memory-utilization", tr("GPU memory utilization must be less than 1.0. Got %1. Use a "
                                                     "fraction such as 0.9")
                                                      .arg(request.gpuMemoryUtilization));
    if (config.numAttentionHeads % tp != 0)
        issues << error("tp-heads", tr("Total number of attention heads (%1) must be divisible by tensor parallel "
                                       "size (%2). Use --tp %3")
                                        .arg(config.numAttentionHeads)
                                        .arg(tp)
                                        .arg(joinInts(validTensorParallelSizes(config, request.weights, qMax(gpus, tp),
                                                                               request.enableExpertParallel))));
    else if (!config.isMla() && config.numKeyValueHeads % tp != 0 && tp % config.numKeyValueHeads != 0)
        issues << error("tp-kv-heads",
                        tr("num_key_value_heads (%1) and tensor parallel size (%2) must divide one "
                           "another. Use --tp %3")
                            .arg(config.numKeyValueHeads)
                            .arg(tp)
                            .arg(joinInts(validTensorParallelSizes(config, request.weights, qMax(gpus, tp),
                                                                   request.enableExpertParallel))));
    const QString mismatch = groupMismatch(config, request.weights, tp, request.enableExpertParallel);
    if (!mismatch.isEmpty())
        issues << error("quant-group", tr("%1 is not a multiple of the quantization group size %2, so the %3 weights "
                                          "cannot be sharded. Use --tp %4%5")
                                           .arg(mismatch)
                                           .arg(request.weights.groupSize)
                                           .arg(request.weights.label())
                                           .arg(joinInts(validTensorParallelSizes(
                                               config, request.weights, qMax(gpus, tp), request.enableExpertParallel)))
                                           .arg(config.isMoe() ? tr(" or --enable-expert-parallel") : QString()));
    if (!supportsPipelineParallel(config.architecture) && pp > 1)
        issues << error("pp-unsupported", tr("Pipeline parallelism is not supported for this model (%1). Use "
                                             "--pp 1 and tensor parallelism only")
                                              .arg(config.modelType));
    if (pp > config.numHiddenLayers)
        issues << error("pp-layers",
                        tr("pipeline-parallel-size (%1) exceeds the model's %2 layers: use --pp %2 or less")
                            .arg(pp)
                            .arg(config.numHiddenLayers));
    else if (const PipelineSplit split = splitLayers(config.numHiddenLayers, pp, request.layerPartition);
             !split.isValid())
        issues << error("pp-partition", split.error);
    if (tp * pp > gpus)
        issues << error("gpu-count", tr("TP %1 x PP %2 needs %3 GPUs but %4 node(s) x %5 GPUs give %6: add nodes "
                                        "(--nodes %7) or lower TP/PP")
                                         .arg(tp)
                                         .arg(pp)
                                         .arg(tp * pp)
                                         .arg(request.nodes)
                                         .arg(request.gpusPerNode)
                                         .arg(gpus)
                                         .arg((tp * pp + request.gpusPerNode - 1) / qMax(1, request.gpusPerNode)));
    else if (tp * pp < gpus)
        issues << warning("gpus-unused", tr("TP %1 x PP %2 uses %3 of %4 GPUs: raise --pp or --tp to use them all")
                                             .arg(tp)
                                             .arg(pp)
                                             .arg(tp * pp)
                                             .arg(gpus));
    if (tp > request.gpusPerNode)
        issues << warning("tp-cross-node", tr("TP %1 spans nodes of %2 GPUs: all-reduces then cross the network and "
                                              "need InfiniBand. Prefer TP = GPUs per node and PP = nodes")
                                               .arg(tp)
                                               .arg(request.gpusPerNode));
    const qint64 derived = config.derivedMaxModelLen();
    if (request.maxModelLen > derived)
        issues << error("max-model-len",
                        tr("--max-model-len %1 exceeds the model's maximum %2 (from max_position_embeddings "
                           "and rope_scaling): lower it, or set VLLM_ALLOW_LONG_MAX_MODEL_LEN=1 at "
                           "your own risk")
                            .arg(request.maxModelLen)
                            .arg(derived));
    if (request.maxModelLen < 0 || request.concurrency < 1)
        issues << error("max-model-len", tr("--max-model-len and --concurrency must be positive"));
    if (request.speculativeMtp && (config.numNextnPredictLayers == 0 || !config.isMla()))
        issues << error("mtp", tr("this model has no MTP layer (num_nextn_predict_layers): turn speculative MTP off"));
    if (config.isMla() && request.kvCacheDtype == KvCacheDtype::Fp8 && request.weights.isQuantized())
        issues << warning("fp8-kv-mla", tr("fp8 KV cache with MLA and %1 weights depends on the vLLM version and "
                                           "attention backend (UNCONFIRMED): check the startup log")
                                            .arg(request.weights.label()));
    if (config.isMla() && request.weights.method == QuantScheme::Method::Awq && pp > 1)
        issues << warning("awq-mla-pp", tr("DeepSeek AWQ with pipeline parallelism hit tensor-size errors on the V1 "
                                           "engine (vllm#15332): use a vLLM release that fixed it"));
    if (const std::optional<PlanIssue> graphs = cudaGraphRoomIssue(config, request))
        issues << *graphs;
    return issues;
}

} // namespace ApoloDeploy::Planner
