// SPDX-License-Identifier: GPL-3.0-or-later
#include "planner/PresetComparison.h"

#include "planner/GpuCatalog.h"
#include "planner/WeightInventory.h"

#include <QCoreApplication>

namespace ApoloDeploy::Planner {

QList<PresetComparisonRow> comparePresets(const PlanInputs &inputs, const WeightInventory &inventory)
{
    const QuantScheme weights = inputs.quantOverride.value_or(inventory.config().checkpointQuant);
    QList<PresetComparisonRow> rows;
    for (const PlannerPreset &preset : inputs.presets) {
        if (!preset.hasGpus())
            continue;
        PresetComparisonRow row;
        row.presetName = preset.name;
        row.gpuModel = preset.gpuModel;
        row.gpuCount = preset.gpuCount;
        row.isExample = preset.isExample;
        const std::optional<GpuSpec> gpu = GpuCatalog::builtIn().resolve(preset.gpuModel, preset.gpuMemoryBytes);
        if (!gpu) {
            row.note =
                QCoreApplication::translate("Planner", "unknown GPU \"%1\" without a memory size").arg(preset.gpuModel);
            rows << row;
            continue;
        }
        row.gpuVisibleBytes = gpu->visibleBytes;
        row.tensorParallel = recommendedTensorParallel(inventory.config(), weights, preset.gpuCount);
        const NodeSearch search =
            findFewestNodes(inventory, inputs, weights, gpu->visibleBytes, preset.gpuCount, row.tensorParallel);
        row.fits = search.found;
        row.nodesNeeded = search.found ? search.nodes : 0;
        row.pipelineParallel = search.pipelineParallel;
        row.maxContext = search.plan.verdict == Verdict::Invalid || search.plan.verdict == Verdict::WeightsDoNotFit
                             ? 0
                             : search.plan.maxModelLenThatFits;
        row.maxConcurrency = search.plan.maxConcurrency;
        row.note = search.plan.verdictText;
        // A price only means something for a shape that works.
        if (const std::optional<CreditAmount> price = CreditAmount::parse(preset.creditsPerHour);
            price && search.found) {
            row.creditsPerHour = *price * search.nodes;
            row.hasPrice = true;
        }
        rows << row;
    }
    return rows;
}

namespace {

// Strict order on fitting rows: a priced row beats an unpriced one, then the cheaper one.
bool cheaper(const PresetComparisonRow &row, const PresetComparisonRow &than)
{
    if (row.hasPrice != than.hasPrice)
        return row.hasPrice;
    return row.hasPrice && row.creditsPerHour.units() < than.creditsPerHour.units();
}

} // namespace

const PresetComparisonRow *cheapestFit(const QList<PresetComparisonRow> &rows)
{
    const PresetComparisonRow *best = nullptr;
    for (const PresetComparisonRow &row : rows) {
        if (!row.fits)
            continue;
        if (!best || cheaper(row, *best) || (!cheaper(*best, row) && row.nodesNeeded < best->nodesNeeded))
            best = &row;
    }
    return best;
}

const PresetComparisonRow *recommendedFit(const QList<PresetComparisonRow> &rows)
{
    const PresetComparisonRow *best = nullptr;
    for (const PresetComparisonRow &row : rows) {
        if (!row.fits)
            continue;
        if (!best || row.nodesNeeded < best->nodesNeeded ||
            (row.nodesNeeded == best->nodesNeeded && cheaper(row, *best)))
            best = &row;
    }
    if (best)
        return best;
    for (const PresetComparisonRow &row : rows) {
        if (row.gpuVisibleBytes > 0 && (!best || row.maxContext > best->maxContext))
            best = &row;
    }
    return best;
}

} // namespace ApoloDeploy::Planner
