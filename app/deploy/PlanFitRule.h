// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "deploy/DeploymentValidator.h"
#include "planner/ModelConfig.h"
#include "planner/PlannerPreset.h"

#include <QHash>
#include <QList>

namespace ApoloDeploy {

struct Cluster;

// The planner's checks as a DeploymentValidator rule, so validation before launch refuses what
// vLLM would refuse at start-up, with the fix in the message:
//   attention heads (and KV heads, quantization groups) divisible by TP, PP within the layers,
//   the weights plus activations fitting each GPU's budget, and --max-model-len within the KV
//   cache pool that is left.
// Memory numbers are the planner's estimates (planner.md §1.5): a shortfall of a few percent is
// a warning, not an error, so an estimate never blocks a launch that vLLM would accept.
class PlanFitRule
{
public:
    // Shortfalls of the KV pool below this share of --max-model-len are only warned about.
    static constexpr double estimateMargin = 0.05;

    explicit PlanFitRule(QList<Planner::PlannerPreset> presets = Planner::builtInPresets());

    // The cluster's presets, or the built-in (sandbox) ones without a cluster.
    static QList<Planner::PlannerPreset> presetsOf(const Cluster *cluster);
    // A config the planner fetched (Hub, local folder) for a model outside the catalog.
    void addModel(const QString &modelId, const Planner::ModelConfig &config);

    QList<ValidationIssue> operator()(const Deployment &deployment) const;
    // Adds this rule to a validator (a copy; later addModel() calls do not reach it).
    void installIn(DeploymentValidator &validator) const;

private:
    std::optional<Planner::ModelConfig> modelConfig(const QString &modelId) const;

    QList<Planner::PlannerPreset> m_presets;
    QHash<QString, Planner::ModelConfig> m_models; // lower-case id -> config
};

} // namespace ApoloDeploy
