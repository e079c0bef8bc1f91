// SPDX-License-Identifier: GPL-3.0-or-later
#include "deploy/JobPlan.h"

#include "flow/FlowDuration.h"
#include "flow/PlatformNameRules.h"

#include <QCoreApplication>
#include <QLocale>

namespace ApoloDeploy {

namespace {

using PlatformNameRules::shellJoin;

QString tr(const char *text)
{
    return QCoreApplication::translate("JobPlan", text);
}

QString rayAddress(const QString &headHost)
{
    return QStringLiteral("--address=%1:%2").arg(headHost).arg(Deployment::rayPort);
}

} // namespace

QString jobRoleName(JobRole role)
{
    switch (role) {
    case JobRole::Head: return QStringLiteral("head");
    case JobRole::Worker: return QStringLiteral("worker");
    case JobRole::Server: return QStringLiteral("server");
    case JobRole::Web: return QStringLiteral("web");
    }
    return {};
}

std::optional<JobRole> jobRoleFromName(QStringView name)
{
    for (JobRole role : {JobRole::Head, JobRole::Worker, JobRole::Server, JobRole::Web}) {
        if (name == jobRoleName(role))
            return role;
    }
    return std::nullopt;
}

JobPlanBuilder::JobPlanBuilder(Deployment deployment)
    : m_deployment(std::move(deployment))
{}

QString JobPlanBuilder::jobName(const QString &deploymentName, JobRole role, int workerIndex)
{
    if (role == JobRole::Worker)
        return QStringLiteral("%1-worker-%2").arg(deploymentName).arg(workerIndex);
    return deploymentName + QLatin1Char('-') + jobRoleName(role);
}

QString JobPlanBuilder::deploymentTag(const QString &deploymentName)
{
    return QStringLiteral("deployment:") + deploymentName;
}

QString JobPlanBuilder::roleTag(JobRole role)
{
    return QStringLiteral("role:") + jobRoleName(role);
}

std::optional<int> JobPlanBuilder::maxRunTimeMinutes() const
{
    const std::optional<double> seconds = FlowDuration::parseSeconds(m_deployment.lifeSpan);
    if (!seconds || *seconds <= 0)
        return std::nullopt;
    return int(FlowDuration::toMaxRunTimeMinutes(*seconds));
}

PlannedJob JobPlanBuilder::baseJob(JobRole role, int workerIndex) const
{
    const Deployment &d = m_deployment;
    PlannedJob job;
    job.role = role;
    job.workerIndex = workerIndex;
    JobRequest &r = job.request;
    r.name = jobName(d.name, role, workerIndex);
    r.tags = {deploymentTag(d.name), roleTag(role), QStringLiteral("managed-by:apolo-deploy")};
    r.maxRunTimeMinutes = maxRunTimeMinutes();
    r.presetName = d.preset;
    r.image = d.image;
    r.shm = true;
    return job;
}

void JobPlanBuilder::addRayNodeSettings(PlannedJob &job) const
{
    const Deployment &d = m_deployment;
    JobRequest &r = job.request;
    // Every node loads its own shards, so each one needs the token and the shared cache.
    if (!d.hfTokenSecret.isEmpty())
        r.env.insert(QStringLiteral("HF_TOKEN"), QStringLiteral("secret:") + d.hfTokenSecret);
    if (!d.hfCacheVolume.isEmpty())
        r.volumes.append({d.hfCacheVolume, d.hfCacheMount, false});
    // Ray workers inherit the environment of `ray start`, so the NCCL/Gloo hints go on every node.
    if (!d.networkInterface.isEmpty()) {
        r.env.insert(QStringLiteral("NCCL_SOCKET_IFNAME"), d.networkInterface);
        r.env.insert(QStringLiteral("GLOO_SOCKET_IFNAME"), d.networkInterface);
    }
    for (auto it = d.extraEnv.cbegin(); it != d.extraEnv.cend(); ++it)
        r.env.insert(it.key(), it.value());
}

PlannedJob JobPlanBuilder::head() const
{
    PlannedJob job = baseJob(JobRole::Head, 0);
    job.flowId = QStringLiteral("ray_head");
    addRayNodeSettings(job);
    job.request.entrypoint = QStringLiteral("ray");
    job.argv = {QStringLiteral("start"), QStringLiteral("--block"), QStringLiteral("--head"),
                QStringLiteral("--port=%1").arg(Deployment::rayPort), QStringLiteral("--dashboard-host=0.0.0.0")};
    job.request.command = shellJoin(job.argv);
    job.request.description = tr("%1: Ray head (node 1 of %2)").arg(m_deployment.name).arg(m_deployment.nodeCount());
    return job;
}

PlannedJob JobPlanBuilder::worker(int index, const QString &headHost) const
{
    PlannedJob job = baseJob(JobRole::Worker, index);
    job.flowId = QStringLiteral("ray_worker_%1").arg(index);
    addRayNodeSettings(job);
    job.request.entrypoint = QStringLiteral("ray");
    job.argv = {QStringLiteral("start"), QStringLiteral("--block"), rayAddress(headHost)};
    job.request.command = shellJoin(job.argv);
    job.request.description =
        tr("%1: Ray worker (node %2 of %3)").arg(m_deployment.name).arg(index + 1).arg(m_deployment.nodeCount());
    return job;
}

QStringList JobPlanBuilder::vllmArguments() const
{
    const Deployment &d = m_deployment;
    QStringList args{QStringLiteral("python3"), QStringLiteral("-m"),
                     QStringLiteral("vllm.entrypoints.openai.api_server"), QStringLiteral("--model"), d.model};
    if (!d.servedModelName.isEmpty())
        args << QStringLiteral("--served-model-name") << d.servedModelName;
    args << QStringLiteral("--tensor-parallel-size=%1").arg(d.tensorParallel);
    if (d.pipelineParallel > 1)
        args << QStringLiteral("--pipeline-parallel-size=%1").arg(d.pipelineParallel);
    if (d.maxModelLen > 0)
        args << QStringLiteral("--max-model-len=%1").arg(d.maxModelLen);
    if (!d.dtype.isEmpty() && d.dtype != QLatin1String("auto"))
        args << QStringLiteral("--dtype=%1").arg(d.dtype);
    if (!d.quantization.isEmpty())
        args << QStringLiteral("--quantization=%1").arg(d.quantization);
    if (d.gpuMemoryUtilization != 0.9)
        args << QStringLiteral("--gpu-memory-utilization=") +
                    QString::number(d.gpuMemoryUtilization, 'g', QLocale::FloatingPointShortest);
    if (!d.kvCacheDtype.isEmpty() && d.kvCacheDtype != QLatin1String("auto"))
        args << QStringLiteral("--kv-cache-dtype=%1").arg(d.kvCacheDtype);
    if (d.enforceEager)
        args << QStringLiteral("--enforce-eager");
    if (d.trustRemoteCode)
        args << QStringLiteral("--trust-remote-code");
    if (d.reasoningParser)
        args << QStringLiteral("--enable-reasoning") << QStringLiteral("--reasoning-parser")
             << QStringLiteral("deepseek_r1");
    args << d.extraVllmArgs;
    return args;
}

PlannedJob JobPlanBuilder::server(const QString &headHost) const
{
    const Deployment &d = m_deployment;
    PlannedJob job = baseJob(JobRole::Server, 0);
    job.flowId = QStringLiteral("vllm_server");
    addRayNodeSettings(job);
    JobRequest &r = job.request;
    // The key reaches vLLM through VLLM_API_KEY (a secret env), never through argv, so it is not
    // visible in the job's command, in `apolo status` or in this app's previews.
    if (!d.apiKeySecret.isEmpty())
        r.env.insert(QStringLiteral("VLLM_API_KEY"), QStringLiteral("secret:") + d.apiKeySecret);
    r.http = JobHttp{Deployment::servingPort, d.httpAuth, QString()};
    const QStringList vllm = vllmArguments();
    if (d.pipelineParallel <= 1) {
        r.entrypoint = shellJoin(vllm.mid(0, 3));
        job.argv = vllm.mid(3);
        r.description = tr("%1: vLLM server (%2)").arg(d.name, d.model);
    } else {
        // `ray start` without --block returns once the node joined; `&&` then runs the server in
        // the same shell, and a failed join stops the job instead of serving on local GPUs only.
        const QString script = shellJoin({QStringLiteral("ray"), QStringLiteral("start"), rayAddress(headHost)}) +
                               QStringLiteral(" && ") + shellJoin(vllm);
        r.entrypoint = QStringLiteral("bash");
        job.argv = {QStringLiteral("-c"), script};
        r.description =
            tr("%1: Ray worker + vLLM server (node %2 of %2, %3)").arg(d.name).arg(d.nodeCount()).arg(d.model);
    }
    r.command = shellJoin(job.argv);
    return job;
}

PlannedJob JobPlanBuilder::web(const QString &serverHost) const
{
    const Deployment &d = m_deployment;
    PlannedJob job = baseJob(JobRole::Web, 0);
    job.flowId = QStringLiteral("web");
    JobRequest &r = job.request;
    r.image = d.webImage;
    r.presetName = d.webPreset;
    r.shm = false;
    r.env.insert(QStringLiteral("OPENAI_API_BASE_URL"),
                 QStringLiteral("http://%1:%2/v1").arg(serverHost).arg(Deployment::servingPort));
    if (!d.apiKeySecret.isEmpty())
        r.env.insert(QStringLiteral("OPENAI_API_KEY"), QStringLiteral("secret:") + d.apiKeySecret);
    // Without this Open WebUI keeps probing a local Ollama that does not exist.
    r.env.insert(QStringLiteral("ENABLE_OLLAMA_API"), QStringLiteral("false"));
    r.http = JobHttp{Deployment::webPort, d.httpAuth, QString()};
    r.description = tr("%1: Open WebUI").arg(d.name);
    return job;
}

QList<PlannedJob> JobPlanBuilder::rayJobs(const QString &headHost) const
{
    QList<PlannedJob> jobs;
    if (m_deployment.pipelineParallel > 1) {
        jobs << head();
        for (int i = 1; i <= m_deployment.pipelineParallel - 2; ++i)
            jobs << worker(i, headHost);
    }
    jobs << server(headHost);
    return jobs;
}

QList<PlannedJob> JobPlanBuilder::allJobs(const QString &headHost, const QString &serverHost) const
{
    QList<PlannedJob> jobs = rayJobs(headHost);
    if (m_deployment.openWebUi)
        jobs << web(serverHost);
    return jobs;
}

} // namespace ApoloDeploy
