// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

namespace ApoloDeploy::Planner {

// What the planner needs of a platform resource preset (one node of a deployment). The lead maps
// the platform client's presets to it; builtInPresets() mirrors apolo-sandbox for offline use.
struct PlannerPreset
{
    QString name;
    int gpuCount = 0;
    QString gpuModel;          // nvidia_gpu.model ("nvidia-h100-80gb")
    qint64 gpuMemoryBytes = 0; // nvidia_gpu.memory, 0 when not sent
    QString creditsPerHour;    // exact decimal string as the platform sends it ("33.6")
    double cpu = 0;
    qint64 memoryBytes = 0;
    bool isExample = false; // true: built-in example, not from a live cluster

    bool hasGpus() const { return gpuCount > 0; }
};

// The presets apolo-sandbox serves (cpu-small, cpu-large, gpu-h100x1, dgx = 8x H100 80GB,
// gpu-h200x8), marked as examples: prices are the sandbox's, not a real cluster's.
QList<PlannerPreset> builtInPresets();

} // namespace ApoloDeploy::Planner
