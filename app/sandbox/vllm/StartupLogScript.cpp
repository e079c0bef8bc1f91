// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/vllm/StartupLogScript.h"

#include "sandbox/vllm/VllmTracebacks.h"

#include <algorithm>
#include <cmath>

namespace ApoloDeploy::Sandbox {

namespace {

const QString kInfo = QStringLiteral("INFO");
const QString kWarning = QStringLiteral("WARNING");
const QString kError = QStringLiteral("ERROR");

QString pyRepr(const QString &text)
{
    return QLatin1Char('\'') % text % QLatin1Char('\'');
}

// The lines EngineArgs.create_engine_config logs; the MQ engine process logs them a second time.
void appendConfigLines(LogScript &lines, double at, const StartupLogScript &script, const QString &quantization,
                       const QString &checkpointDtype, const QString &torchDtype)
{
    const VllmServerArgs &args = script.args();
    const ModelFacts &model = *script.model();
    lines << LogScriptLine::vllm(at, kInfo, QStringLiteral("config.py:542"),
                                 QStringLiteral("This model supports multiple tasks: {'generate', 'reward', "
                                                "'classify', 'score', 'embed'}. Defaulting to 'generate'."));
    if (model.quantMethod == QLatin1String("awq")) {
        if (quantization == QLatin1String("awq"))
            lines << LogScriptLine::vllm(
                at, kWarning, QStringLiteral("awq_marlin.py:113"),
                QStringLiteral("Detected that the model can run with awq_marlin, however you specified "
                               "quantization=awq explicitly, so forcing awq. Use quantization=awq_marlin for faster "
                               "inference"));
        else
            lines << LogScriptLine::vllm(at, kInfo, QStringLiteral("awq_marlin.py:109"),
                                         QStringLiteral("The model is convertible to awq_marlin during runtime. Using "
                                                        "awq_marlin kernel."));
    }
    if (torchDtype != checkpointDtype)
        lines << LogScriptLine::vllm(at, kWarning, QStringLiteral("config.py:2444"),
                                     QStringLiteral("Casting torch.") % checkpointDtype % QStringLiteral(" to torch.") %
                                         torchDtype % QLatin1Char('.'));
    if (args.worldSize() > 1 && args.distributedExecutorBackend.isEmpty())
        lines << LogScriptLine::vllm(at, kInfo, QStringLiteral("config.py:1382"),
                                     QStringLiteral("Defaulting to use ") %
                                         (script.usesRay() ? QStringLiteral("ray") : QStringLiteral("mp")) %
                                         QStringLiteral(" for distributed inference"));
    if (args.pipelineParallel > 1)
        lines << LogScriptLine::vllm(at, kWarning, QStringLiteral("config.py:669"),
                                     QStringLiteral("Async output processing can not be enabled with pipeline "
                                                    "parallel"));
    if (!model.isMla() && !args.enableChunkedPrefill.has_value() && script.maxModelLen() > 32000) {
        lines << LogScriptLine::vllm(
            at, kWarning, QStringLiteral("arg_utils.py:1187"),
            QStringLiteral("Chunked prefill is enabled by default for models with max_model_len > 32K. Currently, "
                           "chunked prefill might not work with some features or models. If you encounter any "
                           "issues, please disable chunked prefill by setting --enable-chunked-prefill=False."));
        lines << LogScriptLine::vllm(at, kInfo, QStringLiteral("config.py:1556"),
                                     QStringLiteral("Chunked prefill is enabled with max_num_batched_tokens=2048."));
    }
}

} // namespace

StartupLogScript::StartupLogScript(const VllmServerArgs &args, const StartupEnvironment &environment)
    : m_args(args)
    , m_env(environment)
    , m_model(ModelFacts::lookup(args.model))
{
    m_apiPid = 180 + int(environment.seed % 400);
    // 0.7.2's MQLLMEngineClient.is_unsupported_config: pipeline parallel runs the engine in-process.
    m_multiprocessingFrontend = args.pipelineParallel == 1;
    m_usesRay = args.distributedExecutorBackend == QLatin1String("ray") ||
                (args.distributedExecutorBackend.isEmpty() && args.worldSize() > 1 &&
                 (environment.rayClusterAttached || args.worldSize() > environment.localGpus));
    if (!m_model)
        return;
    m_maxModelLen = args.maxModelLen.value_or(m_model->maxPositionEmbeddings);
    m_effectiveQuantization = args.quantization;
    if (m_effectiveQuantization.isEmpty())
        m_effectiveQuantization =
            m_model->quantMethod == QLatin1String("awq") ? QStringLiteral("awq_marlin") : m_model->quantMethod;
    m_torchDtype = args.dtype;
    if (m_torchDtype == QLatin1String("auto"))
        m_torchDtype = m_model->checkpointDtype;
    else if (m_torchDtype == QLatin1String("half"))
        m_torchDtype = QStringLiteral("float16");
    else if (m_torchDtype == QLatin1String("float"))
        m_torchDtype = QStringLiteral("float32");
    m_memory = MemoryModel::compute(*m_model, args, m_maxModelLen,
                                    cudaTotalGiB(environment.gpuModel, environment.gpuMemoryBytes),
                                    environment.env.value(QStringLiteral("VLLM_PP_LAYER_PARTITION")));
}

ScriptPhase StartupLogScript::failWith(ScriptPhase phase, double at, const QStringList &frames,
                                       const QString &error) const
{
    appendRawBlock(phase.lines, at, VllmTracebacks::render(frames, error));
    phase.fails = true;
    phase.endsAt = at;
    phase.terminationMessage = error.section(QLatin1Char('\n'), 0, 0);
    return phase;
}

ScriptPhase StartupLogScript::configPhase() const
{
    ScriptPhase phase;
    LogScript &lines = phase.lines;
    lines << LogScriptLine::vllm(0, kInfo, QStringLiteral("api_server.py:840"),
                                 QStringLiteral("vLLM API server version 0.7.2"))
          << LogScriptLine::vllm(0, kInfo, QStringLiteral("api_server.py:841"),
                                 QStringLiteral("args: ") % m_args.namespaceRepr());
    const double at = 3.5; // fetching config.json and tokenizer files from the hub or the cache
    const bool hubId = m_args.model.contains(QLatin1Char('/')) && !m_args.model.startsWith(QLatin1Char('/')) &&
                       !m_args.model.startsWith(QLatin1Char('.'));
    const bool hasToken = !m_env.env.value(QStringLiteral("HF_TOKEN")).isEmpty() ||
                          !m_env.env.value(QStringLiteral("HUGGING_FACE_HUB_TOKEN")).isEmpty();
    const QStringList modelFrames =
        VllmTracebacks::createConfigFrames(QStringLiteral("get_config"), QStringLiteral("raise e"));
    if (!m_model) {
        return failWith(phase, at, modelFrames,
                        QStringLiteral("OSError: ") % m_args.model %
                            QStringLiteral(" is not a local folder and is not a valid model identifier listed on "
                                           "'https://huggingface.co/models'\nIf this is a private repository, make "
                                           "sure to pass a token having permission to this repo either by logging "
                                           "in with `huggingface-cli login` or by passing `token=<your_token>`"));
    }
    if (m_model->gated && hubId && !hasToken) {
        return failWith(phase, at, modelFrames,
                        QStringLiteral("OSError: You are trying to access a gated repo.\nMake sure to have access to "
                                       "it at https://huggingface.co/") %
                            m_args.model %
                            QStringLiteral(".\n401 Client Error. (Request ID: Root=1-67b21f3a-5c1e0d2f4a6b7c8d9e0f1a2b)"
                                           "\n\nCannot access gated repo for url https://huggingface.co/") %
                            m_args.model % QStringLiteral("/resolve/main/config.json.\nAccess to model ") %
                            m_args.model %
                            QStringLiteral(" is restricted. You must have access to it and be authenticated to "
                                           "access it. Please log in."));
    }
    if (m_model->needsTrustRemoteCode && !m_args.trustRemoteCode) {
        return failWith(phase, at, modelFrames,
                        QStringLiteral("ValueError: Loading ") % m_args.model %
                            QStringLiteral(" requires you to execute the configuration file in that repo on your "
                                           "local machine. Make sure you have read the code there to avoid malicious "
                                           "use, then set the option `trust_remote_code=True` to remove this error."));
    }
    const bool allowLong = m_env.env.value(QStringLiteral("VLLM_ALLOW_LONG_MAX_MODEL_LEN")) == QLatin1String("1");
    if (m_maxModelLen > m_model->maxPositionEmbeddings) {
        const QString text =
            QStringLiteral("User-specified max_model_len (") % QString::number(m_maxModelLen) %
            QStringLiteral(") is greater than the derived max_model_len (max_position_embeddings=") %
            QString::number(m_model->maxPositionEmbeddings) %
            QStringLiteral(" or model_max_length=None in model's config.json). This may lead to incorrect model "
                           "outputs or CUDA errors.");
        if (!allowLong)
            return failWith(phase, at,
                            VllmTracebacks::createConfigFrames(QStringLiteral("_get_and_verify_max_len"),
                                                               QStringLiteral("raise ValueError(")),
                            QStringLiteral("ValueError: ") % text %
                                QStringLiteral(" To allow overriding this maximum, set the env var "
                                               "VLLM_ALLOW_LONG_MAX_MODEL_LEN=1"));
        lines << LogScriptLine::vllm(at, kWarning, QStringLiteral("config.py:2539"),
                                     text % QStringLiteral(" Make sure the value is correct and within the model "
                                                           "context size."));
    }
    const QString checkpointQuant = m_model->quantMethod;
    if (!m_args.quantization.isEmpty() && !checkpointQuant.isEmpty() &&
        !m_args.quantization.startsWith(checkpointQuant)) {
        return failWith(phase, at,
                        VllmTracebacks::createConfigFrames(QStringLiteral("_verify_quantization"),
                                                           QStringLiteral("raise ValueError(")),
                        QStringLiteral("ValueError: Quantization method specified in the model config (") %
                            checkpointQuant %
                            QStringLiteral(") does not match the quantization method specified in the `quantization` "
                                           "argument (") %
                            m_args.quantization % QStringLiteral(")."));
    }
    if (m_effectiveQuantization == QLatin1String("awq") && m_torchDtype == QLatin1String("bfloat16")) {
        return failWith(phase, at,
                        VllmTracebacks::createConfigFrames(QStringLiteral("_verify_quantization"),
                                                           QStringLiteral("raise ValueError(")),
                        QStringLiteral("ValueError: torch.bfloat16 is not supported for quantization method awq. "
                                       "Supported dtypes: [torch.float16]"));
    }
    if (m_args.gpuMemoryUtilization > 1.0) {
        return failWith(
            phase, at,
            VllmTracebacks::createConfigFrames(QStringLiteral("_verify_args"), QStringLiteral("raise ValueError(")),
            QStringLiteral("ValueError: GPU memory utilization must be less than 1.0. Got ") %
                QString::number(m_args.gpuMemoryUtilization) % QLatin1Char('.'));
    }
    if (m_model->numHeads % std::max(1, m_args.tensorParallel) != 0) {
        return failWith(phase, at,
                        VllmTracebacks::createConfigFrames(QStringLiteral("verify_with_parallel_config"),
                                                           QStringLiteral("raise ValueError(")),
                        QStringLiteral("ValueError: Total number of attention heads (") %
                            QString::number(m_model->numHeads) %
                            QStringLiteral(") must be divisible by tensor parallel size (") %
                            QString::number(m_args.tensorParallel) % QStringLiteral(")."));
    }
    appendConfigLines(lines, at, *this, m_effectiveQuantization, m_model->checkpointDtype, m_torchDtype);
    double t = at + 0.4;
    if (m_multiprocessingFrontend) {
        lines << LogScriptLine::vllm(t, kInfo, QStringLiteral("api_server.py:206"),
                                     QStringLiteral("Started engine process with PID ") %
                                         QString::number(m_apiPid + 67));
        t += 4.0; // the spawned engine imports torch and vLLM again
        appendConfigLines(lines, t, *this, m_effectiveQuantization, m_model->checkpointDtype, m_torchDtype);
    }
    t += 0.2;
    lines << LogScriptLine::vllm(t, kInfo, QStringLiteral("llm_engine.py:234"), engineConfigLine());
    if (m_usesRay) {
        t += 1.5;
        if (m_env.rayClusterAttached) {
            lines << LogScriptLine::ray(t, kInfo, QStringLiteral("worker.py:1654"),
                                        QStringLiteral("Connecting to existing Ray cluster at address: ") %
                                            m_env.rayHeadIp % QStringLiteral(":6379..."));
            t += 0.6;
            lines << LogScriptLine::ray(t, kInfo, QStringLiteral("worker.py:1832"),
                                        QStringLiteral("Connected to Ray cluster. View the dashboard at http://") %
                                            m_env.rayHeadIp % QStringLiteral(":8265 "));
        } else {
            t += 2.5;
            lines << LogScriptLine::ray(t, kInfo, QStringLiteral("worker.py:1841"),
                                        QStringLiteral("Started a local Ray instance."));
        }
        t += 0.3;
        lines << LogScriptLine::vllm(t, kInfo, QStringLiteral("ray_utils.py:178"),
                                     QStringLiteral("No current placement group found. Creating a new placement "
                                                    "group."));
    }
    phase.endsAt = t;
    return phase;
}

QString StartupLogScript::engineConfigLine() const
{
    const QString tokenizer = m_args.tokenizer.isEmpty() ? m_args.model : m_args.tokenizer;
    const bool chunked = !m_model->isMla() && m_args.enableChunkedPrefill.value_or(m_maxModelLen > 32000);
    const QString quant = m_effectiveQuantization.isEmpty() ? QStringLiteral("None") : m_effectiveQuantization;
    auto yesNo = [](bool b) { return b ? QStringLiteral("True") : QStringLiteral("False"); };
    return QStringLiteral("Initializing a V0 LLM engine (v0.7.2) with config: model=") % pyRepr(m_args.model) %
           QStringLiteral(", speculative_config=None, tokenizer=") % pyRepr(tokenizer) %
           QStringLiteral(", skip_tokenizer_init=False, tokenizer_mode=auto, revision=None, "
                          "override_neuron_config=None, tokenizer_revision=None, trust_remote_code=") %
           yesNo(m_args.trustRemoteCode) % QStringLiteral(", dtype=torch.") % m_torchDtype %
           QStringLiteral(", max_seq_len=") % QString::number(m_maxModelLen) %
           QStringLiteral(", download_dir=None, load_format=LoadFormat.AUTO, tensor_parallel_size=") %
           QString::number(m_args.tensorParallel) % QStringLiteral(", pipeline_parallel_size=") %
           QString::number(m_args.pipelineParallel) %
           QStringLiteral(", disable_custom_all_reduce=False, quantization=") % quant %
           QStringLiteral(", enforce_eager=") % yesNo(m_args.enforceEager) % QStringLiteral(", kv_cache_dtype=") %
           m_args.kvCacheDtype %
           QStringLiteral(",  device_config=cuda, decoding_config=DecodingConfig(guided_decoding_backend='xgrammar'), "
                          "observability_config=ObservabilityConfig(otlp_traces_endpoint=None, "
                          "collect_model_forward_time=False, collect_model_execute_time=False), seed=0, "
                          "served_model_name=") %
           m_args.servedModelName() %
           QStringLiteral(", num_scheduler_steps=1, multi_step_stream_outputs=True, enable_prefix_caching=False, "
                          "chunked_prefill_enabled=") %
           yesNo(chunked) % QStringLiteral(", use_async_output_proc=") %
           yesNo(m_args.pipelineParallel == 1 && !m_args.enforceEager) %
           QStringLiteral(", disable_mm_preprocessor_cache=False, mm_processor_kwargs=None, pooler_config=None, "
                          "compilation_config={\"splitting_ops\":[],\"compile_sizes\":[],"
                          "\"cudagraph_capture_sizes\":[],\"max_capture_size\":0}, use_cached_outputs=") %
           yesNo(m_multiprocessingFrontend) % QStringLiteral(", ");
}

QString StartupLogScript::placementSpecs() const
{
    QStringList bundles;
    for (int i = 0; i < m_args.worldSize(); ++i)
        bundles << (i == 0 ? QStringLiteral("{'GPU': 1.0, 'node:") % m_env.driverIp % QStringLiteral("': 0.001}")
                           : QStringLiteral("{'GPU': 1.0}"));
    return QLatin1Char('[') % bundles.join(QStringLiteral(", ")) % QLatin1Char(']');
}

bool StartupLogScript::placementSatisfied(const QList<int> &nodeGpus) const
{
    int total = 0;
    for (int gpus : nodeGpus)
        total += gpus;
    return !nodeGpus.isEmpty() && nodeGpus.first() >= 1 && total >= m_args.worldSize();
}

LogScriptLine StartupLogScript::placementWaitLine(double at, int waitedSeconds) const
{
    return LogScriptLine::vllm(at, kInfo, QStringLiteral("ray_utils.py:212"),
                               QStringLiteral("Waiting for creating a placement group of specs for ") %
                                   QString::number(waitedSeconds) % QStringLiteral(" seconds. specs=") %
                                   placementSpecs() %
                                   QStringLiteral(". Check `ray status` to see if you have enough resources, and make "
                                                  "sure the IP addresses used by ray cluster are the same as "
                                                  "VLLM_HOST_IP environment variable specified in each node if you "
                                                  "are running on a multi-node."));
}

ScriptPhase StartupLogScript::placementTimeout(double at) const
{
    ScriptPhase phase;
    QStringList frames = VllmTracebacks::engineInitFrames(QStringLiteral("load_model"), QString(), QString());
    frames = frames.mid(0, frames.size() - 3);
    const QString utils = VllmTracebacks::sitePackages() % QStringLiteral("/vllm/executor/ray_utils.py");
    frames << QStringLiteral("  File \"") % utils %
                  QStringLiteral("\", line 318, in initialize_ray_cluster\n    _wait_until_pg_ready(current_placement_"
                                 "group)")
           << QStringLiteral("  File \"") % utils %
                  QStringLiteral("\", line 229, in _wait_until_pg_ready\n    raise ValueError(");
    return failWith(phase, at, frames,
                    QStringLiteral("ValueError: Cannot provide a placement group of placement_group_specs=") %
                        placementSpecs() % QStringLiteral(" within ") % QString::number(kPlacementTimeoutSeconds) %
                        QStringLiteral(" seconds. See `ray status` to make sure the cluster has enough resources."));
}

QString StartupLogScript::nodeIp(int node) const
{
    if (node == 0)
        return m_env.driverIp;
    return QStringLiteral("10.244.") % QString::number((m_env.seed >> 8) % 200 + node * 7 % 50) % QLatin1Char('.') %
           QString::number((m_env.seed + quint32(node) * 37) % 250 + 2);
}

QString StartupLogScript::workerPrefix(int rank, const QList<int> &nodeGpus) const
{
    int node = 0;
    int first = 0;
    while (node < nodeGpus.size() - 1 && rank >= first + nodeGpus.at(node)) {
        first += nodeGpus.at(node);
        ++node;
    }
    const int pid = 600 + int((m_env.seed + quint32(rank) * 131) % 2400);
    const QString actor = m_usesRay ? QStringLiteral("RayWorkerWrapper") : QStringLiteral("VllmWorkerProcess");
    if (node == 0)
        return QLatin1Char('(') % actor % QStringLiteral(" pid=") % QString::number(pid) % QStringLiteral(") ");
    return QLatin1Char('(') % actor % QStringLiteral(" pid=") % QString::number(pid) % QStringLiteral(", ip=") %
           nodeIp(node) % QStringLiteral(") ");
}

void StartupLogScript::appendPerWorker(LogScript &lines, double at, const QString &level, const QString &source,
                                       const QString &message, const QList<int> &nodeGpus, int stage) const
{
    const int world = m_args.worldSize();
    const int tp = m_args.tensorParallel;
    if (stage <= 0)
        lines << LogScriptLine::vllm(at, level, source, message);
    if (world <= 1)
        return;
    // Ray prints a worker's line once and folds identical ones into "[repeated Nx across cluster]".
    const int firstRank = stage <= 0 ? 1 : stage * tp;
    const int lastRank = stage < 0 ? world - 1 : std::min(world, (std::max(stage, 0) + 1) * tp) - 1;
    lines << LogScriptLine::vllm(at + 0.05, level, source, message, workerPrefix(firstRank, nodeGpus));
    if (lastRank > firstRank) {
        LogScriptLine folded = LogScriptLine::vllm(at + 0.1, level, source, message, workerPrefix(lastRank, nodeGpus));
        if (m_usesRay)
            folded.message += QStringLiteral(" [repeated ") % QString::number(lastRank - firstRank) %
                              QStringLiteral("x across cluster]");
        lines << folded;
    }
}

} // namespace ApoloDeploy::Sandbox
