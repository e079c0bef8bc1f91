// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "planner/MemoryPlan.h"
#include "planner/ModelConfig.h"

namespace ApoloDeploy::Planner {

// vLLM's start-up validations (and a few known risks) for a request, each with what to change.
QList<PlanIssue> checkPlanRequest(const ModelConfig &config, const PlanRequest &request);

// Tensor-parallel sizes vLLM accepts for this model and weight format, ascending, up to maxTp.
QList<int> validTensorParallelSizes(const ModelConfig &config, const QuantScheme &weights, int maxTp,
                                    bool expertParallel = false);

// Every supported architecture implements SupportsPP in vLLM; kept as a table so a future
// architecture without it gets the proper error.
bool supportsPipelineParallel(Architecture architecture);

} // namespace ApoloDeploy::Planner
