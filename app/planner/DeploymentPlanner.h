// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "planner/CostEstimate.h"
#include "planner/GpuCatalog.h"
#include "planner/MemoryPlan.h"
#include "planner/ModelConfig.h"
#include "planner/PlannerPreset.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace ApoloDeploy::Planner {

class WeightInventory;

// Everything the user chose (CLI options or GUI fields). Zero / empty = "pick for me".
struct PlanInputs
{
    ModelConfig model;
    QString modelId;                          // for display and the vLLM command
    std::optional<QuantScheme> quantOverride; // --quant; default: the checkpoint's scheme
    QList<PlannerPreset> presets;             // candidates (live or built-in)
    QString presetName;                       // --preset; empty = --gpu or the cheapest preset that fits
    QString gpuModel;                         // --gpu
    qint64 gpuMemoryOverrideBytes = 0;        // --gpu-mem-gib
    int gpusPerNode = 0;
    int nodes = 0;
    int tensorParallel = 0;
    int pipelineParallel = 0;
    qint64 maxModelLen = 0;
    int concurrency = 1;
    KvCacheDtype kvCacheDtype = KvCacheDtype::Auto;
    double gpuMemoryUtilization = 0.9;
    bool enforceEager = false;
    QString layerPartition; // VLLM_PP_LAYER_PARTITION
    int maxNodes = 8;       // search limit for recommendations
    QString lifeSpanHours;
    QString currencyPerCredit;
    QString outputTokensPerSecond;
    OverheadModel overheads;
    std::optional<qint64> checkpointBytes; // safetensors index total_size, when known
};

struct Recommendation
{
    bool found = false; // false: nothing up to maxNodes meets the target
    int tensorParallel = 1;
    int pipelineParallel = 1;
    int nodes = 1;
    qint64 maxModelLen = 0;
    QStringList flags;       // vllm serve arguments, argv style
    QStringList environment; // NAME=value pairs for the containers
    QString summary;         // why
};

struct DeploymentPlan
{
    QString modelId;
    QString error;       // inputs that cannot be planned at all (unknown GPU or preset)
    PlanRequest request; // the resolved shape
    GpuSpec gpu;
    QString presetName; // empty for a bare --gpu
    bool presetIsExample = false;
    QString presetChoice; // why the preset was chosen when none was given (and a cheaper alternative)
    MemoryPlan memory;
    QStringList flags; // vllm serve arguments for the planned shape (recommended.flags: for its own)
    Recommendation recommended;
    std::optional<CostEstimate> cost; // when a preset (price) is known
    std::optional<qint64> checkpointBytes;

    bool isValid() const { return error.isEmpty(); }
};

// Largest TP <= gpusPerNode that vLLM accepts for the model and weights (1 when none larger).
int recommendedTensorParallel(const ModelConfig &model, const QuantScheme &weights, int gpusPerNode);

// The vllm serve flags for a planned shape.
QStringList vllmFlags(const ModelConfig &model, const QuantScheme &weights, const PlanRequest &request,
                      qint64 maxModelLen);

// Resolves the hardware, plans the chosen (or recommended) shape, recommends the fewest nodes that
// meet maxModelLen x concurrency, and prices it. Pure.
DeploymentPlan buildDeploymentPlan(const PlanInputs &inputs);
// The same with a prebuilt inventory (the comparison table reuses one per model).
DeploymentPlan buildDeploymentPlan(const PlanInputs &inputs, const WeightInventory &inventory);

} // namespace ApoloDeploy::Planner

Q_DECLARE_METATYPE(ApoloDeploy::Planner::DeploymentPlan)
