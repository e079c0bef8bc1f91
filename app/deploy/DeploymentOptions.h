// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "deploy/Deployment.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

namespace ApoloDeploy {

// The deployment options shared by `up` and `flow export` (and the planner's spelling:
// --model --preset --nodes --tp --pp --max-model-len --gpu-memory-utilization --enforce-eager
// --kv-cache-dtype …), parsed into a Deployment. Values that are not given keep the base's.
class DeploymentOptions
{
public:
    DeploymentOptions();
    void addTo(QCommandLineParser &parser) const;
    // Applies the parsed options over `base`; false with a message naming the option on bad input.
    bool apply(const QCommandLineParser &parser, Deployment &base, QString *error) const;

private:
    QList<QCommandLineOption> m_options;
};

} // namespace ApoloDeploy
