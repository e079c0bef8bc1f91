// SPDX-License-Identifier: GPL-3.0-or-later
#include "deploy/DeploymentValidator.h"

#include "deploy/JobPlan.h"
#include "flow/FlowDuration.h"
#include "flow/PlatformNameRules.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace ApoloDeploy {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("DeploymentValidator", text);
}

class IssueList
{
public:
    void error(const char *field, const QString &message)
    {
        if (!message.isEmpty())
            m_issues.append({ValidationIssue::Severity::Error, QString::fromLatin1(field), message});
    }
    void warning(const char *field, const QString &message)
    {
        m_issues.append({ValidationIssue::Severity::Warning, QString::fromLatin1(field), message});
    }
    QList<ValidationIssue> take() { return std::move(m_issues); }

private:
    QList<ValidationIssue> m_issues;
};

// The longest job name the plan derives, which is what the 40-character limit applies to.
QString longestJobName(const Deployment &d)
{
    QString longest = JobPlanBuilder::jobName(d.name, JobRole::Server);
    if (d.pipelineParallel > 2) {
        const QString worker = JobPlanBuilder::jobName(d.name, JobRole::Worker, d.pipelineParallel - 2);
        if (worker.size() > longest.size())
            longest = worker;
    }
    return longest;
}

void checkName(const Deployment &d, IssueList &issues)
{
    if (d.name.isEmpty()) {
        issues.error(
            "name", tr("Give the deployment a name, e.g. 'deepseek-r1' (3 to 40 lower-case letters, digits, dashes)."));
        return;
    }
    if (const QString problem = PlatformNameRules::checkJobName(d.name); !problem.isEmpty()) {
        issues.error("name", problem);
        return;
    }
    const QString longest = longestJobName(d);
    if (longest.size() > PlatformNameRules::jobNameMaxLength) {
        const int allowed = d.name.size() - int(longest.size() - PlatformNameRules::jobNameMaxLength);
        issues.error("name", tr("The job name '%1' would exceed 40 characters; shorten the deployment name to %2 "
                                "characters or fewer.")
                                 .arg(longest)
                                 .arg(allowed));
    }
}

void checkModel(const Deployment &d, IssueList &issues)
{
    static const QRegularExpression repoId(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$"));
    if (d.model.isEmpty())
        issues.error("model", tr("Choose a model: a Hugging Face id such as cognitivecomputations/DeepSeek-R1-AWQ "
                                 "or an absolute path inside the container."));
    else if (!d.model.startsWith(QLatin1Char('/')) && !repoId.match(d.model).hasMatch())
        issues.error("model", tr("'%1' is neither a Hugging Face id (owner/name) nor an absolute path.").arg(d.model));
    if (d.servedModelName.contains(QLatin1Char(' ')))
        issues.error("servedModelName",
                     tr("The served model name may not contain spaces; clients send it as \"model\"."));
}

void checkParallelism(const Deployment &d, const DeploymentValidator::PresetFacts &preset, IssueList &issues)
{
    if (d.tensorParallel < 1)
        issues.error("tensorParallel", tr("Tensor parallel size must be at least 1 (usually the GPUs per node)."));
    if (d.pipelineParallel < 1)
        issues.error("pipelineParallel", tr("Pipeline parallel size (= nodes) must be at least 1."));
    if (d.pipelineParallel > 64)
        issues.error(
            "pipelineParallel",
            tr("%1 nodes is more than this console launches (64); lower the pipeline size.").arg(d.pipelineParallel));
    if (preset.known && preset.gpusPerNode > 0 && d.tensorParallel > preset.gpusPerNode)
        issues.error("tensorParallel",
                     tr("Tensor parallel size %1 exceeds the %2 GPUs of preset '%3'; use %2 or pick a "
                        "larger preset.")
                         .arg(d.tensorParallel)
                         .arg(preset.gpusPerNode)
                         .arg(d.preset));
    if (preset.known && preset.gpusPerNode > 0 && d.tensorParallel < preset.gpusPerNode)
        issues.warning("tensorParallel",
                       tr("Preset '%1' has %2 GPUs per node but tensor parallel size is %3: the other "
                          "GPUs stay idle and are still billed.")
                           .arg(d.preset)
                           .arg(preset.gpusPerNode)
                           .arg(d.tensorParallel));
    if (preset.known && preset.gpusPerNode == 0)
        issues.error("preset", tr("Preset '%1' has no GPU; vLLM needs GPU presets.").arg(d.preset));
}

void checkEngine(const Deployment &d, IssueList &issues)
{
    static const QStringList dtypes{QStringLiteral("auto"),     QStringLiteral("half"),  QStringLiteral("float16"),
                                    QStringLiteral("bfloat16"), QStringLiteral("float"), QStringLiteral("float32")};
    static const QStringList kvDtypes{QStringLiteral("auto"), QStringLiteral("fp8"), QStringLiteral("fp8_e4m3"),
                                      QStringLiteral("fp8_e5m2")};
    static const QStringList quantizations{QStringLiteral("awq"),
                                           QStringLiteral("awq_marlin"),
                                           QStringLiteral("gptq"),
                                           QStringLiteral("gptq_marlin"),
                                           QStringLiteral("gptq_marlin_24"),
                                           QStringLiteral("marlin"),
                                           QStringLiteral("fp8"),
                                           QStringLiteral("fbgemm_fp8"),
                                           QStringLiteral("compressed-tensors"),
                                           QStringLiteral("bitsandbytes"),
                                           QStringLiteral("gguf"),
                                           QStringLiteral("experts_int8"),
                                           QStringLiteral("moe_wna16"),
                                           QStringLiteral("deepspeedfp"),
                                           QStringLiteral("tpu_int8"),
                                           QStringLiteral("qqq"),
                                           QStringLiteral("hqq"),
                                           QStringLiteral("modelopt"),
                                           QStringLiteral("neuron_quant"),
                                           QStringLiteral("ipex"),
                                           QStringLiteral("quark"),
                                           QStringLiteral("aqlm")};
    if (d.maxModelLen < 0)
        issues.error("maxModelLen", tr("Context length cannot be negative; use 0 for the model's own limit."));
    else if (d.maxModelLen > 0 && d.maxModelLen < 16)
        issues.error("maxModelLen",
                     tr("A context of %1 tokens is too small to answer anything; use at least a few thousand.")
                         .arg(d.maxModelLen));
    if (!dtypes.contains(d.dtype))
        issues.error("dtype", tr("dtype '%1' is not one of %2.").arg(d.dtype, dtypes.join(QStringLiteral(", "))));
    if (!d.quantization.isEmpty() && !quantizations.contains(d.quantization))
        issues.error("quantization", tr("vLLM 0.7 does not know the quantization '%1'; leave it empty to use the "
                                        "checkpoint's own method.")
                                         .arg(d.quantization));
    if (d.dtype == QLatin1String("bfloat16") && d.quantization.startsWith(QLatin1String("awq")))
        issues.warning("dtype", tr("AWQ kernels run in float16; set dtype to float16 (or auto)."));
    if (!(d.gpuMemoryUtilization > 0.0 && d.gpuMemoryUtilization <= 1.0))
        issues.error("gpuMemoryUtilization", tr("GPU memory utilization must be above 0 and at most 1.0 (vLLM refuses "
                                                "%1); 0.90-0.95 is usual.")
                                                 .arg(d.gpuMemoryUtilization));
    if (!kvDtypes.contains(d.kvCacheDtype))
        issues.error(
            "kvCacheDtype",
            tr("KV cache dtype '%1' is not one of %2.").arg(d.kvCacheDtype, kvDtypes.join(QStringLiteral(", "))));
    if (d.reasoningParser && d.extraVllmArgs.contains(QStringLiteral("--enable-auto-tool-choice")))
        issues.warning("reasoningParser",
                       tr("The reasoning parser reportedly conflicts with --enable-auto-tool-choice in vLLM 0.7."));
}

void checkExtraArgs(const Deployment &d, IssueList &issues)
{
    const QStringList managed = DeploymentValidator::managedVllmFlags();
    if (!d.extraVllmArgs.isEmpty() && !d.extraVllmArgs.constFirst().startsWith(QLatin1String("--")))
        issues.error("extraVllmArgs",
                     tr("Extra vLLM arguments must start with a flag such as --max-num-seqs, not '%1'.")
                         .arg(d.extraVllmArgs.constFirst()));
    for (const QString &arg : d.extraVllmArgs) {
        const QString flag = arg.section(QLatin1Char('='), 0, 0);
        if (managed.contains(flag))
            issues.error("extraVllmArgs", tr("%1 is set by the form; remove it from the extra arguments.").arg(flag));
        if (flag == QLatin1String("--api-key"))
            issues.error("extraVllmArgs",
                         tr("Do not pass --api-key on the command line, where anyone listing jobs can read "
                            "it; set the API key secret instead."));
    }
}

void checkPlatform(const Deployment &d, IssueList &issues)
{
    issues.error("image", PlatformNameRules::checkImage(d.image));
    if (d.preset.isEmpty())
        issues.error("preset",
                     tr("Choose a preset; without one the platform silently uses the cluster's first preset."));
    if (!d.hfTokenSecret.isEmpty())
        issues.error("hfTokenSecret", PlatformNameRules::checkSecretName(d.hfTokenSecret));
    if (!d.apiKeySecret.isEmpty())
        issues.error("apiKeySecret", PlatformNameRules::checkSecretName(d.apiKeySecret));
    if (!d.hfCacheVolume.isEmpty()) {
        issues.error("hfCacheVolume", PlatformNameRules::checkVolumeUri(d.hfCacheVolume));
        issues.error("hfCacheMount", PlatformNameRules::checkMountPath(d.hfCacheMount));
    } else if (d.pipelineParallel > 1) {
        issues.warning("hfCacheVolume",
                       tr("Without a cache volume every node downloads the weights again at each launch."));
    }
    const std::optional<double> lifeSpan = FlowDuration::parseSeconds(d.lifeSpan);
    if (!lifeSpan)
        issues.error("lifeSpan",
                     tr("'%1' is not a duration; write e.g. 10d, 1d12h, 90m or 3600 (seconds).").arg(d.lifeSpan));
    else if (*lifeSpan == 0)
        issues.warning("lifeSpan", tr("No life span: the jobs run (and cost credits) until you tear them down."));
    else if (*lifeSpan < 60)
        issues.error("lifeSpan", tr("The platform refuses life spans under one minute; use at least 1m."));
    for (auto it = d.extraEnv.cbegin(); it != d.extraEnv.cend(); ++it)
        issues.error("extraEnv", PlatformNameRules::checkEnvName(it.key()));
    if (!d.networkInterface.isEmpty() &&
        !QRegularExpression(QStringLiteral("^[A-Za-z0-9_.^,-]+$")).match(d.networkInterface).hasMatch())
        issues.error("networkInterface",
                     tr("'%1' is not an interface list such as eth0 or ^lo,docker.").arg(d.networkInterface));
    if (!d.name.isEmpty())
        issues.error("name", PlatformNameRules::checkTag(JobPlanBuilder::deploymentTag(d.name)));
    if (d.openWebUi) {
        issues.error("webImage", PlatformNameRules::checkImage(d.webImage));
        if (d.webPreset.isEmpty())
            issues.error("webPreset", tr("Choose a preset for Open WebUI, e.g. cpu-small."));
    }
    if (!d.httpAuth)
        issues.warning("httpAuth",
                       d.apiKeySecret.isEmpty()
                           ? tr("HTTP authentication is off and no API key is set: anyone with the URL can use "
                                "the model (and spend your credits).")
                           : tr("HTTP authentication is off: only the vLLM API key protects /v1; /health and "
                                "/metrics stay public."));
}

} // namespace

QStringList DeploymentValidator::managedVllmValueFlags()
{
    return {QStringLiteral("--model"),
            QStringLiteral("--served-model-name"),
            QStringLiteral("--tensor-parallel-size"),
            QStringLiteral("-tp"),
            QStringLiteral("--pipeline-parallel-size"),
            QStringLiteral("-pp"),
            QStringLiteral("--max-model-len"),
            QStringLiteral("--dtype"),
            QStringLiteral("--quantization"),
            QStringLiteral("-q"),
            QStringLiteral("--gpu-memory-utilization"),
            QStringLiteral("--kv-cache-dtype"),
            QStringLiteral("--reasoning-parser"),
            QStringLiteral("--host"),
            QStringLiteral("--port")};
}

QStringList DeploymentValidator::managedVllmSwitches()
{
    return {QStringLiteral("--enforce-eager"), QStringLiteral("--trust-remote-code"),
            QStringLiteral("--enable-reasoning")};
}

QStringList DeploymentValidator::managedVllmFlags()
{
    return managedVllmValueFlags() + managedVllmSwitches();
}

QList<ValidationIssue> DeploymentValidator::validate(const Deployment &deployment) const
{
    IssueList issues;
    checkName(deployment, issues);
    checkModel(deployment, issues);
    checkParallelism(deployment, m_preset, issues);
    checkEngine(deployment, issues);
    checkExtraArgs(deployment, issues);
    checkPlatform(deployment, issues);
    QList<ValidationIssue> result = issues.take();
    for (const ExtraRule &rule : m_extraRules)
        result << rule(deployment);
    return result;
}

bool DeploymentValidator::hasErrors(const QList<ValidationIssue> &issues)
{
    return std::any_of(issues.cbegin(), issues.cend(), [](const ValidationIssue &i) { return i.isError(); });
}

QString DeploymentValidator::format(const QList<ValidationIssue> &issues)
{
    QStringList lines;
    for (bool errors : {true, false}) {
        for (const ValidationIssue &issue : issues) {
            if (issue.isError() == errors)
                lines << (errors ? tr("error: %1: %2") : tr("warning: %1: %2")).arg(issue.field, issue.message);
        }
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace ApoloDeploy
