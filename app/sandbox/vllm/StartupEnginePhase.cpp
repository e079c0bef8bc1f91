// SPDX-License-Identifier: GPL-3.0-or-later
// The engine half of StartupLogScript: from worker start-up to uvicorn, or to the fatal error.
#include "sandbox/vllm/StartupLogScript.h"
#include "sandbox/vllm/VllmTracebacks.h"

#include <algorithm>
#include <cmath>

namespace ApoloDeploy::Sandbox {

namespace {

const QString kInfo = QStringLiteral("INFO");
const QString kWarning = QStringLiteral("WARNING");

QString clock(double seconds)
{
    const int total = int(std::max(0.0, seconds));
    return QStringLiteral("%1:%2").arg(total / 60, 2, 10, QLatin1Char('0')).arg(total % 60, 2, 10, QLatin1Char('0'));
}

// tqdm's bar as vLLM configures it for checkpoint shards (weight_utils._BAR_FORMAT).
QString shardProgress(int done, int total, double elapsed, double perShard)
{
    const int percent = int(std::floor(100.0 * done / std::max(1, total)));
    QString rate = QStringLiteral("?it/s");
    QString remaining = QStringLiteral("?");
    if (done > 0) {
        rate = perShard > 1.0 ? QStringLiteral("%1s/it").arg(perShard, 5, 'f', 2)
                              : QStringLiteral("%1it/s").arg(1.0 / perShard, 5, 'f', 2);
        remaining = clock((total - done) * perShard);
    }
    return QStringLiteral("Loading safetensors checkpoint shards: %1% Completed | %2/%3 [%4<%5, %6]")
        .arg(percent, 3)
        .arg(done)
        .arg(total)
        .arg(clock(elapsed), remaining, rate);
}

QStringList uvicornRoutes()
{
    return {QStringLiteral("/openapi.json, Methods: HEAD, GET"),
            QStringLiteral("/docs, Methods: HEAD, GET"),
            QStringLiteral("/docs/oauth2-redirect, Methods: HEAD, GET"),
            QStringLiteral("/redoc, Methods: HEAD, GET"),
            QStringLiteral("/health, Methods: GET"),
            QStringLiteral("/ping, Methods: POST, GET"),
            QStringLiteral("/tokenize, Methods: POST"),
            QStringLiteral("/detokenize, Methods: POST"),
            QStringLiteral("/v1/models, Methods: GET"),
            QStringLiteral("/version, Methods: GET"),
            QStringLiteral("/v1/chat/completions, Methods: POST"),
            QStringLiteral("/v1/completions, Methods: POST"),
            QStringLiteral("/v1/embeddings, Methods: POST"),
            QStringLiteral("/pooling, Methods: POST"),
            QStringLiteral("/score, Methods: POST"),
            QStringLiteral("/v1/score, Methods: POST"),
            QStringLiteral("/rerank, Methods: POST"),
            QStringLiteral("/v1/rerank, Methods: POST"),
            QStringLiteral("/v2/rerank, Methods: POST"),
            QStringLiteral("/invocations, Methods: POST")};
}

} // namespace

ScriptPhase StartupLogScript::enginePhase(double at, const QList<int> &nodeGpus) const
{
    ScriptPhase phase;
    LogScript &lines = phase.lines;
    const ModelFacts &model = *m_model;
    const int tp = m_args.tensorParallel;
    const int world = m_args.worldSize();
    const QString device = cudaDeviceName(m_env.gpuModel);
    double t = at + 6.0; // Ray actors start and import vLLM

    // A failure inside the engine: the worker's own error when it is remote, then the driver traceback.
    auto fail = [&](double when, int stage, const QString &method, const QStringList &frames, const QString &error) {
        if (stage > 0 && m_usesRay) {
            const QString prefix = workerPrefix(stage * tp, nodeGpus);
            lines << LogScriptLine::vllm(when, QStringLiteral("ERROR"), QStringLiteral("worker_base.py:574"),
                                         QStringLiteral("Error executing method '") % method %
                                             QStringLiteral("'. This might cause deadlock in distributed execution."),
                                         prefix);
        }
        QString text = VllmTracebacks::render(frames, error);
        if (m_multiprocessingFrontend) {
            text = QStringLiteral("Process SpawnProcess-1:\n") % text % QLatin1Char('\n') %
                   VllmTracebacks::render(VllmTracebacks::apiServerFrames(),
                                          QStringLiteral("RuntimeError: Engine process failed to start. See stack "
                                                         "trace for the root cause."));
        }
        appendRawBlock(lines, when, text);
        phase.fails = true;
        phase.endsAt = when;
        phase.terminationMessage = text.section(QLatin1Char('\n'), -1).trimmed();
        return phase;
    };

    appendPerWorker(lines, t, kInfo, model.isMla() ? QStringLiteral("cuda.py:161") : QStringLiteral("cuda.py:230"),
                    model.isMla() ? QStringLiteral("Using Triton MLA backend.")
                                  : QStringLiteral("Using Flash Attention backend."),
                    nodeGpus);
    if (world > 1) {
        t += 2.0;
        appendPerWorker(lines, t, kInfo, QStringLiteral("utils.py:950"),
                        QStringLiteral("Found nccl from library libnccl.so.2"), nodeGpus);
        appendPerWorker(lines, t + 0.01, kInfo, QStringLiteral("pynccl.py:69"),
                        QStringLiteral("vLLM is using nccl==2.21.5"), nodeGpus);
        if (tp > 1) {
            QStringList ids;
            for (int i = 0; i < tp; ++i)
                ids << QString::number(i);
            t += 1.5;
            appendPerWorker(
                lines, t, kInfo, QStringLiteral("custom_all_reduce_utils.py:244"),
                QStringLiteral("reading GPU P2P access cache from /root/.cache/vllm/gpu_p2p_access_cache_for_") %
                    ids.join(QLatin1Char(',')) % QStringLiteral(".json"),
                nodeGpus);
            QStringList readers;
            for (int i = 1; i < tp; ++i)
                readers << QString::number(i);
            lines << LogScriptLine::vllm(t + 0.3, kInfo, QStringLiteral("shm_broadcast.py:258"),
                                         QStringLiteral("vLLM message queue communication handle: "
                                                        "Handle(connect_ip='127.0.0.1', local_reader_ranks=[") %
                                             readers.join(QStringLiteral(", ")) % QStringLiteral("], buffer_handle=(") %
                                             QString::number(tp - 1) % QStringLiteral(", 4194304, 6, 'psm_") %
                                             QString::number(m_env.seed, 16).rightJustified(8, QLatin1Char('0')) %
                                             QStringLiteral("'), local_subscribe_port=") %
                                             QString::number(40000 + m_env.seed % 20000) %
                                             QStringLiteral(", remote_subscribe_port=None)"));
        }
    }
    t += 1.0;
    appendPerWorker(lines, t, kInfo, QStringLiteral("model_runner.py:1110"),
                    QStringLiteral("Starting to load model ") % m_args.model % QStringLiteral("..."), nodeGpus);

    // Every stage reads all shards at ~2 GiB/s; global rank 0 draws the bar.
    const int shards = std::max(1, model.shardCount);
    const double perShard = std::max(0.05, model.loadedWeightGiB / shards / 2.0);
    const int oomStage = m_memory.stageOutOfMemoryAtLoad();
    int lastShard = shards;
    if (oomStage >= 0) {
        const double fits = (m_memory.totalGpuGiB - 0.5) / m_memory.stages.at(oomStage).weightsGiB;
        lastShard = std::clamp(int(shards * fits), 1, shards - 1);
    }
    t += 1.0;
    for (int done = 0; done <= lastShard; ++done)
        lines << LogScriptLine::raw(t + done * perShard, shardProgress(done, shards, done * perShard, perShard));
    t += lastShard * perShard + 0.2;
    if (oomStage >= 0) {
        const double total = m_memory.totalGpuGiB;
        return fail(t, oomStage, QStringLiteral("load_model"),
                    VllmTracebacks::engineInitFrames(QStringLiteral("load_model"), QStringLiteral("load_model"),
                                                     QStringLiteral("self.model_runner.load_model()")),
                    VllmTracebacks::cudaOutOfMemory(1.75, 0, total, 0.31, total - 0.31));
    }
    for (int s = 0; s < m_memory.stages.size(); ++s)
        appendPerWorker(lines, t, kInfo, QStringLiteral("model_runner.py:1115"),
                        QStringLiteral("Loading model weights took ") %
                            QString::number(m_memory.stages.at(s).weightsGiB, 'f', 4) % QStringLiteral(" GB"),
                        nodeGpus, s);
    if (model.isMoe()) {
        const int intermediate = (model.isMla() ? 2048 : 14336) / std::max(1, tp);
        QString file = QStringLiteral("E=") % QString::number(model.numExperts) % QStringLiteral(",N=") %
                       QString::number(intermediate) % QStringLiteral(",device_name=") %
                       QString(device).replace(QLatin1Char(' '), QLatin1Char('_'));
        if (model.quantMethod == QLatin1String("fp8"))
            file += QStringLiteral(",dtype=fp8_w8a8,block_shape=[128,128]");
        appendPerWorker(lines, t + 2.0, kWarning, QStringLiteral("fused_moe.py:806"),
                        QStringLiteral("Using default MoE config. Performance might be sub-optimal! Config file not "
                                       "found at ") %
                            VllmTracebacks::sitePackages() %
                            QStringLiteral("/vllm/model_executor/layers/fused_moe/configs/") % file %
                            QStringLiteral(".json"),
                        nodeGpus);
    }

    const double profiling = 6.0 + 0.02 * model.numLayers / std::max(1, m_args.pipelineParallel);
    t += 2.0 + profiling;
    for (int s = 0; s < m_memory.stages.size(); ++s) {
        const StageMemory &stage = m_memory.stages.at(s);
        const QString text =
            QStringLiteral("Memory profiling takes %1 seconds\n").arg(profiling, 0, 'f', 2) %
            QStringLiteral("the current vLLM instance can use total_gpu_memory (%1GiB) x gpu_memory_utilization "
                           "(%2) = %3GiB\n")
                .arg(m_memory.totalGpuGiB, 0, 'f', 2)
                .arg(m_args.gpuMemoryUtilization, 0, 'f', 2)
                .arg(m_memory.budgetGiB, 0, 'f', 2) %
            QStringLiteral("model weights take %1GiB; non_torch_memory takes %2GiB; PyTorch activation peak memory "
                           "takes %3GiB; the rest of the memory reserved for KV Cache is %4GiB.")
                .arg(stage.weightsGiB, 0, 'f', 2)
                .arg(stage.nonTorchGiB, 0, 'f', 2)
                .arg(stage.activationPeakGiB, 0, 'f', 2)
                .arg(stage.kvCacheGiB, 0, 'f', 2);
        appendPerWorker(lines, t, kInfo, QStringLiteral("worker.py:267"), text, nodeGpus, s);
    }
    t += 0.5;
    lines << LogScriptLine::vllm(
                 t, kInfo, QStringLiteral("executor_base.py:110"),
                 QStringLiteral("# CUDA blocks: %1, # CPU blocks: %2").arg(m_memory.gpuBlocks).arg(m_memory.cpuBlocks))
          << LogScriptLine::vllm(t, kInfo, QStringLiteral("executor_base.py:115"),
                                 QStringLiteral("Maximum concurrency for %1 tokens per request: %2x")
                                     .arg(m_maxModelLen)
                                     .arg(m_memory.maxConcurrency(), 0, 'f', 2));
    t += 0.3;
    int weakestStage = 0;
    for (int s = 1; s < m_memory.stages.size(); ++s) {
        if (m_memory.stages.at(s).gpuBlocks < m_memory.stages.at(weakestStage).gpuBlocks)
            weakestStage = s;
    }
    const QStringList cacheFrames = VllmTracebacks::engineInitFrames(QStringLiteral("initialize_cache"),
                                                                     QStringLiteral("raise_if_cache_size_invalid"),
                                                                     QStringLiteral("raise ValueError("));
    if (m_memory.gpuBlocks <= 0)
        return fail(t, weakestStage, QStringLiteral("initialize_cache"), cacheFrames,
                    QStringLiteral("ValueError: No available memory for the cache blocks. Try increasing "
                                   "`gpu_memory_utilization` when initializing the engine."));
    if (m_memory.kvTokenCapacity() < m_maxModelLen)
        return fail(t, weakestStage, QStringLiteral("initialize_cache"), cacheFrames,
                    QStringLiteral("ValueError: The model's max seq len (%1) is larger than the maximum number of "
                                   "tokens that can be stored in KV cache (%2). Try increasing "
                                   "`gpu_memory_utilization` or decreasing `max_model_len` when initializing the "
                                   "engine.")
                        .arg(m_maxModelLen)
                        .arg(m_memory.kvTokenCapacity()));

    double graphSeconds = 0;
    if (!m_args.enforceEager) {
        appendPerWorker(lines, t, kInfo, QStringLiteral("model_runner.py:1434"),
                        QStringLiteral("Capturing cudagraphs for decoding. This may lead to unexpected consequences "
                                       "if the model is not static. To run the model in eager mode, set "
                                       "'enforce_eager=True' or use '--enforce-eager' in the CLI. If out-of-memory "
                                       "error occurs during cudagraph capture, consider decreasing "
                                       "`gpu_memory_utilization` or switching to eager mode. You can also reduce the "
                                       "`max_num_seqs` as needed to decrease memory usage."),
                        nodeGpus);
        const int shapes = 35;
        const double perShape = 0.3 + 0.01 * model.numLayers / std::max(1, m_args.pipelineParallel);
        const int graphOom = m_memory.stageOutOfMemoryAtGraphCapture();
        const int lastShape = graphOom >= 0 ? shapes / 2 : shapes;
        for (int i = 0; i <= lastShape; ++i) {
            const int filled = i * 10 / shapes;
            LogScriptLine bar = LogScriptLine::raw(
                t + i * perShape, QStringLiteral("Capturing CUDA graph shapes: %1%|%2%3| %4/%5 [%6<%7, %8it/s]")
                                      .arg(i * 100 / shapes, 3)
                                      .arg(QString(filled, QChar(0x2588)), QString(10 - filled, QLatin1Char(' ')))
                                      .arg(i)
                                      .arg(shapes)
                                      .arg(clock(i * perShape), clock((shapes - i) * perShape))
                                      .arg(1.0 / perShape, 0, 'f', 2));
            bar.carriageReturn = i < lastShape;
            lines << bar;
        }
        graphSeconds = lastShape * perShape;
        t += graphSeconds + 0.2;
        if (graphOom >= 0) {
            const double total = m_memory.totalGpuGiB;
            return fail(t, graphOom, QStringLiteral("initialize_cache"),
                        VllmTracebacks::engineInitFrames(QStringLiteral("initialize_cache"),
                                                         QStringLiteral("capture_model"),
                                                         QStringLiteral("graph_runner.capture(**capture_inputs)")),
                        VllmTracebacks::cudaOutOfMemory(0.5, 0, total, 0.12, total - 0.12));
        }
        for (int s = 0; s < m_memory.stages.size(); ++s)
            appendPerWorker(lines, t, kInfo, QStringLiteral("model_runner.py:1562"),
                            QStringLiteral("Graph capturing finished in %1 secs, took %2 GiB")
                                .arg(int(graphSeconds))
                                .arg(m_memory.stages.at(s).cudaGraphGiB, 0, 'f', 2),
                            nodeGpus, s);
    }
    t += 0.2;
    lines << LogScriptLine::vllm(t, kInfo, QStringLiteral("llm_engine.py:431"),
                                 QStringLiteral("init engine (profile, create kv cache, warmup model) took %1 seconds")
                                     .arg(profiling + graphSeconds + 0.8, 0, 'f', 2));
    t += 0.8;
    lines << LogScriptLine::vllm(t, kInfo, QStringLiteral("api_server.py:756"),
                                 QStringLiteral("Using supplied chat template:\nNone"))
          << LogScriptLine::vllm(t, kInfo, QStringLiteral("launcher.py:21"), QStringLiteral("Available routes are:"));
    for (const QString &route : uvicornRoutes())
        lines << LogScriptLine::vllm(t, kInfo, QStringLiteral("launcher.py:29"), QStringLiteral("Route: ") % route);
    const QString host = m_args.host.isEmpty() ? QStringLiteral("0.0.0.0") : m_args.host;
    lines << LogScriptLine::raw(t + 0.1, QStringLiteral("INFO:     Started server process [%1]").arg(m_apiPid))
          << LogScriptLine::raw(t + 0.1, QStringLiteral("INFO:     Waiting for application startup."))
          << LogScriptLine::raw(t + 0.2, QStringLiteral("INFO:     Application startup complete."))
          << LogScriptLine::raw(t + 0.2, QStringLiteral("INFO:     Uvicorn running on http://%1:%2 (Press CTRL+C to "
                                                        "quit)")
                                             .arg(host)
                                             .arg(m_args.port));
    phase.endsAt = t + 0.2;
    return phase;
}

} // namespace ApoloDeploy::Sandbox
