// SPDX-License-Identifier: GPL-3.0-or-later
#include "planner/PipelineSplit.h"

#include <QCoreApplication>

namespace ApoloDeploy::Planner {

PipelineSplit splitLayers(int numHiddenLayers, int pipelineSize, const QString &partition)
{
    PipelineSplit split;
    if (pipelineSize < 1 || numHiddenLayers < 1) {
        split.error = QCoreApplication::translate("Planner", "pipeline-parallel-size must be at least 1");
        return split;
    }
    QList<int> sizes;
    if (!partition.trimmed().isEmpty()) {
        // Same checks and order as vLLM: integers, one per stage, summing to the layer count.
        for (const QString &part : partition.split(QLatin1Char(','))) {
            bool ok = false;
            const int layers = part.trimmed().toInt(&ok);
            if (!ok || layers < 0) {
                split.error =
                    QCoreApplication::translate("Planner", "Invalid partition string: %1 (write e.g. \"31,30\")")
                        .arg(partition);
                return split;
            }
            sizes << layers;
        }
        if (sizes.size() != pipelineSize) {
            split.error =
                QCoreApplication::translate(
                    "Planner",
                    "VLLM_PP_LAYER_PARTITION has %1 entries but pipeline-parallel-size is %2: give one per stage")
                    .arg(sizes.size())
                    .arg(pipelineSize);
            return split;
        }
        int total = 0;
        for (int layers : sizes)
            total += layers;
        if (total != numHiddenLayers) {
            split.error =
                QCoreApplication::translate("Planner", "VLLM_PP_LAYER_PARTITION sums to %1 but the model has %2 layers")
                    .arg(total)
                    .arg(numHiddenLayers);
            return split;
        }
    } else {
        sizes = QList<int>(pipelineSize, numHiddenLayers / pipelineSize);
        const int remaining = numHiddenLayers % pipelineSize;
        for (int i = 2; i < remaining + 2; ++i)
            sizes[pipelineSize - i] += 1;
    }
    int start = 0;
    for (int layers : sizes) {
        split.stages << StageLayers{start, start + layers};
        start += layers;
    }
    return split;
}

} // namespace ApoloDeploy::Planner
