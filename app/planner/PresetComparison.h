// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "planner/CreditAmount.h"
#include "planner/DeploymentPlanner.h"

#include <QList>
#include <QString>

namespace ApoloDeploy::Planner {

class WeightInventory;

// Result of searching 1..maxNodes nodes of one GPU type for the fewest that meet the target.
struct NodeSearch
{
    bool found = false;
    int nodes = 1;
    int pipelineParallel = 1;
    MemoryPlan plan; // at `nodes` (the last tried when nothing fits)
};

// One row of the preset comparison table.
struct PresetComparisonRow
{
    QString presetName;
    QString gpuModel;
    int gpuCount = 0;
    qint64 gpuVisibleBytes = 0;
    bool isExample = false;
    bool fits = false;   // some node count up to maxNodes meets length x concurrency
    int nodesNeeded = 0; // 0 when it never fits
    int tensorParallel = 1;
    int pipelineParallel = 1;
    qint64 maxContext = 0; // largest max-model-len at nodesNeeded (or at the last tried)
    double maxConcurrency = 0;
    CreditAmount creditsPerHour; // preset price x nodes needed
    bool hasPrice = false;       // false when it does not fit or the price is malformed
    QString note;                // verdict or why the preset cannot be planned
};

PlanRequest shapeRequest(const PlanInputs &inputs, const QuantScheme &weights, qint64 visibleBytes, int gpusPerNode,
                         int nodes, int tp, int pp);
NodeSearch findFewestNodes(const WeightInventory &inventory, const PlanInputs &inputs, const QuantScheme &weights,
                           qint64 visibleBytes, int gpusPerNode, int tp);

// Every GPU preset in inputs.presets, planned with TP = its GPUs and one stage per node. Pure.
QList<PresetComparisonRow> comparePresets(const PlanInputs &inputs, const WeightInventory &inventory);
// The fitting row with the fewest nodes, then the lowest credits per hour; else the row with the
// longest context; nullptr when there is no GPU preset. Fewest nodes first because every extra node
// is a pipeline stage over the cluster network and one more job that can fail: a cheaper many-node
// shape is offered as an alternative, never chosen silently.
const PresetComparisonRow *recommendedFit(const QList<PresetComparisonRow> &rows);
// The fitting row with the lowest credits per hour (fewest nodes on a tie); nullptr when none fits.
const PresetComparisonRow *cheapestFit(const QList<PresetComparisonRow> &rows);

} // namespace ApoloDeploy::Planner
