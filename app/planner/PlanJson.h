// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "planner/DeploymentPlanner.h"
#include "planner/PresetComparison.h"

#include <QJsonObject>
#include <QString>

namespace ApoloDeploy::Planner {

// The machine-readable plan (apolo-deploy plan --json). Bytes are integers, credits are exact
// decimal strings, ratios are numbers.
QJsonObject planToJson(const DeploymentPlan &plan);
QJsonArray comparisonToJson(const QList<PresetComparisonRow> &rows);

// The readable form: summary, per-rank table, issues, recommendation and cost.
QString planToText(const DeploymentPlan &plan);
QString comparisonToText(const QList<PresetComparisonRow> &rows);

// "20.81 GiB"
QString formatGiB(qint64 bytes);

} // namespace ApoloDeploy::Planner
