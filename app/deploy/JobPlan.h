// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apolo/PlatformTypes.h"
#include "deploy/Deployment.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace ApoloDeploy {

enum class JobRole { Head, Worker, Server, Web };

// "head", "worker", "server", "web": the value of the role:<…> tag.
QString jobRoleName(JobRole role);
std::optional<JobRole> jobRoleFromName(QStringView name);

// One job of a deployment, exactly as it will be created (POST /jobs?from_preset).
struct PlannedJob
{
    JobRole role = JobRole::Server;
    int workerIndex = 0; // 1-based for Role::Worker, else 0
    QString flowId;      // job id in an exported live.yml: ray_head, ray_worker_1, vllm_server, web
    QStringList argv;    // the container arguments after the entrypoint, unquoted
    JobRequest request;  // request.command == shellJoin(argv)
};

// The jobs of a deployment, in creation order. Pure: the hosts that are only known at run time
// (the head's and the server's internal_hostname_named) are parameters, so the same builder
// serves the launch (real hosts), the preview (placeholders) and the live.yml export
// (inspect_job expressions).
//
// Topology (vLLM's rule for multi-node: TP = GPUs per node, PP = nodes):
//   PP = 1: one "server" job running the API server directly, no Ray.
//   PP >= 2: a Ray "head" (ray start --block --head), PP-2 plain Ray "worker"s, and the "server"
//            that joins the cluster and then runs the API server in the same shell
//            (bash -c 'ray start --address=H:6379 && python3 -m vllm…'): the seed guide's
//            missing separator made `ray start` swallow the vLLM command line.
//   + "web" (Open WebUI) when enabled, pointed at http://<server host>:8000/v1.
class JobPlanBuilder
{
public:
    explicit JobPlanBuilder(Deployment deployment);

    // Name prefix rules: "<name>-head", "<name>-worker-N", "<name>-server", "<name>-web".
    static QString jobName(const QString &deploymentName, JobRole role, int workerIndex = 0);
    static QString deploymentTag(const QString &deploymentName); // "deployment:<name>"
    static QString roleTag(JobRole role);                        // "role:<role>"

    QList<PlannedJob> rayJobs(const QString &headHost) const; // head, workers, server
    PlannedJob head() const;
    PlannedJob worker(int index, const QString &headHost) const;
    PlannedJob server(const QString &headHost) const;
    PlannedJob web(const QString &serverHost) const;
    // Every job (web included when enabled).
    QList<PlannedJob> allJobs(const QString &headHost, const QString &serverHost) const;

    // The vLLM command line (python3 -m vllm.entrypoints.openai.api_server …), unquoted words.
    QStringList vllmArguments() const;
    // The life span as the API wants it; nullopt = no limit ("0") or invalid.
    std::optional<int> maxRunTimeMinutes() const;

    const Deployment &deployment() const { return m_deployment; }

private:
    PlannedJob baseJob(JobRole role, int workerIndex) const;
    void addRayNodeSettings(PlannedJob &job) const;

    Deployment m_deployment;
};

} // namespace ApoloDeploy
