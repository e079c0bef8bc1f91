// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "planner/QuantScheme.h"
#include "planner/WeightInventory.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace ApoloDeploy::Planner {

constexpr qint64 kGiB = 1LL << 30;

enum class KvCacheDtype { Auto, Fp8 };

// vLLM's memory terms that are not derived from the config: estimates from measured profiles
// (planner.md §1.5, §4.3), every one UNCONFIRMED for a given vLLM version and tunable here.
struct OverheadModel
{
    // Torch activation peak of the profile run at `activationReferenceTokens` batched tokens
    // (llm-d, H100, vLLM ~0.11: dense 4.76-5.64 GiB, MoE 7.38 GiB).
    qint64 activationDenseBytes = qint64(4.8 * kGiB);
    qint64 activationMoeBytes = qint64(7.4 * kGiB);
    int activationReferenceTokens = 8192;
    // Non-torch memory: NCCL buffers, custom all-reduce, cuBLAS workspaces (0.13 GiB TP1, 0.55 TP2;
    // cross-node NCCL budgeted at 1.5 GiB, UNCONFIRMED).
    qint64 nonTorchSingleGpuBytes = qint64(0.15 * kGiB);
    qint64 nonTorchTensorParallelBytes = qint64(0.6 * kGiB);
    qint64 nonTorchMultiNodeBytes = qint64(1.5 * kGiB);
    // CUDA graphs (measured -0.9 .. +1.0 GiB on H100); 0 with --enforce-eager.
    qint64 cudaGraphBytes = qint64(1.0 * kGiB);
};

struct PlanRequest
{
    int tensorParallel = 1;
    int pipelineParallel = 1;
    int gpusPerNode = 1;
    int nodes = 1;
    qint64 gpuVisibleBytes = 0; // CUDA-visible bytes of one GPU
    QuantScheme weights;        // normally the checkpoint's own scheme
    double gpuMemoryUtilization = 0.9;
    qint64 maxModelLen = 0; // 0 = the model's derived maximum (vLLM's default)
    int concurrency = 1;    // requests of maxModelLen tokens that should fit at once
    KvCacheDtype kvCacheDtype = KvCacheDtype::Auto;
    bool enforceEager = false;
    int maxNumBatchedTokens = 8192; // V1 API server default on >= 70 GiB GPUs
    int maxNumSeqs = 1024;
    int blockSize = 0;           // 0 = 64 for MLA (FlashMLA), 16 otherwise (UNCONFIRMED per backend)
    QString layerPartition;      // VLLM_PP_LAYER_PARTITION
    bool speculativeMtp = false; // DeepSeek MTP drafter loaded on the last stage
    bool enableExpertParallel = false;
    qint64 kvCacheMemoryBytes = 0; // --kv-cache-memory-bytes: bypasses the utilization budget
    OverheadModel overheads;
};

// One GPU worker (one pipeline stage x tensor-parallel rank).
struct RankPlan
{
    int stage = 0;
    int tpRank = 0;
    int firstLayer = 0;
    int endLayer = 0;
    bool holdsEmbedding = false;
    bool holdsLmHead = false;
    qint64 budgetBytes = 0; // visible x gpu_memory_utilization
    qint64 weightBytes = 0;
    qint64 activationBytes = 0;
    qint64 nonTorchBytes = 0;
    qint64 cudaGraphBytes = 0;
    qint64 kvPoolBytes = 0;     // may be negative: weights do not fit
    qint64 kvBytesPerToken = 0; // this rank, its layers
    qint64 kvBlocks = 0;
    qint64 kvTokens = 0;
    qint64 freeBytes = 0; // visible memory left outside the budget
    int layers() const { return endLayer - firstLayer; }
    qint64 overheadBytes() const { return nonTorchBytes + cudaGraphBytes; }
};

struct PlanIssue
{
    enum class Severity { Error, Warning };
    Severity severity = Severity::Error;
    QString code;    // "tp-heads", "pp-layers", …: stable for tests and JSON
    QString message; // says what to change
};

enum class Verdict { Fits, KvCacheTooSmall, WeightsDoNotFit, Invalid };

QString verdictCode(Verdict verdict); // "fits", "kv_cache_too_small", "weights_do_not_fit", "invalid"

struct MemoryPlan
{
    ParameterCounts params;
    qint64 weightBytesTotal = 0; // whole checkpoint in the chosen format (no MTP)
    qint64 kvBytesPerToken = 0;  // all layers, one copy
    int blockSize = 16;
    qint64 maxModelLen = 0; // the length planned for
    qint64 derivedMaxModelLen = 0;
    QList<RankPlan> ranks;
    QList<PlanIssue> issues;
    Verdict verdict = Verdict::Invalid;
    QString verdictText;            // in vLLM's own words
    qint64 capacityTokens = 0;      // min over ranks
    qint64 maxModelLenThatFits = 0; // what --max-model-len auto would pick (capped by the model)
    double maxConcurrency = 0;      // requests of maxModelLen at once
    bool meetsConcurrency = false;

    bool fits() const { return verdict == Verdict::Fits; }
    bool hasErrors() const;
    // The rank that limits capacity (smallest KV pool), nullptr without ranks.
    const RankPlan *weakestRank() const;
};

} // namespace ApoloDeploy::Planner
