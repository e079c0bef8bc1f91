// SPDX-License-Identifier: GPL-3.0-or-later
#include "deploy/DeploymentOptions.h"

#include <QCoreApplication>

namespace ApoloDeploy {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("DeploymentOptions", text);
}

QCommandLineOption valueOption(const char *name, const char *description, const char *valueName)
{
    return QCommandLineOption(QString::fromLatin1(name), QCoreApplication::translate("DeploymentOptions", description),
                              QString::fromLatin1(valueName));
}

QCommandLineOption switchOption(const char *name, const char *description)
{
    return QCommandLineOption(QString::fromLatin1(name), QCoreApplication::translate("DeploymentOptions", description));
}

bool readInt(const QCommandLineParser &parser, const char *name, int minimum, int &target, QString *error)
{
    const QString option = QString::fromLatin1(name);
    if (!parser.isSet(option))
        return true;
    bool ok = false;
    const int value = parser.value(option).toInt(&ok);
    if (!ok || value < minimum) {
        *error = tr("--%1: '%2' is not a whole number of at least %3.").arg(option, parser.value(option)).arg(minimum);
        return false;
    }
    target = value;
    return true;
}

void readString(const QCommandLineParser &parser, const char *name, QString &target)
{
    if (parser.isSet(QString::fromLatin1(name)))
        target = parser.value(QString::fromLatin1(name));
}

} // namespace

DeploymentOptions::DeploymentOptions()
{
    m_options = {
        valueOption("name", QT_TRANSLATE_NOOP("DeploymentOptions", "deployment name (job names derive from it)"),
                    "NAME"),
        valueOption("model", QT_TRANSLATE_NOOP("DeploymentOptions", "Hugging Face model id or container path"),
                    "MODEL"),
        valueOption("served-model-name", QT_TRANSLATE_NOOP("DeploymentOptions", "name clients send as \"model\""),
                    "NAME"),
        valueOption("image", QT_TRANSLATE_NOOP("DeploymentOptions", "vLLM image (default vllm/vllm-openai:v0.7.2)"),
                    "IMAGE"),
        valueOption("preset", QT_TRANSLATE_NOOP("DeploymentOptions", "Apolo preset of every node"), "PRESET"),
        valueOption("nodes", QT_TRANSLATE_NOOP("DeploymentOptions", "nodes = pipeline parallel size"), "N"),
        valueOption("tp", QT_TRANSLATE_NOOP("DeploymentOptions", "tensor parallel size (GPUs per node)"), "N"),
        valueOption("pp", QT_TRANSLATE_NOOP("DeploymentOptions", "pipeline parallel size (= nodes)"), "N"),
        valueOption("max-model-len",
                    QT_TRANSLATE_NOOP("DeploymentOptions", "context length in tokens (0 = model default)"), "TOKENS"),
        valueOption("gpu-memory-utilization",
                    QT_TRANSLATE_NOOP("DeploymentOptions", "share of GPU memory vLLM may use (0-1]"), "F"),
        valueOption("dtype", QT_TRANSLATE_NOOP("DeploymentOptions", "auto, half, float16, bfloat16, float, float32"),
                    "DTYPE"),
        valueOption("quantization",
                    QT_TRANSLATE_NOOP("DeploymentOptions", "quantization method (default: the checkpoint's)"),
                    "METHOD"),
        valueOption("kv-cache-dtype", QT_TRANSLATE_NOOP("DeploymentOptions", "auto, fp8, fp8_e4m3, fp8_e5m2"), "DTYPE"),
        switchOption("enforce-eager",
                     QT_TRANSLATE_NOOP("DeploymentOptions", "no CUDA graphs (less memory, slower decode)")),
        switchOption("reasoning-parser",
                     QT_TRANSLATE_NOOP("DeploymentOptions", "--enable-reasoning --reasoning-parser deepseek_r1")),
        switchOption("no-trust-remote-code", QT_TRANSLATE_NOOP("DeploymentOptions", "do not pass --trust-remote-code")),
        valueOption("vllm-arg", QT_TRANSLATE_NOOP("DeploymentOptions", "extra vLLM argument (repeatable)"), "ARG"),
        valueOption("hf-token-secret",
                    QT_TRANSLATE_NOOP("DeploymentOptions", "platform secret with the HF token ('' = none)"), "SECRET"),
        valueOption("cache-volume",
                    QT_TRANSLATE_NOOP("DeploymentOptions", "HF cache volume, e.g. storage:hf-cache ('' = none)"),
                    "URI"),
        valueOption("life-span", QT_TRANSLATE_NOOP("DeploymentOptions", "life span of every job, e.g. 1d, 10d, 12h"),
                    "DURATION"),
        switchOption("no-http-auth", QT_TRANSLATE_NOOP("DeploymentOptions", "serve without platform authentication")),
        valueOption("api-key-secret",
                    QT_TRANSLATE_NOOP("DeploymentOptions", "platform secret holding the vLLM API key"), "SECRET"),
        valueOption("network-interface",
                    QT_TRANSLATE_NOOP("DeploymentOptions", "NCCL/GLOO socket interface, e.g. eth0"), "IF"),
        valueOption("env",
                    QT_TRANSLATE_NOOP("DeploymentOptions", "extra environment NAME=VALUE on every node (repeatable)"),
                    "NAME=VALUE"),
        switchOption("web", QT_TRANSLATE_NOOP("DeploymentOptions", "also start Open WebUI")),
        valueOption("web-preset", QT_TRANSLATE_NOOP("DeploymentOptions", "preset of Open WebUI (default cpu-small)"),
                    "PRESET"),
    };
}

void DeploymentOptions::addTo(QCommandLineParser &parser) const
{
    parser.addOptions(m_options);
}

bool DeploymentOptions::apply(const QCommandLineParser &parser, Deployment &d, QString *error) const
{
    readString(parser, "name", d.name);
    readString(parser, "model", d.model);
    readString(parser, "served-model-name", d.servedModelName);
    readString(parser, "image", d.image);
    readString(parser, "preset", d.preset);
    int nodes = 0;
    int pp = 0;
    if (!readInt(parser, "nodes", 1, nodes, error) || !readInt(parser, "pp", 1, pp, error) ||
        !readInt(parser, "tp", 1, d.tensorParallel, error) ||
        !readInt(parser, "max-model-len", 0, d.maxModelLen, error))
        return false;
    if (nodes && pp && nodes != pp) {
        *error = tr("--nodes %1 and --pp %2 disagree: one pipeline stage runs per node, so give one of them.")
                     .arg(nodes)
                     .arg(pp);
        return false;
    }
    if (nodes || pp)
        d.pipelineParallel = nodes ? nodes : pp;
    if (parser.isSet(QStringLiteral("gpu-memory-utilization"))) {
        bool ok = false;
        d.gpuMemoryUtilization = parser.value(QStringLiteral("gpu-memory-utilization")).toDouble(&ok);
        if (!ok) {
            *error = tr("--gpu-memory-utilization: '%1' is not a number such as 0.92.")
                         .arg(parser.value(QStringLiteral("gpu-memory-utilization")));
            return false;
        }
    }
    readString(parser, "dtype", d.dtype);
    readString(parser, "quantization", d.quantization);
    readString(parser, "kv-cache-dtype", d.kvCacheDtype);
    d.enforceEager = d.enforceEager || parser.isSet(QStringLiteral("enforce-eager"));
    d.reasoningParser = d.reasoningParser || parser.isSet(QStringLiteral("reasoning-parser"));
    if (parser.isSet(QStringLiteral("no-trust-remote-code")))
        d.trustRemoteCode = false;
    if (parser.isSet(QStringLiteral("vllm-arg")))
        d.extraVllmArgs = parser.values(QStringLiteral("vllm-arg"));
    readString(parser, "hf-token-secret", d.hfTokenSecret);
    readString(parser, "cache-volume", d.hfCacheVolume);
    readString(parser, "life-span", d.lifeSpan);
    if (parser.isSet(QStringLiteral("no-http-auth")))
        d.httpAuth = false;
    readString(parser, "api-key-secret", d.apiKeySecret);
    readString(parser, "network-interface", d.networkInterface);
    for (const QString &pair : parser.values(QStringLiteral("env"))) {
        const qsizetype equals = pair.indexOf(QLatin1Char('='));
        if (equals <= 0) {
            *error = tr("--env: '%1' is not NAME=VALUE.").arg(pair);
            return false;
        }
        d.extraEnv.insert(pair.left(equals), pair.mid(equals + 1));
    }
    d.openWebUi = d.openWebUi || parser.isSet(QStringLiteral("web"));
    readString(parser, "web-preset", d.webPreset);
    return true;
}

} // namespace ApoloDeploy
