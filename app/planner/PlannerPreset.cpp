// SPDX-License-Identifier: GPL-3.0-or-later
#include "planner/PlannerPreset.h"

namespace ApoloDeploy::Planner {

QList<PlannerPreset> builtInPresets()
{
    constexpr qint64 GiB = 1LL << 30;
    const QString h100 = QStringLiteral("nvidia-h100-80gb");
    const QString h200 = QStringLiteral("nvidia-h200-141gb");
    // Same values as app/sandbox/Presets.cpp, so offline plans and sandbox launches agree.
    QList<PlannerPreset> presets = {
        {QStringLiteral("cpu-small"), 0, {}, 0, QStringLiteral("0.08"), 2.0, 8 * GiB, true},
        {QStringLiteral("cpu-large"), 0, {}, 0, QStringLiteral("0.32"), 8.0, 32 * GiB, true},
        {QStringLiteral("gpu-h100x1"), 1, h100, 80 * GiB, QStringLiteral("4.2"), 15.0, 120 * GiB, true},
        {QStringLiteral("dgx"), 8, h100, 80 * GiB, QStringLiteral("33.6"), 220.0, 1920 * GiB, true},
        {QStringLiteral("gpu-h200x8"), 8, h200, 141 * GiB, QStringLiteral("50.4"), 220.0, 1920 * GiB, true},
    };
    return presets;
}

} // namespace ApoloDeploy::Planner
