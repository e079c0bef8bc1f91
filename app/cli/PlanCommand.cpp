// SPDX-License-Identifier: GPL-3.0-or-later
// apolo-deploy plan: vRAM, context length, parallelism and cost per GPU, as vLLM allocates it.

#include "cli/CliContext.h"
#include "core/SecretStore.h"
#include "core/Settings.h"
#include "planner/DeploymentPlanner.h"
#include "planner/HubClient.h"
#include "planner/LocalModelFiles.h"
#include "planner/ModelCatalog.h"
#include "planner/PlanJson.h"
#include "planner/PresetComparison.h"
#include "planner/StartupLogCalibration.h"
#include "planner/WeightInventory.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>

#include <memory>

namespace ApoloDeploy {

namespace {

using namespace Planner;

QString tr(const char *text)
{
    return QCoreApplication::translate("Cli", text);
}

struct PlanOptions
{
    PlanInputs inputs;
    bool json = false;
    bool compare = false;
    QString calibrationLog;
};

// Parses an option as a positive integer or reports which one is wrong.
bool positiveInt(CliContext &context, const QCommandLineParser &parser, const QString &name, int &out)
{
    if (!parser.isSet(name))
        return true;
    bool ok = false;
    const int value = parser.value(name).toInt(&ok);
    if (!ok || value < 1) {
        context.usageError(tr("--%1 must be a positive integer, got \"%2\"").arg(name, parser.value(name)));
        return false;
    }
    out = value;
    return true;
}

void runPlan(CliContext &context, PlanOptions options)
{
    const WeightInventory inventory(options.inputs.model);
    const DeploymentPlan plan = buildDeploymentPlan(options.inputs, inventory);
    QList<PresetComparisonRow> rows;
    if (options.compare)
        rows = comparePresets(options.inputs, inventory);
    std::optional<CalibrationReport> calibration;
    if (!options.calibrationLog.isEmpty()) {
        QFile log(options.calibrationLog);
        if (!log.open(QIODevice::ReadOnly)) {
            context.err() << tr("cannot read %1: %2").arg(options.calibrationLog, log.errorString()) << Qt::endl;
            context.finish(1);
            return;
        }
        calibration = calibrate(plan.memory, parseStartupLog(QString::fromUtf8(log.readAll())));
    }
    if (options.json) {
        QJsonObject json = planToJson(plan);
        if (options.compare)
            json.insert(QLatin1String("presets"), comparisonToJson(rows));
        if (calibration) {
            QJsonArray terms;
            for (const CalibrationTerm &term : calibration->terms) {
                QJsonObject item{{QLatin1String("term"), term.name},
                                 {QLatin1String("unit"), term.unit},
                                 {QLatin1String("planned"), term.planned}};
                if (term.measured) {
                    item.insert(QLatin1String("measured"), *term.measured);
                    item.insert(QLatin1String("ratio"), term.ratio().value_or(0));
                }
                terms.append(item);
            }
            json.insert(QLatin1String("calibration"), terms);
        }
        context.out() << QJsonDocument(json).toJson(QJsonDocument::Indented);
    } else {
        context.out() << planToText(plan);
        if (options.compare)
            context.out() << '\n' << comparisonToText(rows);
        if (calibration)
            context.out() << '\n' << tr("Calibration (measured vs planned)") << '\n' << calibration->text();
    }
    context.out().flush();
    context.finish(plan.isValid() && plan.memory.fits() ? 0 : 1);
}

void resolveModelAndRun(CliContext &context, PlanOptions options, const QString &model)
{
    const auto runWith = [&context](PlanOptions resolved, const QByteArray &configJson) {
        const ModelConfigResult parsed = parseModelConfig(configJson);
        if (!parsed.config) {
            context.err() << resolved.inputs.modelId << ": " << parsed.error << Qt::endl;
            context.finish(1);
            return;
        }
        resolved.inputs.model = *parsed.config;
        runPlan(context, std::move(resolved));
    };
    if (const std::optional<CatalogModel> known = ModelCatalog::builtIn().find(model)) {
        options.inputs.modelId = known->id;
        options.inputs.model = known->config;
        runPlan(context, std::move(options));
        return;
    }
    if (QFileInfo::exists(model)) {
        const LocalModelFiles files = readLocalModelFiles(model);
        if (!files.isOk()) {
            context.err() << files.error << Qt::endl;
            context.finish(1);
            return;
        }
        options.inputs.modelId = model;
        options.inputs.checkpointBytes = files.checkpointBytes;
        runWith(std::move(options), files.configJson);
        return;
    }
    if (!HubClient::isRepoId(model)) {
        context.usageError(tr("--model \"%1\" is neither a catalog model, a config.json path nor a Hugging Face id "
                              "(owner/name)")
                               .arg(model));
        return;
    }
    // A Hub id: fetch asynchronously. The token comes from HF_TOKEN like the hub's own tools, else
    // from the keychain (`apolo-deploy hf-token` or the console's Hugging Face Token dialog).
    auto *network = new QNetworkAccessManager(QCoreApplication::instance());
    auto *hub = new HubClient(network, network);
    const QString configuredEndpoint = Settings::instance().value(Settings::Key::HuggingFaceEndpoint).toString();
    if (qEnvironmentVariableIsEmpty("HF_ENDPOINT") && !configuredEndpoint.isEmpty())
        hub->setEndpoint(QUrl(configuredEndpoint, QUrl::StrictMode));
    QObject::connect(hub, &HubClient::modelFetched, hub,
                     [&context, options, runWith](const HubFetchResult &result) mutable {
                         if (!result.isOk()) {
                             context.err() << result.message << Qt::endl;
                             context.finish(1);
                             return;
                         }
                         if (!result.message.isEmpty())
                             context.err() << result.message << Qt::endl;
                         options.inputs.modelId = result.repoId;
                         options.inputs.checkpointBytes = result.checkpointBytes;
                         runWith(std::move(options), result.configJson);
                     });
    if (!qEnvironmentVariableIsEmpty("HF_TOKEN")) {
        hub->setToken(qgetenv("HF_TOKEN"));
        return hub->fetchModel(model);
    }
    SecretStore::instance().read(HubClient::keychainKey(), hub, [hub, model](const SecretResult &result) {
        if (result.ok)
            hub->setToken(result.value);
        // No keychain or no token: public models still work; gated ones say what to do.
        hub->fetchModel(model);
    });
}

} // namespace

void runPlanCommand(CliContext &context)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Plan GPU memory, context length, parallelism and cost for a vLLM deployment."));
    const auto valueOption = [](const char *name, const char *description, const char *valueName) {
        return QCommandLineOption(QString::fromLatin1(name), tr(description), QString::fromLatin1(valueName));
    };
    parser.addOptions({
        valueOption("model", "catalog id, path to config.json (or its folder), or Hugging Face id", "ID|PATH"),
        valueOption("quant",
                    "weights: bf16, fp16, fp8, fp8-block, int8, awq[-gN], gptq[-gN], w4a16[-gN] "
                    "(default: the checkpoint's)",
                    "Q"),
        valueOption("gpu", "GPU model, e.g. nvidia-h100-80gb, H200", "MODEL"),
        valueOption("gpu-mem-gib", "CUDA-visible memory per GPU in GiB (overrides the GPU table)", "N"),
        valueOption("gpus-per-node", "GPUs per node (default: the preset's, else 8)", "N"),
        valueOption("nodes", "number of nodes", "N"),
        valueOption("preset", "platform preset (built-in sandbox examples unless live presets are given)", "NAME"),
        valueOption("tp", "--tensor-parallel-size (default: GPUs per node)", "N"),
        valueOption("pp", "--pipeline-parallel-size (default: nodes)", "N"),
        valueOption("layer-partition", "VLLM_PP_LAYER_PARTITION, e.g. 31,30", "A,B,..."),
        valueOption("max-model-len", "context length per request (default: the model's maximum)", "N"),
        valueOption("concurrency", "requests of max-model-len that must fit at once (default 1)", "N"),
        valueOption("kv-cache-dtype", "auto or fp8", "auto|fp8"),
        valueOption("gpu-memory-utilization", "vLLM's fraction of GPU memory (default 0.9)", "F"),
        valueOption("max-nodes", "largest node count the recommendation may use (default 8)", "N"),
        valueOption("life-span", "planned job life span in hours, for its total cost", "HOURS"),
        valueOption("currency-rate", "money per credit, to show costs in a currency", "RATE"),
        valueOption("throughput", "output tokens per second, for the cost per million tokens", "TOK/S"),
        valueOption("calibrate", "compare with a vLLM startup log (memory lines)", "LOGFILE"),
        valueOption("activation-gib",
                    "activation peak per GPU at 8192 batched tokens, instead of the estimate "
                    "(4.8 dense / 7.4 MoE; UNCONFIRMED per vLLM version)",
                    "GIB"),
        valueOption("non-torch-gib",
                    "non-torch memory per GPU (NCCL, all-reduce buffers), instead of the estimate "
                    "(0.15 / 0.6 with TP / 1.5 across nodes; UNCONFIRMED)",
                    "GIB"),
        valueOption("cuda-graph-gib", "CUDA-graph memory per GPU inside the budget (default 1.0; UNCONFIRMED)", "GIB"),
    });
    parser.addOption(QCommandLineOption(QStringLiteral("enforce-eager"), tr("no CUDA graphs (--enforce-eager)")));
    parser.addOption(QCommandLineOption(QStringLiteral("compare"), tr("also compare every preset")));
    parser.addOption(QCommandLineOption(QStringLiteral("json"), tr("print JSON")));
    if (!context.parse(parser))
        return;
    if (!parser.isSet(QStringLiteral("model"))) {
        context.usageError(tr("plan needs --model ID|PATH, e.g. --model cognitivecomputations/DeepSeek-R1-AWQ"));
        return;
    }

    PlanOptions options;
    PlanInputs &inputs = options.inputs;
    inputs.presets = builtInPresets();
    options.json = parser.isSet(QStringLiteral("json"));
    options.compare = parser.isSet(QStringLiteral("compare"));
    options.calibrationLog = parser.value(QStringLiteral("calibrate"));
    inputs.presetName = parser.value(QStringLiteral("preset"));
    inputs.gpuModel = parser.value(QStringLiteral("gpu"));
    inputs.layerPartition = parser.value(QStringLiteral("layer-partition"));
    inputs.enforceEager = parser.isSet(QStringLiteral("enforce-eager"));
    inputs.lifeSpanHours = parser.value(QStringLiteral("life-span"));
    inputs.currencyPerCredit = parser.value(QStringLiteral("currency-rate"));
    inputs.outputTokensPerSecond = parser.value(QStringLiteral("throughput"));
    if (!positiveInt(context, parser, QStringLiteral("gpus-per-node"), inputs.gpusPerNode) ||
        !positiveInt(context, parser, QStringLiteral("nodes"), inputs.nodes) ||
        !positiveInt(context, parser, QStringLiteral("tp"), inputs.tensorParallel) ||
        !positiveInt(context, parser, QStringLiteral("pp"), inputs.pipelineParallel) ||
        !positiveInt(context, parser, QStringLiteral("concurrency"), inputs.concurrency) ||
        !positiveInt(context, parser, QStringLiteral("max-nodes"), inputs.maxNodes))
        return;
    int maxModelLen = 0;
    if (!positiveInt(context, parser, QStringLiteral("max-model-len"), maxModelLen))
        return;
    inputs.maxModelLen = maxModelLen;
    if (parser.isSet(QStringLiteral("quant"))) {
        const QuantSchemeResult quant = parseQuantOption(parser.value(QStringLiteral("quant")));
        if (!quant.scheme) {
            context.usageError(quant.error);
            return;
        }
        inputs.quantOverride = quant.scheme;
    }
    if (parser.isSet(QStringLiteral("gpu-mem-gib"))) {
        bool ok = false;
        const double gib = parser.value(QStringLiteral("gpu-mem-gib")).toDouble(&ok);
        if (!ok || gib <= 0 || gib > 4096) {
            context.usageError(tr("--gpu-mem-gib must be a positive number of GiB, e.g. 79.18"));
            return;
        }
        inputs.gpuMemoryOverrideBytes = qint64(gib * double(kGiB));
    }
    const QString kvDtype = parser.value(QStringLiteral("kv-cache-dtype"));
    if (kvDtype == QLatin1String("fp8") || kvDtype == QLatin1String("fp8_e4m3") || kvDtype == QLatin1String("fp8_e5m2"))
        inputs.kvCacheDtype = KvCacheDtype::Fp8;
    else if (!kvDtype.isEmpty() && kvDtype != QLatin1String("auto")) {
        context.usageError(tr("Unknown kv cache dtype \"%1\": use auto or fp8").arg(kvDtype));
        return;
    }
    if (parser.isSet(QStringLiteral("gpu-memory-utilization"))) {
        bool ok = false;
        inputs.gpuMemoryUtilization = parser.value(QStringLiteral("gpu-memory-utilization")).toDouble(&ok);
        if (!ok) {
            context.usageError(tr("--gpu-memory-utilization must be a number such as 0.9"));
            return;
        }
    }
    // The measured-profile terms planner.md marks UNCONFIRMED: overridable so a user can plug in the
    // figures of their own startup log (plan --calibrate shows them side by side).
    const auto gibOption = [&](const char *name, qint64 &bytes) {
        if (!parser.isSet(QLatin1String(name)))
            return true;
        bool ok = false;
        const double gib = parser.value(QLatin1String(name)).toDouble(&ok);
        if (!ok || gib < 0 || gib > 1024) {
            context.usageError(tr("--%1 must be a number of GiB such as 2.5").arg(QLatin1String(name)));
            return false;
        }
        bytes = qint64(gib * double(kGiB));
        return true;
    };
    OverheadModel &overheads = inputs.overheads;
    qint64 activation = -1;
    qint64 nonTorch = -1;
    if (!gibOption("activation-gib", activation) || !gibOption("non-torch-gib", nonTorch) ||
        !gibOption("cuda-graph-gib", overheads.cudaGraphBytes))
        return;
    if (activation >= 0)
        overheads.activationDenseBytes = overheads.activationMoeBytes = activation;
    if (nonTorch >= 0)
        overheads.nonTorchSingleGpuBytes = overheads.nonTorchTensorParallelBytes = overheads.nonTorchMultiNodeBytes =
            nonTorch;
    resolveModelAndRun(context, std::move(options), parser.value(QStringLiteral("model")));
}

} // namespace ApoloDeploy
