// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

namespace ApoloDeploy::Planner {

struct StageLayers
{
    int first = 0; // first decoder layer of the stage
    int end = 0;   // one past the last
    int count() const { return end - first; }
};

struct PipelineSplit
{
    QList<StageLayers> stages;
    QString error; // set when VLLM_PP_LAYER_PARTITION is malformed
    bool isValid() const { return error.isEmpty() && !stages.isEmpty(); }
};

// vLLM's get_pp_indices (vllm/distributed/utils.py): floor(L / pp) layers per stage, the remainder
// added one each to partitions[-2], [-3], … (the last stage already holds norm + lm_head).
// `partition` is VLLM_PP_LAYER_PARTITION ("31,30"); empty = the default rule.
PipelineSplit splitLayers(int numHiddenLayers, int pipelineSize, const QString &partition = {});

} // namespace ApoloDeploy::Planner
