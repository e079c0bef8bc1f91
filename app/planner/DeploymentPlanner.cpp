// SPDX-License-Identifier: GPL-3.0-or-later
#include "planner/DeploymentPlanner.h"

#include "planner/MemoryPlanner.h"
#include "planner/PlanChecks.h"
#include "planner/PresetComparison.h"
#include "planner/WeightInventory.h"

#include <QCoreApplication>
#include <QLocale>

namespace ApoloDeploy::Planner {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Planner", text);
}

const PlannerPreset *findPreset(const QList<PlannerPreset> &presets, const QString &name)
{
    for (const PlannerPreset &preset : presets) {
        if (preset.name == name)
            return &preset;
    }
    return nullptr;
}

} // namespace

int recommendedTensorParallel(const ModelConfig &model, const QuantScheme &weights, int gpusPerNode)
{
    const QList<int> sizes = validTensorParallelSizes(model, weights, qMax(1, gpusPerNode));
    return sizes.isEmpty() ? 1 : sizes.last();
}

PlanRequest shapeRequest(const PlanInputs &inputs, const QuantScheme &weights, qint64 visibleBytes, int gpusPerNode,
                         int nodes, int tp, int pp)
{
    PlanRequest request;
    request.tensorParallel = tp;
    request.pipelineParallel = pp;
    request.gpusPerNode = gpusPerNode;
    request.nodes = nodes;
    request.gpuVisibleBytes = visibleBytes;
    request.weights = weights;
    request.gpuMemoryUtilization = inputs.gpuMemoryUtilization;
    request.maxModelLen = inputs.maxModelLen;
    request.concurrency = qMax(1, inputs.concurrency);
    request.kvCacheDtype = inputs.kvCacheDtype;
    request.enforceEager = inputs.enforceEager;
    request.layerPartition = pp > 1 ? inputs.layerPartition : QString();
    request.overheads = inputs.overheads;
    return request;
}

NodeSearch findFewestNodes(const WeightInventory &inventory, const PlanInputs &inputs, const QuantScheme &weights,
                           qint64 visibleBytes, int gpusPerNode, int tp)
{
    NodeSearch search;
    for (int nodes = 1; nodes <= qMax(1, inputs.maxNodes); ++nodes) {
        // TP inside a node, one pipeline stage per node (vLLM's distributed_serving guidance).
        const int pp = tp >= gpusPerNode ? nodes * gpusPerNode / tp : nodes;
        if (pp < 1 || pp > inventory.config().numHiddenLayers)
            break;
        PlanRequest request = shapeRequest(inputs, weights, visibleBytes, gpusPerNode, nodes, tp, pp);
        request.layerPartition.clear(); // a custom partition only applies to the user's own PP
        search.plan = planMemory(inventory, request);
        search.nodes = nodes;
        search.pipelineParallel = pp;
        if (search.plan.fits() && search.plan.meetsConcurrency) {
            search.found = true;
            return search;
        }
        if (search.plan.hasErrors())
            return search;
    }
    return search;
}

QStringList vllmFlags(const ModelConfig &model, const QuantScheme &weights, const PlanRequest &request,
                      qint64 maxModelLen)
{
    QStringList flags = {QStringLiteral("--tensor-parallel-size"), QString::number(request.tensorParallel)};
    if (request.pipelineParallel > 1)
        flags << QStringLiteral("--pipeline-parallel-size") << QString::number(request.pipelineParallel);
    if (request.tensorParallel * request.pipelineParallel > request.gpusPerNode)
        flags << QStringLiteral("--distributed-executor-backend") << QStringLiteral("ray");
    flags << QStringLiteral("--max-model-len") << QString::number(maxModelLen);
    if (request.gpuMemoryUtilization != 0.9)
        flags << QStringLiteral("--gpu-memory-utilization") << QString::number(request.gpuMemoryUtilization);
    if (request.kvCacheDtype == KvCacheDtype::Fp8)
        flags << QStringLiteral("--kv-cache-dtype") << QStringLiteral("fp8");
    if (request.enforceEager)
        flags << QStringLiteral("--enforce-eager");
    // Online quantization of an unquantized checkpoint needs the flag; a quantized checkpoint is detected.
    if (weights.isQuantized() && !model.checkpointQuant.isQuantized())
        flags << QStringLiteral("--quantization") << weights.vllmMethod();
    if (model.isMla())
        flags << QStringLiteral("--trust-remote-code");
    return flags;
}

DeploymentPlan buildDeploymentPlan(const PlanInputs &inputs)
{
    return buildDeploymentPlan(inputs, WeightInventory(inputs.model));
}

DeploymentPlan buildDeploymentPlan(const PlanInputs &inputs, const WeightInventory &inventory)
{
    DeploymentPlan plan;
    plan.modelId = inputs.modelId;
    plan.checkpointBytes = inputs.checkpointBytes;
    const ModelConfig &model = inventory.config();
    const QuantScheme weights = inputs.quantOverride.value_or(model.checkpointQuant);

    // 1. Hardware: a preset, a bare GPU model, or the preset that meets the target on the fewest
    //    nodes (the cheapest of those), with a cheaper many-node shape named as the alternative.
    const PlannerPreset *preset = nullptr;
    QString gpuModel = inputs.gpuModel;
    if (!inputs.presetName.isEmpty()) {
        preset = findPreset(inputs.presets, inputs.presetName);
        if (!preset) {
            QStringList names;
            for (const PlannerPreset &candidate : inputs.presets)
                names << candidate.name;
            plan.error =
                tr("unknown preset \"%1\": choose one of %2").arg(inputs.presetName, names.join(QLatin1String(", ")));
            return plan;
        }
        if (!preset->hasGpus()) {
            plan.error = tr("preset \"%1\" has no GPUs: vLLM needs an NVIDIA GPU preset").arg(preset->name);
            return plan;
        }
    } else if (gpuModel.isEmpty() && inputs.gpuMemoryOverrideBytes <= 0) {
        const QList<PresetComparisonRow> rows = comparePresets(inputs, inventory);
        const PresetComparisonRow *best = recommendedFit(rows);
        if (!best) {
            plan.error = tr("no GPU preset is available: give --preset, --gpu or --gpu-mem-gib");
            return plan;
        }
        preset = findPreset(inputs.presets, best->presetName);
        plan.presetChoice =
            best->fits
                ? tr("%1: the fewest nodes (%2) that hold the target").arg(best->presetName).arg(best->nodesNeeded)
                : tr("%1: no preset holds the target; this one comes closest").arg(best->presetName);
        const PresetComparisonRow *cheapest = cheapestFit(rows);
        if (best->fits && cheapest && cheapest->hasPrice && best->hasPrice &&
            cheapest->creditsPerHour.units() < best->creditsPerHour.units())
            plan.presetChoice += tr("; cheaper: %1 x %2 at %3 credits/h (PP %4 across nodes)")
                                     .arg(cheapest->nodesNeeded)
                                     .arg(cheapest->presetName, cheapest->creditsPerHour.toString())
                                     .arg(cheapest->pipelineParallel);
    }
    if (preset) {
        plan.presetName = preset->name;
        plan.presetIsExample = preset->isExample;
        if (gpuModel.isEmpty())
            gpuModel = preset->gpuModel;
    }
    if (inputs.gpuMemoryOverrideBytes > 0) {
        plan.gpu.model = gpuModel.isEmpty() ? tr("custom") : gpuModel;
        plan.gpu.name = plan.gpu.model;
        plan.gpu.visibleBytes = inputs.gpuMemoryOverrideBytes;
        plan.gpu.source = tr("--gpu-mem-gib override");
    } else {
        const std::optional<GpuSpec> gpu = GpuCatalog::builtIn().resolve(gpuModel, preset ? preset->gpuMemoryBytes : 0);
        if (!gpu) {
            QStringList known;
            for (const GpuSpec &spec : GpuCatalog::builtIn().gpus())
                known << spec.model;
            plan.error = tr("unknown GPU \"%1\": use one of %2, or give its CUDA-visible memory with --gpu-mem-gib")
                             .arg(gpuModel, known.join(QLatin1String(", ")));
            return plan;
        }
        plan.gpu = *gpu;
    }
    const int gpusPerNode = inputs.gpusPerNode > 0 ? inputs.gpusPerNode : (preset ? preset->gpuCount : 8);

    // 2. Recommendation: TP = GPUs per node, the fewest nodes that meet length x concurrency.
    const int recommendedTp = recommendedTensorParallel(model, weights, gpusPerNode);
    const NodeSearch search =
        findFewestNodes(inventory, inputs, weights, plan.gpu.visibleBytes, gpusPerNode, recommendedTp);
    Recommendation &recommended = plan.recommended;
    recommended.found = search.found;
    recommended.tensorParallel = recommendedTp;
    recommended.pipelineParallel = search.pipelineParallel;
    recommended.nodes = search.nodes;
    recommended.maxModelLen = search.plan.fits() ? search.plan.maxModelLen : search.plan.maxModelLenThatFits;
    recommended.summary =
        search.found ? tr("TP %1 inside each node, PP %2 across %3 node(s): the fewest that hold %4 tokens x %5 "
                          "request(s) (KV cache %6 tokens, max concurrency %7x)")
                           .arg(recommendedTp)
                           .arg(search.pipelineParallel)
                           .arg(search.nodes)
                           .arg(search.plan.maxModelLen)
                           .arg(qMax(1, inputs.concurrency))
                           .arg(QLocale(QLocale::English).toString(search.plan.capacityTokens))
                           .arg(QString::number(search.plan.maxConcurrency, 'f', 2))
                     : tr("no shape up to %1 node(s) holds %2 tokens x %3 request(s): %4")
                           .arg(inputs.maxNodes)
                           .arg(search.plan.maxModelLen)
                           .arg(qMax(1, inputs.concurrency))
                           .arg(search.plan.verdictText);
    PlanRequest recommendedRequest = shapeRequest(inputs, weights, plan.gpu.visibleBytes, gpusPerNode, search.nodes,
                                                  recommendedTp, search.pipelineParallel);
    recommended.flags = vllmFlags(model, weights, recommendedRequest, qMax<qint64>(recommended.maxModelLen, 1));

    // 3. The shape to plan: the user's, completed by the recommendation.
    int tp = inputs.tensorParallel > 0 ? inputs.tensorParallel : recommendedTp;
    int nodes = inputs.nodes;
    int pp = inputs.pipelineParallel;
    if (nodes <= 0 && pp > 0)
        nodes = (tp * pp + gpusPerNode - 1) / gpusPerNode;
    if (nodes <= 0)
        nodes = inputs.tensorParallel > 0 ? qMax(1, (tp + gpusPerNode - 1) / gpusPerNode) : search.nodes;
    if (pp <= 0)
        pp = tp >= gpusPerNode ? qMax(1, nodes * gpusPerNode / tp) : nodes;
    plan.request = shapeRequest(inputs, weights, plan.gpu.visibleBytes, gpusPerNode, nodes, tp, pp);
    plan.memory = planMemory(inventory, plan.request);
    plan.flags = vllmFlags(model, weights, plan.request, qMax<qint64>(plan.memory.maxModelLen, 1));
    if (!inputs.layerPartition.isEmpty() && pp > 1)
        recommended.environment << QStringLiteral("VLLM_PP_LAYER_PARTITION=") + inputs.layerPartition;

    // 4. Cost of the planned shape.
    if (preset) {
        CostInputs costInputs;
        costInputs.creditsPerHourPerNode = preset->creditsPerHour;
        costInputs.nodes = nodes;
        costInputs.lifeSpanHours = inputs.lifeSpanHours;
        costInputs.currencyPerCredit = inputs.currencyPerCredit;
        costInputs.outputTokensPerSecond = inputs.outputTokensPerSecond;
        plan.cost = estimateCost(costInputs);
    }
    return plan;
}

} // namespace ApoloDeploy::Planner
