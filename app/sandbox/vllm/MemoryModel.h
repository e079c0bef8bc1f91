// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandbox/vllm/ModelFacts.h"
#include "sandbox/vllm/VllmServerArgs.h"

#include <QList>
#include <QString>

namespace ApoloDeploy::Sandbox {

// What CUDA reports as total memory for a platform GPU model ("nvidia-h100-80gb" -> 79.19 GiB).
double cudaTotalGiB(const QString &gpuModel, qint64 gpuMemoryBytes);
// "NVIDIA H100 80GB HBM3", the name torch.cuda.get_device_name prints.
QString cudaDeviceName(const QString &gpuModel);

// One pipeline stage as vLLM v0.7.2's worker profiles it (worker.py determine_num_available_blocks).
struct StageMemory
{
    int firstLayer = 0;
    int layerCount = 0;
    double weightsGiB = 0;
    double nonTorchGiB = 0;
    double activationPeakGiB = 0;
    double kvCacheGiB = 0; // may be negative: nothing left for the cache
    qint64 gpuBlocks = 0;
    qint64 cpuBlocks = 0;
    double cudaGraphGiB = 0; // captured after KV allocation, outside the budget (V0)
};

// A simple but honest per-GPU memory model of a vLLM V0 instance (vllm.md §5, planner.md §4.3).
struct MemoryModel
{
    double totalGpuGiB = 0;
    double budgetGiB = 0; // total x gpu_memory_utilization
    int kvDtypeBytes = 2;
    QList<StageMemory> stages;
    qint64 gpuBlocks = 0; // min over workers: what "# CUDA blocks" prints
    qint64 cpuBlocks = 0;
    int blockSize = 16;
    int maxModelLen = 0;

    qint64 kvTokenCapacity() const { return gpuBlocks * blockSize; }
    double maxConcurrency() const { return maxModelLen > 0 ? double(kvTokenCapacity()) / maxModelLen : 0; }
    // First stage whose weights alone exceed the GPU: loading runs out of memory there.
    int stageOutOfMemoryAtLoad() const;
    // First stage whose CUDA graphs do not fit in the memory the budget leaves free.
    int stageOutOfMemoryAtGraphCapture() const;

    // Layers per stage as vLLM's get_pp_indices splits them (VLLM_PP_LAYER_PARTITION overrides).
    static QList<int> pipelineLayerSplit(int layers, int stages, const QString &partitionOverride);
    static MemoryModel compute(const ModelFacts &model, const VllmServerArgs &args, int effectiveMaxModelLen,
                               double totalGpuGiB, const QString &partitionOverride);
};

} // namespace ApoloDeploy::Sandbox
