// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "deploy/Deployment.h"
#include "flow/LiveFlow.h"

#include <QByteArray>

namespace ApoloDeploy {

// A deployment <-> an apolo-flow live.yml. Export writes what `apolo-flow run ray_head`,
// `… ray_worker_N`, `… vllm_server`, `… web` launch the same way this app does (job ids are
// identifiers, inspect_job takes job ids, the server's two commands joined by &&). Import
// recognises a Ray head / worker / vLLM server flow, such as the seed guide's, and maps it onto
// a Deployment; anything else can still be run job by job (FlowJobRunner).
class DeploymentFlow
{
public:
    struct ImportOptions
    {
        // Replaces $[[ flow.project_id ]] / ${{ project.id }} in volume remotes; apolo-flow's
        // default is the workspace folder name (the folder holding .apolo/), '-' -> '_'.
        QString projectId;
        // Context length the user has now (form or planner): a different one in the file is flagged.
        int referenceMaxModelLen = 0;
    };

    struct ImportResult
    {
        bool recognised = false; // false: no vLLM server job found
        Deployment deployment;
        QList<FlowIssue> issues; // mapping notes (the flow's own problems come from FlowChecker)
        QString serverJobId, headJobId, webJobId;
        QStringList workerJobIds;
    };

    static LiveFlow toLiveFlow(const Deployment &deployment);
    static QByteArray exportYaml(const Deployment &deployment);
    static ImportResult fromLiveFlow(const LiveFlow &flow, const ImportOptions &options);
    // apolo-flow's project id for a live.yml path: the folder that holds .apolo/ (or .neuro/).
    static QString projectIdForPath(const QString &liveYmlPath);
};

} // namespace ApoloDeploy
