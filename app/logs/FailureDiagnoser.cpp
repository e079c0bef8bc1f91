// SPDX-License-Identifier: GPL-3.0-or-later
#include "logs/FailureDiagnoser.h"

#include "logs/NeedleSet.h"

#include <QCoreApplication>
#include <QList>
#include <QRegularExpression>

#include <cmath>

namespace ApoloDeploy::Logs {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Logs", text);
}

QString number(double value, int decimals = 2)
{
    return QString::number(value, 'f', decimals);
}

using Match = QRegularExpressionMatch;
using Builder = void (*)(const Match &, const DiagnosisContext &, Diagnosis &);

struct FailureRule
{
    const char *needle; // literal that must occur before the regex runs
    const char *kind;
    const char *pattern;
    Builder build;
    bool fatal = true;
    bool secondary = false;
};

double engineValue(const DiagnosisContext &context, const char *key, double fallback)
{
    const QVariant value = context.engine.value(QString::fromLatin1(key));
    return value.isValid() ? value.toDouble() : fallback;
}

// A lower --gpu-memory-utilization that leaves room for CUDA graphs and activation spikes.
QString lowerUtilization(const DiagnosisContext &context)
{
    const double util = engineValue(context, "gpuMemoryUtilization", 0.9);
    return number(qMax(0.5, (std::round(util * 100) - 5) / 100));
}

QString parallelism(const DiagnosisContext &context)
{
    const int tp = int(engineValue(context, "tensorParallelSize", 1));
    const int pp = int(engineValue(context, "pipelineParallelSize", 1));
    return tr("TP %1 x PP %2 = %3 GPUs (%2 node(s) with %1 GPUs each)").arg(tp).arg(pp).arg(tp * pp);
}

QString ncclHint()
{
    return tr("Set NCCL_SOCKET_IFNAME and GLOO_SOCKET_IFNAME to the network interface that carries the node IP "
              "(e.g. eth0) on every job before `ray start`; add NCCL_DEBUG=INFO for details; set NCCL_IB_DISABLE=1 "
              "if the nodes have no InfiniBand.");
}

const QList<FailureRule> &rules()
{
    static const QList<FailureRule> table = {
        {"max seq len (", "kv_cache_too_small",
         R"(max seq len \((\d+)\) is larger than the maximum number of tokens that can be stored in KV cache \((\d+)\))",
         [](const Match &m, const DiagnosisContext &c, Diagnosis &d) {
             const qint64 asked = m.captured(1).toLongLong(), fits = m.captured(2).toLongLong();
             d.title =
                 tr("The KV cache holds %1 tokens, less than one request of max-model-len %2.").arg(fits).arg(asked);
             d.hint = tr("Start with --max-model-len %1 (the largest that fits), or raise --gpu-memory-utilization "
                         "above %2, or spread the model over more GPUs.")
                          .arg(fits)
                          .arg(number(engineValue(c, "gpuMemoryUtilization", 0.9)));
             d.values = {{QStringLiteral("maxModelLen"), asked},
                         {QStringLiteral("kvCacheTokens"), fits},
                         {QStringLiteral("suggestedMaxModelLen"), fits}};
         }},
        {"KV cache is needed, which is larger than the available KV cache memory", "kv_cache_too_small",
         R"(max seq len \((\d+)\), \(([\d.]+) GiB KV cache is needed, which is larger than the available KV cache memory \(([\d.]+) GiB\)\.(?: Based on the available memory, the estimated maximum model length is (\d+)\.)?)",
         [](const Match &m, const DiagnosisContext &, Diagnosis &d) {
             const qint64 asked = m.captured(1).toLongLong();
             const double needed = m.captured(2).toDouble(), available = m.captured(3).toDouble();
             // Without vLLM's own estimate, scale by the memory ratio (KV grows linearly with length).
             const qint64 fits = m.hasCaptured(4) ? m.captured(4).toLongLong()
                                                  : qint64(std::floor(asked * available / needed / 16) * 16);
             d.title = tr("One request of %1 tokens needs %2 GiB of KV cache; only %3 GiB is available.")
                           .arg(asked)
                           .arg(number(needed), number(available));
             d.hint = tr("Start with --max-model-len %1 (the largest that fits), or raise --gpu-memory-utilization, "
                         "or spread the model over more GPUs.")
                          .arg(fits);
             d.values = {{QStringLiteral("maxModelLen"), asked},
                         {QStringLiteral("suggestedMaxModelLen"), fits},
                         {QStringLiteral("kvCacheGiB"), available}};
         }},
        {"No available memory for the cache blocks", "no_kv_cache", R"(No available memory for the cache blocks)",
         [](const Match &, const DiagnosisContext &c, Diagnosis &d) {
             d.title = tr("The weights and activations use the whole memory budget: nothing is left for the KV cache.");
             d.hint = tr("Raise --gpu-memory-utilization (now %1, at most 0.95), use more GPUs (%2 now), a smaller "
                         "quantisation, or lower --max-num-batched-tokens.")
                          .arg(number(engineValue(c, "gpuMemoryUtilization", 0.9)), parallelism(c));
         }},
        {"reserved for KV Cache is -", "no_kv_cache", R"(reserved for KV Cache is (-[\d.]+)GiB)",
         [](const Match &m, const DiagnosisContext &c, Diagnosis &d) {
             const double missing = -m.captured(1).toDouble();
             const double util = engineValue(c, "gpuMemoryUtilization", 0.9);
             d.title = tr("Each GPU is %1 GiB short before any KV cache is allocated.").arg(number(missing));
             QString fix;
             if (c.totalGpuMemoryGiB > 0) {
                 const double needed =
                     std::ceil((util * c.totalGpuMemoryGiB + missing + 1) / c.totalGpuMemoryGiB * 100) / 100;
                 if (needed <= 0.95)
                     fix = tr("Start with --gpu-memory-utilization %1, or ").arg(number(needed));
             }
             d.hint = fix + tr("use more GPUs (%1 now) or a smaller quantisation.").arg(parallelism(c));
             d.values = {{QStringLiteral("missingGiB"), missing}};
         }},
        {"on startup is less than desired GPU memory utilization", "gpu_busy",
         R"(Free memory on device (\S+) \(([\d.]+)/([\d.]+) GiB\) on startup is less than desired GPU memory utilization \(([\d.]+), ([\d.]+) GiB\))",
         [](const Match &m, const DiagnosisContext &, Diagnosis &d) {
             const double free = m.captured(2).toDouble(), total = m.captured(3).toDouble();
             const double fits = std::floor(free / total * 100 - 2) / 100;
             d.title = tr("Another process already uses %1 GiB on %2.").arg(number(total - free), m.captured(1));
             d.hint =
                 tr("Stop the other process on that GPU, or start with --gpu-memory-utilization %1.").arg(number(fits));
             d.values = {{QStringLiteral("suggestedGpuMemoryUtilization"), fits}};
         }},
        {"must be divisible by tensor parallel size", "tp_not_divisor",
         R"(Total number of attention heads \((\d+)\) must be divisible by tensor parallel size \((\d+)\))",
         [](const Match &m, const DiagnosisContext &, Diagnosis &d) {
             const int heads = m.captured(1).toInt();
             QStringList valid;
             QVariantList validValues;
             for (const int divisor : divisors(heads)) {
                 valid << QString::number(divisor);
                 validValues << divisor;
             }
             d.title = tr("%1 attention heads cannot be split over %2 GPUs.").arg(heads).arg(m.captured(2));
             d.hint = tr("Use a --tensor-parallel-size that divides %1: %2. Use pipeline parallelism for the rest "
                         "of the GPUs.")
                          .arg(heads)
                          .arg(valid.join(QStringLiteral(", ")));
             d.values = {{QStringLiteral("heads"), heads}, {QStringLiteral("validTensorParallelSizes"), validValues}};
         }},
        {"Pipeline parallelism is not supported for this model", "pp_unsupported",
         R"(Pipeline parallelism is not supported for this model)",
         [](const Match &, const DiagnosisContext &, Diagnosis &d) {
             d.title = tr("This model cannot be split into pipeline stages.");
             d.hint = tr("Use --pipeline-parallel-size 1 and put all GPUs into --tensor-parallel-size, or choose a "
                         "model that supports pipeline parallelism.");
         }},
        {"GPU memory utilization must be less than 1.0", "bad_gpu_memory_utilization",
         R"(GPU memory utilization must be less than 1\.0\. Got ([\d.]+))",
         [](const Match &m, const DiagnosisContext &, Diagnosis &d) {
             d.title = tr("--gpu-memory-utilization %1 is above 1.0.").arg(m.captured(1));
             d.hint = tr("Use a fraction of the GPU memory, e.g. --gpu-memory-utilization 0.95.");
         }},
        {"does not match the quantization method specified", "quantization_mismatch",
         R"(Quantization method specified in the model config \(([\w-]+)\) does not match .* \((\w+)\))",
         [](const Match &m, const DiagnosisContext &, Diagnosis &d) {
             d.title = tr("The checkpoint is %1-quantised but --quantization %2 was given.")
                           .arg(m.captured(1), m.captured(2));
             d.hint = tr("Drop --quantization (vLLM detects it) or pass --quantization %1.").arg(m.captured(1));
         }},
        {"No available node types can fulfill resource request", "ray_infeasible",
         R"(No available node types can fulfill resource request (\{[^}]*\}))",
         [](const Match &m, const DiagnosisContext &c, Diagnosis &d) {
             d.title = tr("Ray has no node that offers %1.").arg(m.captured(1));
             d.hint = tr("Check that every node joined (`ray status` lists them) and that VLLM_HOST_IP matches the IP "
                         "Ray registered for the node. The deployment needs %1 on a preset with GPUs.")
                          .arg(parallelism(c));
         }},
        {"Cannot provide a placement group of", "placement_timeout",
         R"(Cannot provide a placement group of .* within (\d+) seconds)",
         [](const Match &m, const DiagnosisContext &c, Diagnosis &d) {
             d.title = tr("Ray could not gather the GPUs within %1 s.").arg(m.captured(1));
             d.hint = tr("Start all worker jobs on GPU presets and wait until `ray status` shows every node before "
                         "vLLM starts: the deployment needs %1.")
                          .arg(parallelism(c));
         }},
        {"Error executing method", "worker_method_failed",
         R"(Error executing method '?(\w+)'?\. This might cause deadlock)",
         [](const Match &m, const DiagnosisContext &, Diagnosis &d) {
             d.title = tr("A worker failed in %1.").arg(m.captured(1));
             d.hint = tr("The worker's own error is in its lines above (source column); NCCL or Gloo errors there mean "
                         "the nodes cannot reach each other.");
         },
         true, true},
        {"NCCL", "nccl", R"(NCCL (?:error|Error \d+): ([^(]+))",
         [](const Match &m, const DiagnosisContext &, Diagnosis &d) {
             d.title = tr("NCCL could not connect the GPUs across nodes (%1).").arg(m.captured(1).trimmed());
             d.hint = ncclHint();
         }},
        {"NCCL WARN", "nccl_warning", R"(NCCL WARN (.*))",
         [](const Match &m, const DiagnosisContext &, Diagnosis &d) {
             d.title = tr("NCCL warns: %1").arg(m.captured(1).trimmed());
             d.hint = ncclHint();
         },
         false},
        {"Gloo connectFullMesh failed", "gloo", R"(Gloo connectFullMesh failed)",
         [](const Match &, const DiagnosisContext &, Diagnosis &d) {
             d.title = tr("Gloo could not connect the processes across nodes.");
             d.hint = tr("Set GLOO_SOCKET_IFNAME (and NCCL_SOCKET_IFNAME) to the interface that carries VLLM_HOST_IP "
                         "on every job before `ray start`.");
         }},
        {"client socket has timed out", "gloo",
         R"(client socket has timed out after (\d+)ms while trying to connect to \(([^,]+), (\d+)\))",
         [](const Match &m, const DiagnosisContext &, Diagnosis &d) {
             d.title = tr("A node could not reach %1:%2 for %3 s.")
                           .arg(m.captured(2), m.captured(3))
                           .arg(m.captured(1).toLongLong() / 1000);
             d.hint = tr("Set GLOO_SOCKET_IFNAME and NCCL_SOCKET_IFNAME to the interface that carries the node IP, and "
                         "check that the jobs can reach each other on all ports.");
         }},
        {"OutOfMemoryError", "cuda_oom",
         R"(OutOfMemoryError: CUDA out of memory\.(?: Tried to allocate ([\d.]+ [KMG]iB)\. GPU (\d+) has a total capacity of ([\d.]+ GiB) of which ([\d.]+ [KMG]iB) is free)?)",
         [](const Match &m, const DiagnosisContext &c, Diagnosis &d) {
             d.title = m.hasCaptured(1) ? tr("GPU %1 ran out of memory allocating %2 (%3 free of %4).")
                                              .arg(m.captured(2), m.captured(1), m.captured(4), m.captured(3))
                                        : tr("A GPU ran out of memory.");
             if (c.phaseKnown && c.phase == Phase::CudaGraphs)
                 d.hint = tr("CUDA-graph capture is not budgeted: add --enforce-eager, or leave it room with "
                             "--gpu-memory-utilization %1.")
                              .arg(lowerUtilization(c));
             else if (c.phaseKnown && c.phase <= Phase::LoadingWeights && c.phase >= Phase::EngineConfig)
                 d.hint = tr("The weights do not fit: use more GPUs (%1 now) or a smaller quantisation.")
                              .arg(parallelism(c));
             else
                 d.hint = tr("Leave more headroom: --gpu-memory-utilization %1, a lower --max-num-seqs or "
                             "--max-num-batched-tokens, or --enforce-eager.")
                              .arg(lowerUtilization(c));
         }},
        {"Bfloat16 is only supported on GPUs", "bf16_unsupported", R"(Bfloat16 is only supported on GPUs)",
         [](const Match &, const DiagnosisContext &, Diagnosis &d) {
             d.title = tr("These GPUs cannot run bfloat16.");
             d.hint = tr("Add --dtype half.");
         }},
        {"is greater than the derived max_model_len", "max_model_len_above_model",
         R"(User-specified max_model_len \((\d+)\) is greater than the derived max_model_len \((\w+)=(\d+))",
         [](const Match &m, const DiagnosisContext &, Diagnosis &d) {
             d.title =
                 tr("--max-model-len %1 is above what the model supports (%2).").arg(m.captured(1), m.captured(3));
             d.hint = tr("Use --max-model-len %1 or less (or set VLLM_ALLOW_LONG_MAX_MODEL_LEN=1 at your own risk).")
                          .arg(m.captured(3));
             d.values = {{QStringLiteral("suggestedMaxModelLen"), m.captured(3).toLongLong()}};
         }},
        {"trust_remote_code=True", "trust_remote_code", R"(set the option trust_remote_code=True)",
         [](const Match &, const DiagnosisContext &, Diagnosis &d) {
             d.title = tr("The model ships its own code and vLLM was not allowed to run it.");
             d.hint = tr("Add --trust-remote-code.");
         }},
        {"unrecognized arguments: ", "unrecognized_arguments", R"(unrecognized arguments: (.+)$)",
         [](const Match &m, const DiagnosisContext &, Diagnosis &d) {
             d.title = tr("This vLLM version does not know %1.").arg(m.captured(1));
             d.hint = tr("Remove %1 or pick the vLLM image the flag belongs to.").arg(m.captured(1));
         }},
        {"ated", "hf_gated",
         R"((?:Cannot access gated repo for url https://[^/]+/([^/\s]+/[^/\s]+)|GatedRepoError|gated repo))",
         [](const Match &m, const DiagnosisContext &c, Diagnosis &d) {
             const QString repo = m.hasCaptured(1) ? m.captured(1) : c.engine.value(QStringLiteral("model")).toString();
             d.title = tr("The model %1 is gated on Hugging Face.").arg(repo);
             d.hint = tr("Accept its licence on https://huggingface.co/%1 with the account of your token, and pass the "
                         "token to the job as HF_TOKEN=secret:HF_TOKEN.")
                          .arg(repo);
         }},
        {"401 Client Error", "hf_auth", R"(401 Client Error)",
         [](const Match &, const DiagnosisContext &, Diagnosis &d) {
             d.title = tr("Hugging Face refused the token (401).");
             d.hint = tr("Check the HF_TOKEN secret (apolo secret add HF_TOKEN <token>) and that the job gets it as "
                         "HF_TOKEN=secret:HF_TOKEN.");
         }},
        {"Repository Not Found", "hf_not_found",
         R"(Repository Not Found for url: https://[^/]+/(?:api/models/)?([^/\s]+/[^/\s.]+))",
         [](const Match &m, const DiagnosisContext &, Diagnosis &d) {
             d.title = tr("Hugging Face has no model %1 (or the token cannot see it).").arg(m.captured(1));
             d.hint = tr("Check the model id spelling and that HF_TOKEN has access to it.");
         }},
        {"No space left on device", "disk_full", R"(No space left on device)",
         [](const Match &, const DiagnosisContext &, Diagnosis &d) {
             d.title = tr("The disk filled up while downloading or unpacking.");
             d.hint = tr("Free space in the Hugging Face cache volume (storage:…/cache) or mount a larger disk there; "
                         "a 671B AWQ checkpoint needs about 370 GB, the FP8 one about 700 GB.");
         }},
        {"Unable to connect to GCS", "ray_head_unreachable",
         R"(Unable to connect to GCS(?: \(ray head\))? at ([\w.:-]+))",
         [](const Match &m, const DiagnosisContext &, Diagnosis &d) {
             d.title = tr("The Ray worker could not reach the head at %1.").arg(m.captured(1));
             d.hint = tr("Start the head job first and wait for \"Ray runtime started.\"; use the head's internal "
                         "hostname (Internal Hostname Named) and port 6379 in --address.");
         }},
        {"Could not find any running Ray instance", "ray_head_unreachable",
         R"(Could not find any running Ray instance)",
         [](const Match &, const DiagnosisContext &, Diagnosis &d) {
             d.title = tr("No Ray cluster was running where vLLM looked for it.");
             d.hint = tr("Run `ray start --address=<head>:6379` in the same job before vLLM, or set RAY_ADDRESS.");
         }},
        {"Started a local Ray instance", "ray_local_instance", R"(Started a local Ray instance)",
         [](const Match &, const DiagnosisContext &c, Diagnosis &d) {
             d.title = tr("vLLM started its own one-node Ray instead of joining the cluster.");
             d.hint = tr("Run vLLM in a job that did `ray start --address=<head>:6379` first (or set RAY_ADDRESS); "
                         "otherwise it only sees this node's GPUs and %1 cannot be placed.")
                          .arg(parallelism(c));
         },
         false},
        {"resource request cannot be scheduled right now", "ray_pending",
         R"(resource request cannot be scheduled right now)",
         [](const Match &, const DiagnosisContext &c, Diagnosis &d) {
             d.title = tr("Ray is waiting for free GPUs.");
             d.hint = tr("Check `ray status`: the deployment needs %1.").arg(parallelism(c));
         },
         false},
        {"required GPUs exceeds the total number of available GPUs", "ray_not_enough_gpus",
         R"(required GPUs exceeds the total number of available GPUs)",
         [](const Match &, const DiagnosisContext &c, Diagnosis &d) {
             d.title = tr("The Ray cluster has fewer GPUs than vLLM needs.");
             d.hint = tr("Start the missing worker job(s); the deployment needs %1.").arg(parallelism(c));
         },
         false},
        {"Errno 98", "port_busy", R"(\[Errno 98\].*?address \('([^']*)', (\d+)\))",
         [](const Match &m, const DiagnosisContext &, Diagnosis &d) {
             d.title = tr("Port %1 is already taken in the container.").arg(m.captured(2));
             d.hint = tr("Pass another --port to vLLM and the same --http-port to the job.");
         }},
        {"Engine loop is not running", "engine_dead", R"(Engine loop is not running)",
         [](const Match &, const DiagnosisContext &, Diagnosis &d) {
             d.title = tr("The vLLM engine process died.");
             d.hint = tr("The cause is the first error above this line.");
         },
         true, true},
        {"died unexpectedly", "engine_dead", R"(Engine core proc (\w+) died unexpectedly)",
         [](const Match &, const DiagnosisContext &, Diagnosis &d) {
             d.title = tr("The vLLM engine process died.");
             d.hint = tr("The cause is the first error above this line.");
         },
         true, true},
        {"EngineDeadError", "engine_dead", R"(EngineDeadError)",
         [](const Match &, const DiagnosisContext &, Diagnosis &d) {
             d.title = tr("The vLLM engine process died.");
             d.hint = tr("The cause is the first error above this line.");
         },
         true, true},
        {"ActorDiedError", "ray_actor_died", R"(Ray\w*ActorDiedError|ActorDiedError)",
         [](const Match &, const DiagnosisContext &, Diagnosis &d) {
             d.title = tr("A Ray worker process died.");
             d.hint = tr("Look at that worker's lines and its job's status: OOMKilled means the node ran out of RAM "
                         "(lower --swap-space or pick a preset with more memory).");
         },
         true, true},
    };
    return table;
}

// The rules' needles, then the two that gate the generic last-line-of-a-traceback rule.
struct CompiledRules
{
    NeedleSet needles;
    qsizetype extrasAt;
    QList<QRegularExpression> regexes;
};

const CompiledRules &compiledRules()
{
    static const CompiledRules compiled = [] {
        QByteArrayList needles;
        QList<QRegularExpression> regexes;
        for (const FailureRule &rule : rules()) {
            needles.append(QByteArray(rule.needle));
            regexes.append(QRegularExpression(QString::fromLatin1(rule.pattern)));
        }
        const qsizetype extrasAt = needles.size();
        needles << QByteArray("Error: ") << QByteArray("Exception: ");
        return CompiledRules{NeedleSet(needles), extrasAt, regexes};
    }();
    return compiled;
}

} // namespace

QList<int> divisors(int n)
{
    QList<int> out;
    for (int i = 1; i <= n; ++i) {
        if (n % i == 0)
            out.append(i);
    }
    return out;
}

std::optional<Diagnosis> diagnoseMessage(QStringView message, const DiagnosisContext &context)
{
    const QList<FailureRule> &table = rules();
    const CompiledRules &compiled = compiledRules();
    const quint64 hits = compiled.needles.scan(message);
    if (!hits)
        return std::nullopt;
    for (qsizetype i = 0; i < table.size(); ++i) {
        if (!NeedleSet::found(hits, i))
            continue;
        const auto match = compiled.regexes[i].match(message);
        if (!match.hasMatch())
            continue;
        Diagnosis diagnosis;
        diagnosis.kind = QString::fromLatin1(table[i].kind);
        diagnosis.fatal = table[i].fatal;
        diagnosis.secondary = table[i].secondary;
        diagnosis.message = message.toString();
        table[i].build(match, context, diagnosis);
        return diagnosis;
    }
    // The last line of a Python traceback: a fatal error nobody above recognised.
    static const QRegularExpression exception(
        QStringLiteral(R"(^((?:\w+\.)*\w*(?:Error|Exception|Interrupt)): (.+)$)"));
    if (NeedleSet::found(hits, compiled.extrasAt) || NeedleSet::found(hits, compiled.extrasAt + 1)) {
        const auto match = exception.match(message);
        if (match.hasMatch()) {
            Diagnosis diagnosis;
            diagnosis.kind = QStringLiteral("exception");
            diagnosis.secondary = true;
            diagnosis.message = message.toString();
            diagnosis.title = tr("%1: %2").arg(match.captured(1), match.captured(2));
            diagnosis.hint = tr("Not a known failure: read the traceback above it, and the lines just before.");
            return diagnosis;
        }
    }
    return std::nullopt;
}

} // namespace ApoloDeploy::Logs
