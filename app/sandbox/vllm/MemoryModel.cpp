// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/vllm/MemoryModel.h"

#include <algorithm>
#include <cmath>

namespace ApoloDeploy::Sandbox {

namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
// The CUDA context and allocator slack torch never sees: memory outside the profiled budget.
constexpr double kCudaContextGiB = 0.5;
// DeepSeek MLA keeps q_a_proj, kv_a_proj_with_mqa and the router gate replicated on every TP rank.
constexpr double kMlaReplicatedParamsPerLayer = 15.1e6;

struct GpuEntry
{
    const char *model;
    double totalGiB;
    const char *deviceName;
};

// Totals as torch.cuda.mem_get_info reports them (vllm.md §5, planner.md §1.5/§5.1).
const GpuEntry kGpus[] = {
    {"h100", 79.19, "NVIDIA H100 80GB HBM3"},
    {"h200", 139.81, "NVIDIA H200"},
    {"h20", 95.0, "NVIDIA H20"},
    {"a100-80", 79.15, "NVIDIA A100-SXM4-80GB"},
    {"a100-40", 39.39, "NVIDIA A100-SXM4-40GB"},
    {"a100", 79.15, "NVIDIA A100-SXM4-80GB"},
    {"l40s", 44.39, "NVIDIA L40S"},
    {"l4", 22.03, "NVIDIA L4"},
    {"a10", 22.06, "NVIDIA A10"},
    {"v100-32", 31.74, "Tesla V100-SXM2-32GB"},
    {"v100", 15.77, "Tesla V100-SXM2-16GB"},
    {"t4", 14.58, "Tesla T4"},
    {"4090", 23.64, "NVIDIA GeForce RTX 4090"},
};

const GpuEntry *findGpu(const QString &gpuModel)
{
    const QString lower = gpuModel.toLower();
    for (const GpuEntry &entry : kGpus) {
        if (lower.contains(QLatin1String(entry.model)))
            return &entry;
    }
    return nullptr;
}

} // namespace

double cudaTotalGiB(const QString &gpuModel, qint64 gpuMemoryBytes)
{
    if (const GpuEntry *entry = findGpu(gpuModel))
        return entry->totalGiB;
    // The driver reserves a little of the marketed capacity.
    if (gpuMemoryBytes > 0)
        return gpuMemoryBytes / kGiB * 0.985;
    return 79.19;
}

QString cudaDeviceName(const QString &gpuModel)
{
    if (const GpuEntry *entry = findGpu(gpuModel))
        return QString::fromLatin1(entry->deviceName);
    return gpuModel.isEmpty() ? QStringLiteral("NVIDIA H100 80GB HBM3") : gpuModel;
}

int MemoryModel::stageOutOfMemoryAtLoad() const
{
    for (int i = 0; i < stages.size(); ++i) {
        if (stages.at(i).weightsGiB > totalGpuGiB - kCudaContextGiB)
            return i;
    }
    return -1;
}

int MemoryModel::stageOutOfMemoryAtGraphCapture() const
{
    const double leftOutsideBudget = totalGpuGiB - budgetGiB - kCudaContextGiB;
    for (int i = 0; i < stages.size(); ++i) {
        if (stages.at(i).cudaGraphGiB > leftOutsideBudget)
            return i;
    }
    return -1;
}

QList<int> MemoryModel::pipelineLayerSplit(int layers, int stageCount, const QString &partitionOverride)
{
    stageCount = std::max(1, stageCount);
    if (!partitionOverride.isEmpty()) {
        QList<int> custom;
        int sum = 0;
        for (const QString &part : partitionOverride.split(QLatin1Char(','))) {
            custom << part.trimmed().toInt();
            sum += custom.last();
        }
        if (custom.size() == stageCount && sum == layers)
            return custom;
    }
    QList<int> split(stageCount, layers / stageCount);
    // The last stage already holds the final norm and lm_head, so the remainder goes before it.
    const int remainder = layers % stageCount;
    for (int i = 2; i < remainder + 2; ++i)
        split[stageCount - i] += 1;
    return split;
}

MemoryModel MemoryModel::compute(const ModelFacts &model, const VllmServerArgs &args, int effectiveMaxModelLen,
                                 double totalGpuGiB, const QString &partitionOverride)
{
    MemoryModel memory;
    memory.totalGpuGiB = totalGpuGiB;
    memory.budgetGiB = totalGpuGiB * args.gpuMemoryUtilization;
    memory.kvDtypeBytes = args.kvCacheDtype.startsWith(QLatin1String("fp8")) ? 1 : 2;
    if (args.dtype == QLatin1String("float") || args.dtype == QLatin1String("float32"))
        memory.kvDtypeBytes = args.kvCacheDtype.startsWith(QLatin1String("fp8")) ? 1 : 4;
    memory.blockSize = args.blockSize;
    memory.maxModelLen = effectiveMaxModelLen;

    const int tp = std::max(1, args.tensorParallel);
    // MLA forces chunked prefill off in 0.7.x, so the profile run covers a whole max-length prompt.
    const bool chunked = !model.isMla() && args.enableChunkedPrefill.value_or(effectiveMaxModelLen > 32000);
    const int batchedTokens = args.maxNumBatchedTokens.value_or(chunked ? 2048 : std::max(effectiveMaxModelLen, 2048));
    const qint64 perTokenPerLayer = model.kvBytesPerTokenPerLayer(tp, memory.kvDtypeBytes);
    const QList<int> split = pipelineLayerSplit(model.numLayers, args.pipelineParallel, partitionOverride);

    int firstLayer = 0;
    memory.gpuBlocks = -1;
    memory.cpuBlocks = -1;
    for (int s = 0; s < split.size(); ++s) {
        StageMemory stage;
        stage.firstLayer = firstLayer;
        stage.layerCount = split.at(s);
        firstLayer += stage.layerCount;
        const double layerShare = double(stage.layerCount) / std::max(1, model.numLayers);
        stage.weightsGiB = model.loadedWeightGiB * layerShare / tp;
        if (model.isMla()) {
            const double bytesPerParam = model.quantMethod == QLatin1String("fp8") ? 1.0 : 2.0;
            stage.weightsGiB += stage.layerCount * kMlaReplicatedParamsPerLayer * bytesPerParam * (tp - 1) / tp / kGiB;
        }
        stage.nonTorchGiB = (tp == 1 ? 0.13 : 0.35 + 0.27 * tp) + (split.size() > 1 ? 0.2 : 0.0);
        stage.activationPeakGiB = double(batchedTokens) * model.hiddenSize * 24.0 / tp / kGiB;
        if (s == split.size() - 1) // sampler logits for a full batch live on the last stage
            stage.activationPeakGiB += double(std::min(args.maxNumSeqs, 256)) * model.vocabSize * 4.0 / tp / kGiB;
        stage.kvCacheGiB = memory.budgetGiB - stage.weightsGiB - stage.nonTorchGiB - stage.activationPeakGiB;
        const double bytesPerBlock = double(args.blockSize) * perTokenPerLayer * std::max(1, stage.layerCount);
        stage.gpuBlocks = stage.kvCacheGiB > 0 ? qint64(std::floor(stage.kvCacheGiB * kGiB / bytesPerBlock)) : 0;
        stage.cpuBlocks = qint64(std::floor(args.swapSpaceGiB * kGiB / bytesPerBlock));
        if (!args.enforceEager) {
            const double batchShare = std::min(args.maxNumSeqs, 256) / 256.0;
            stage.cudaGraphGiB = model.isMla() && model.isMoe()
                                     ? 0.16 * stage.layerCount * batchShare
                                     : 0.1 + 0.004 * stage.layerCount * model.hiddenSize / 4096.0 * batchShare;
        }
        memory.gpuBlocks = memory.gpuBlocks < 0 ? stage.gpuBlocks : std::min(memory.gpuBlocks, stage.gpuBlocks);
        memory.cpuBlocks = memory.cpuBlocks < 0 ? stage.cpuBlocks : std::min(memory.cpuBlocks, stage.cpuBlocks);
        memory.stages << stage;
    }
    return memory;
}

} // namespace ApoloDeploy::Sandbox
