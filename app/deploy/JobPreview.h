// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "deploy/Deployment.h"
#include "deploy/JobPlan.h"

namespace ApoloDeploy {

// The exact `apolo run …` commands equivalent to a deployment's launch, for the preview pane
// and `apolo-deploy flow export --apolo-run`. Secrets appear as `secret:NAME` references (that
// is also what apolo run expects); their values are never known here.
class JobPreview
{
public:
    // The placeholder written where the head's internal_hostname_named goes; the preview's
    // first comment line says where to read it.
    static QString headHostPlaceholder(const QString &deploymentName);
    static QString serverHostPlaceholder(const QString &deploymentName);

    // One command line for one job (with --detach so the commands can be pasted in sequence).
    static QString apoloRunCommand(const PlannedJob &job, const QString &lifeSpan);
    // All commands of a deployment with a comment before each step. When the hosts are known
    // (a launch in progress) they are used instead of the placeholders.
    static QString script(const Deployment &deployment, const QString &headHost = {}, const QString &serverHost = {});
};

} // namespace ApoloDeploy
