// SPDX-License-Identifier: GPL-3.0-or-later
#include "deploy/PlanFitRule.h"

#include "apolo/PlatformTypes.h"
#include "planner/GpuCatalog.h"
#include "planner/MemoryPlanner.h"
#include "planner/ModelCatalog.h"
#include "planner/PlanChecks.h"
#include "planner/WeightInventory.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace ApoloDeploy {

using namespace Planner;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("PlanFitRule", text);
}

// The value of a vLLM flag among the extra arguments ("--flag=v" or "--flag v"); empty when absent.
QString flagValue(const QStringList &args, QLatin1String flag)
{
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &arg = args.at(i);
        if (arg.startsWith(flag + QLatin1Char('=')))
            return arg.mid(flag.size() + 1);
        if (arg == flag)
            return i + 1 < args.size() ? args.at(i + 1) : QStringLiteral("true");
    }
    return {};
}

// The deployment field whose input an issue of the planner belongs next to.
const char *fieldForIssue(const QString &code)
{
    if (code.startsWith(QLatin1String("tp-")) || code == QLatin1String("quant-group") ||
        code == QLatin1String("gpu-count"))
        return "tensorParallel";
    if (code.startsWith(QLatin1String("pp-")))
        return "pipelineParallel";
    if (code == QLatin1String("max-model-len"))
        return "maxModelLen";
    if (code == QLatin1String("gpu-memory"))
        return "preset";
    if (code == QLatin1String("fp8-kv-mla"))
        return "kvCacheDtype";
    if (code == QLatin1String("awq-mla-pp"))
        return "image";
    if (code == QLatin1String("mtp"))
        return "extraVllmArgs";
    return "model";
}

// False when the deployment certainly runs vLLM's V0 engine: a vllm-openai image older than 0.8
// (V1 became the default in 0.8.0) or VLLM_USE_V1=0. Unknown tags count as V1.
bool mayUseV1Engine(const Deployment &d)
{
    const QString useV1 = d.extraEnv.value(QStringLiteral("VLLM_USE_V1"));
    if (!useV1.isEmpty())
        return useV1 != QLatin1String("0");
    static const QRegularExpression tag(QStringLiteral(":v?(\\d+)\\.(\\d+)(?:\\.\\d+)?[^:/]*$"));
    const QRegularExpressionMatch match = tag.match(d.image);
    if (!match.hasMatch())
        return true;
    const int major = match.captured(1).toInt();
    const int minor = match.captured(2).toInt();
    return major > 0 || minor >= 8;
}

// Checks the built-in validator already makes with the deployment's own wording.
bool duplicatesBuiltInCheck(const QString &code)
{
    return code == QLatin1String("parallel-size") || code == QLatin1String("gpu-memory-utilization") ||
           code == QLatin1String("gpus-unused");
}

PlanRequest requestFor(const Deployment &d, const ModelConfig &model, const PlannerPreset &preset, qint64 visibleBytes)
{
    PlanRequest request;
    request.tensorParallel = d.tensorParallel;
    request.pipelineParallel = d.pipelineParallel;
    request.gpusPerNode = preset.gpuCount;
    request.nodes = d.nodeCount();
    request.gpuVisibleBytes = visibleBytes;
    request.weights = model.checkpointQuant;
    // vLLM quantizes an unquantized checkpoint on load only for fp8.
    if (d.quantization == QLatin1String("fp8") && !model.checkpointQuant.isQuantized()) {
        if (const QuantSchemeResult fp8 = parseQuantOption(QStringLiteral("fp8")); fp8.scheme)
            request.weights = *fp8.scheme;
    }
    request.gpuMemoryUtilization = d.gpuMemoryUtilization;
    request.maxModelLen = d.maxModelLen;
    request.kvCacheDtype = d.kvCacheDtype.startsWith(QLatin1String("fp8")) ? KvCacheDtype::Fp8 : KvCacheDtype::Auto;
    request.enforceEager = d.enforceEager;
    request.layerPartition = d.extraEnv.value(QStringLiteral("VLLM_PP_LAYER_PARTITION"));
    if (const int tokens = flagValue(d.extraVllmArgs, QLatin1String("--max-num-batched-tokens")).toInt(); tokens > 0)
        request.maxNumBatchedTokens = tokens;
    if (const int block = flagValue(d.extraVllmArgs, QLatin1String("--block-size")).toInt(); block > 0)
        request.blockSize = block;
    if (const qint64 kvBytes = flagValue(d.extraVllmArgs, QLatin1String("--kv-cache-memory-bytes")).toLongLong();
        kvBytes > 0)
        request.kvCacheMemoryBytes = kvBytes;
    request.enableExpertParallel = !flagValue(d.extraVllmArgs, QLatin1String("--enable-expert-parallel")).isEmpty();
    return request;
}

} // namespace

PlanFitRule::PlanFitRule(QList<PlannerPreset> presets)
    : m_presets(std::move(presets))
{}

QList<PlannerPreset> PlanFitRule::presetsOf(const Cluster *cluster)
{
    if (!cluster)
        return builtInPresets();
    QList<PlannerPreset> result;
    for (const Preset &preset : cluster->presets) {
        PlannerPreset p;
        p.name = preset.name;
        p.gpuCount = preset.gpuCount();
        p.gpuModel = preset.gpuModel();
        p.gpuMemoryBytes = preset.gpuMemoryBytes();
        p.creditsPerHour = preset.creditsPerHour;
        p.cpu = preset.cpu;
        p.memoryBytes = preset.memoryBytes;
        result << p;
    }
    return result;
}

void PlanFitRule::addModel(const QString &modelId, const ModelConfig &config)
{
    m_models.insert(modelId.toLower(), config);
}

void PlanFitRule::installIn(DeploymentValidator &validator) const
{
    validator.addRule([rule = *this](const Deployment &d) { return rule(d); });
}

std::optional<ModelConfig> PlanFitRule::modelConfig(const QString &modelId) const
{
    if (const auto it = m_models.constFind(modelId.toLower()); it != m_models.cend())
        return it.value();
    if (const std::optional<CatalogModel> known = ModelCatalog::builtIn().find(modelId))
        return known->config;
    return std::nullopt;
}

QList<ValidationIssue> PlanFitRule::operator()(const Deployment &d) const
{
    using Severity = ValidationIssue::Severity;
    if (d.model.isEmpty() || d.tensorParallel < 1 || d.pipelineParallel < 1)
        return {}; // the built-in checks already say what is missing
    const std::optional<ModelConfig> model = modelConfig(d.model);
    if (!model)
        return {
            {Severity::Warning, QStringLiteral("model"),
             tr("The planner does not know %1, so whether it fits the GPUs is not checked before the launch; plan it "
                "first (Plan pane, or 'apolo-deploy plan --model %1').")
                 .arg(d.model)}};
    const auto preset =
        std::find_if(m_presets.cbegin(), m_presets.cend(), [&](const PlannerPreset &p) { return p.name == d.preset; });
    if (preset == m_presets.cend() || !preset->hasGpus())
        return {}; // an unknown or GPU-less preset is the built-in checks' (and the platform's) to report
    const std::optional<Planner::GpuSpec> gpu = GpuCatalog::builtIn().resolve(preset->gpuModel, preset->gpuMemoryBytes);
    if (!gpu)
        return {{Severity::Warning, QStringLiteral("preset"),
                 tr("The GPU of preset '%1' (%2) is unknown to the planner, so memory fit is not checked.")
                     .arg(preset->name, preset->gpuModel)}};

    const PlanRequest request = requestFor(d, *model, *preset, gpu->visibleBytes);
    const MemoryPlan plan = planMemory(WeightInventory(*model), request);
    QList<ValidationIssue> issues;
    for (PlanIssue issue : plan.issues) {
        if (duplicatesBuiltInCheck(issue.code))
            continue;
        if (issue.code == QLatin1String("awq-mla-pp") && !mayUseV1Engine(d))
            continue; // a V1-engine failure; this image runs V0
        // Here TP is the GPUs of one node: suggest only sizes that fit in one.
        static const QRegularExpression tpList(QStringLiteral("Use --tp \\d+(?:, \\d+)*"));
        QStringList sizes;
        for (int tp : validTensorParallelSizes(*model, request.weights, preset->gpuCount, request.enableExpertParallel))
            sizes << QString::number(tp);
        if (!sizes.isEmpty())
            issue.message.replace(tpList, QStringLiteral("Use --tp ") + sizes.join(QStringLiteral(", ")));

        issues.append({issue.severity == PlanIssue::Severity::Error ? Severity::Error : Severity::Warning,
                       QString::fromLatin1(fieldForIssue(issue.code)), issue.message});
    }
    if (plan.verdict == Verdict::WeightsDoNotFit) {
        issues.append({Severity::Error, QStringLiteral("pipelineParallel"),
                       tr("vLLM would fail to start, %1.").arg(plan.verdictText)});
    } else if (plan.verdict == Verdict::KvCacheTooSmall) {
        const bool nearMiss = double(plan.capacityTokens) >= double(plan.maxModelLen) * (1.0 - estimateMargin);
        issues.append({nearMiss ? Severity::Warning : Severity::Error, QStringLiteral("maxModelLen"),
                       nearMiss
                           ? tr("By the planner's estimate the KV cache holds %1 tokens, just under --max-model-len "
                                "%2; vLLM may refuse to start. Use --max-model-len %1 to be safe.")
                                 .arg(plan.capacityTokens)
                                 .arg(plan.maxModelLen)
                           : tr("vLLM would fail to start, %1.").arg(plan.verdictText)});
    }
    return issues;
}

} // namespace ApoloDeploy
