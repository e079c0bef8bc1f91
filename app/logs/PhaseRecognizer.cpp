// SPDX-License-Identifier: GPL-3.0-or-later
#include "logs/PhaseRecognizer.h"

#include "logs/NeedleSet.h"
#include "logs/PythonValues.h"

#include <QCoreApplication>
#include <QList>
#include <QRegularExpression>

#include <charconv>

namespace ApoloDeploy::Logs {

namespace {

// One startup pattern: the needle is a literal that must occur in the message before the
// (much slower) regex runs; keys name the capture groups 1..n in the values map.
struct PhaseRule
{
    const char *needle;
    Phase phase;
    const char *pattern; // empty: the needle alone identifies the phase
    QList<const char *> keys;
};

const QList<PhaseRule> &rules()
{
    using P = Phase;
    static const QList<PhaseRule> table = {
        // Ray bring-up (R1-R10)
        {"Local node IP: ", P::RayStarted, R"(^Local node IP: ([\d.]+))", {"nodeIp"}},
        {"Ray runtime started.", P::RayStarted, "", {}},
        {"ray start --address='", P::RayStarted, R"(ray start --address='([^']+)')", {"headAddress"}},
        {"block forever until terminated", P::RayStarted, "", {}},
        {" GPU", P::RayStarted, R"(^\s*(\d+(?:\.\d+)?)/(\d+(?:\.\d+)?) GPU)", {"gpusUsed", "gpusTotal"}},
        {"Connecting to existing Ray cluster at address: ",
         P::RayConnected,
         R"(Connecting to existing Ray cluster at address: ([\w.:\[\]-]+?)\.*$)",
         {"rayAddress"}},
        {"Connected to Ray cluster", P::RayConnected, "", {}},
        // vLLM API server and engine (V1-V6, V4.4 extras)
        {"vLLM API server version ", P::ApiServerStarting, R"(vLLM API server version (\S+))", {"version"}},
        {"Started engine process with PID ",
         P::ApiServerStarting,
         R"(Started engine process with PID (\d+))",
         {"enginePid"}},
        {"for distributed inference",
         P::EngineConfig,
         R"(Defaulting to use (\w+) for distributed inference)",
         {"distributedBackend"}},
        {"Using max model len ", P::EngineConfig, R"(Using max model len (\d+))", {"maxModelLen"}},
        {"Chunked prefill is enabled with max_num_batched_tokens=",
         P::EngineConfig,
         R"(max_num_batched_tokens=(\d+))",
         {"maxNumBatchedTokens"}},
        {"Waiting for creating a placement group of specs for ",
         P::WaitingForPlacement,
         R"(Waiting for creating a placement group of specs for (\d+) seconds)",
         {"waitedSeconds"}},
        {" backend.", P::DistributedInit, R"(^Using (.+?) backend\.$)", {"attentionBackend"}},
        {"vLLM is using nccl==", P::DistributedInit, R"(vLLM is using nccl==([\d.]+))", {"ncclVersion"}},
        {" in world size ",
         P::DistributedInit,
         R"(rank (\d+) in world size (\d+) is assigned as DP rank (\d+), PP rank (\d+), TP rank (\d+))",
         {"rank", "worldSize", "dpRank", "ppRank", "tpRank"}},
        // Weights (V12-V14)
        {"Starting to load model ", P::LoadingWeights, R"(Starting to load model (.+?)\.\.\.$)", {"model"}},
        {" checkpoint shards:",
         P::LoadingWeights,
         R"(Loading \w+ checkpoint shards:\s+(\d+)% Completed \| (\d+)/(\d+) \[([\d:]+)<([\d:?]+),\s*([\d.?]+\s*(?:it/s|s/it))\])",
         {"percent", "shardsDone", "shardsTotal", "elapsed", "eta", "rate"}},
        {"Loading weights took ", P::WeightsLoaded, R"(Loading weights took ([\d.]+) seconds)", {"loadSeconds"}},
        {" took ",
         P::WeightsLoaded,
         R"((?:Loading model weights|Model loading) took ([\d.]+) (?:GB|GiB)(?: memory)?(?: and ([\d.]+) seconds)?)",
         {"weightsGiB", "loadSeconds"}},
        // Memory profile and KV cache (V16-V18, V4.4)
        {"Memory profiling takes ",
         P::MemoryProfiling,
         R"(Memory profiling takes ([\d.]+) seconds)",
         {"profilingSeconds"}},
        {"x gpu_memory_utilization (",
         P::MemoryProfiling,
         R"(total_gpu_memory \(([\d.]+)GiB\) x gpu_memory_utilization \(([\d.]+)\) = ([\d.]+)GiB)",
         {"totalGpuMemoryGiB", "gpuMemoryUtilization", "budgetGiB"}},
        {"model weights take ",
         P::MemoryProfiling,
         R"(model weights take ([\d.]+)GiB; non_torch_memory takes ([\d.]+)GiB; PyTorch activation peak memory takes ([\d.]+)GiB; the rest of the memory reserved for KV Cache is (-?[\d.]+)GiB)",
         {"weightsGiB", "nonTorchGiB", "activationPeakGiB", "kvCacheGiB"}},
        {"Memory profiling results: ",
         P::MemoryProfiling,
         R"(total_gpu_memory=([\d.]+)GiB.*?kv_cache_size=(-?[\d.]+)GiB)",
         {"totalGpuMemoryGiB", "kvCacheGiB"}},
        {"Estimated CUDA graph memory: ",
         P::MemoryProfiling,
         R"(Estimated CUDA graph memory: ([\d.]+) GiB)",
         {"cudaGraphEstimateGiB"}},
        {"Available KV cache memory: ",
         P::KvCacheAllocated,
         R"(Available KV cache memory: ([\d.]+) GiB)",
         {"kvCacheGiB"}},
        {" blocks: ",
         P::KvCacheAllocated,
         R"(# (?:GPU|CUDA|cuda) blocks: (\d+), # CPU blocks: (\d+))",
         {"gpuBlocks", "cpuBlocks"}},
        {"GPU KV cache size: ", P::KvCacheAllocated, R"(GPU KV cache size: ([\d,]+) tokens)", {"kvCacheTokens"}},
        {"Maximum concurrency for ",
         P::KvCacheAllocated,
         R"(Maximum concurrency for ([\d,]+) tokens per request: ([\d.]+)x)",
         {"tokensPerRequest", "maxConcurrency"}},
        // CUDA graphs (V19, V4.4)
        {"Capturing cudagraphs for decoding", P::CudaGraphs, "", {}},
        {"Capturing CUDA graph shapes:",
         P::CudaGraphs,
         R"(Capturing CUDA graph shapes:\s+(\d+)%.*?(\d+)/(\d+))",
         {"percent", "graphsDone", "graphsTotal"}},
        {"Capturing CUDA graphs (",
         P::CudaGraphs,
         R"(Capturing CUDA graphs \(([^)]+)\):\s+(\d+)%)",
         {"graphMode", "percent"}},
        {"Graph capturing finished in ",
         P::CudaGraphs,
         R"(Graph capturing finished in (\d+) secs?, took (-?[\d.]+) GiB)",
         {"graphSeconds", "graphGiB"}},
        {"Cudagraph is disabled under eager mode", P::CudaGraphs, "", {}},
        // Ready (V20-V23)
        {"init engine (profile, create kv cache, warmup model) took ",
         P::EngineReady,
         R"(warmup model\) took ([\d.]+) seconds)",
         {"engineInitSeconds"}},
        {"Starting vLLM ", P::Routes, R"(Starting vLLM (?:API )?server(?: \d+)? on (https?://\S+))", {"url"}},
        {"Available routes are:", P::Routes, "", {}},
        {"Route: ", P::Routes, R"(^Route: (\S+), Methods: (.+)$)", {"route", "methods"}},
        {"Started server process [", P::ServerStarting, R"(Started server process \[(\d+)\])", {"serverPid"}},
        {"Waiting for application startup.", P::ServerStarting, "", {}},
        {"Application startup complete.", P::Ready, "", {}},
        {"Uvicorn running on ", P::Ready, R"(Uvicorn running on (\S+) \(Press CTRL\+C to quit\))", {"url"}},
    };
    return table;
}

// The rules' needles, then the three that recognizePhase() checks before the table.
enum ExtraNeedle : qsizetype { EngineConfigNeedle, NamespaceArgsNeedle, NonDefaultArgsNeedle, extraNeedleCount };
const QLatin1StringView argsMarkers[] = {QLatin1StringView("args: Namespace("),
                                         QLatin1StringView("non-default args: {")};

struct CompiledRules
{
    NeedleSet needles;
    qsizetype extrasAt; // id of the first extra needle
    QList<QRegularExpression> regexes;
};

const CompiledRules &compiled()
{
    static const CompiledRules rulesCompiled = [] {
        QByteArrayList needles;
        QList<QRegularExpression> regexes;
        for (const PhaseRule &rule : rules()) {
            needles.append(QByteArray(rule.needle));
            QRegularExpression re;
            if (*rule.pattern) {
                re.setPattern(QString::fromLatin1(rule.pattern));
                re.optimize();
            }
            regexes.append(re);
        }
        const qsizetype extrasAt = needles.size();
        needles << QByteArray("LLM engine (v") << QByteArray(argsMarkers[0].data())
                << QByteArray(argsMarkers[1].data());
        return CompiledRules{NeedleSet(needles), extrasAt, regexes};
    }();
    return rulesCompiled;
}

const QRegularExpression &engineConfigPattern()
{
    static const QRegularExpression re(
        QStringLiteral(R"(Initializing an? (?:V([01]) )?LLM engine \(v([^)]+)\) with config: (.*))"));
    return re;
}

} // namespace

std::optional<PhaseEvent> recognizePhase(QStringView message)
{
    const CompiledRules &compiledRules = compiled();
    const quint64 hits = compiledRules.needles.scan(message);
    if (!hits)
        return std::nullopt; // nearly every line once the server runs
    const auto found = [&](qsizetype id) { return NeedleSet::found(hits, id); };
    if (found(compiledRules.extrasAt + EngineConfigNeedle)) {
        const auto match = engineConfigPattern().match(message);
        if (match.hasMatch()) {
            PhaseEvent event{Phase::EngineConfig, PythonValues::engineConfigValues(match.capturedView(3))};
            event.values.insert(QStringLiteral("engine"), match.capturedView(1).isEmpty()
                                                              ? QStringLiteral("V0")
                                                              : QLatin1Char('V') + match.capturedView(1));
            event.values.insert(QStringLiteral("engineVersion"), match.captured(2));
            return event;
        }
    }
    for (qsizetype m = 0; m < 2; ++m) {
        if (!found(compiledRules.extrasAt + NamespaceArgsNeedle + m))
            continue;
        const QLatin1StringView marker = argsMarkers[m];
        const qsizetype at = message.indexOf(marker);
        return PhaseEvent{Phase::ApiServerStarting,
                          PythonValues::engineConfigValues(message.sliced(at + marker.size()))};
    }

    const QList<PhaseRule> &table = rules();
    for (qsizetype i = 0; i < table.size(); ++i) {
        if (!found(i))
            continue;
        const PhaseRule &rule = table[i];
        if (!*rule.pattern) {
            PhaseEvent event{rule.phase, {}};
            // Only the V1 notice means eager; V0's "Capturing cudagraphs…" line also says "eager mode"
            // (in its advice on how to turn capture off).
            if (rule.phase == Phase::CudaGraphs &&
                message.contains(QLatin1String("Cudagraph is disabled under eager mode")))
                event.values.insert(QStringLiteral("eager"), true);
            return event;
        }
        const auto match = compiledRules.regexes[i].match(message);
        if (!match.hasMatch())
            continue;
        PhaseEvent event{rule.phase, {}};
        for (qsizetype k = 0; k < rule.keys.size(); ++k) {
            const QStringView value = match.capturedView(int(k) + 1);
            if (!value.isNull())
                event.values.insert(QString::fromLatin1(rule.keys[k]), PythonValues::toVariant(value));
        }
        return event;
    }
    return std::nullopt;
}

namespace {

// Reads a stats line left to right; this is the most frequent line of a running server, so it
// is parsed by hand rather than by a regex.
struct StatsCursor
{
    QStringView rest;

    bool literal(QLatin1StringView text)
    {
        if (!rest.startsWith(text))
            return false;
        rest = rest.sliced(text.size());
        return true;
    }
    // [\d.]+
    QStringView numberText()
    {
        qsizetype n = 0;
        while (n < rest.size() &&
               ((rest[n] >= QLatin1Char('0') && rest[n] <= QLatin1Char('9')) || rest[n] == QLatin1Char('.')))
            ++n;
        const QStringView text = rest.first(n);
        rest = rest.sliced(n);
        return text;
    }
    bool number(double *value)
    {
        // QStringView::toDouble() goes through QLocale and was most of this line's cost.
        const QStringView text = numberText();
        char ascii[32];
        if (text.isEmpty() || text.size() >= qsizetype(sizeof ascii))
            return false;
        for (qsizetype i = 0; i < text.size(); ++i)
            ascii[i] = char(text[i].unicode());
        const auto [end, error] = std::from_chars(ascii, ascii + text.size(), *value);
        return error == std::errc() && end == ascii + text.size();
    }
    bool integer(int *value)
    {
        bool ok = false;
        *value = numberText().toInt(&ok);
        return ok;
    }
};

} // namespace

std::optional<StatsSample> recognizeStats(QStringView message)
{
    // The message starts with it, after at most an engine label ("Engine 000: "), or a header
    // and process prefix the parser did not take off: looking no further keeps this check cheap
    // on the lines that are not stats.
    const QLatin1StringView head("Avg prompt throughput: ");
    const qsizetype at = message.first(qMin<qsizetype>(message.size(), 160)).indexOf(head);
    if (at < 0)
        return std::nullopt;
    StatsCursor c{message.sliced(at + head.size())};
    StatsSample sample;
    if (!c.number(&sample.promptTokensPerSecond) ||
        !c.literal(QLatin1StringView(" tokens/s, Avg generation throughput: ")) ||
        !c.number(&sample.generationTokensPerSecond) || !c.literal(QLatin1StringView(" tokens/s, Running: ")) ||
        !c.integer(&sample.running) || !c.literal(QLatin1StringView(" reqs, ")))
        return std::nullopt;
    if (c.literal(QLatin1StringView("Swapped: "))) { // V0: "Swapped: N reqs, Pending: M reqs"
        if (!c.integer(&sample.swapped) || !c.literal(QLatin1StringView(" reqs, Pending: ")))
            return std::nullopt;
    } else if (!c.literal(QLatin1StringView("Waiting: "))) { // V1
        return std::nullopt;
    }
    if (!c.integer(&sample.waiting) || !c.literal(QLatin1StringView(" reqs, GPU KV cache usage: ")) ||
        !c.number(&sample.kvCacheUsagePercent) || !c.literal(QLatin1StringView("%")))
        return std::nullopt;
    const QLatin1StringView prefixHead("Prefix cache hit rate: ");
    const qsizetype prefix = c.rest.indexOf(prefixHead);
    if (prefix >= 0) {
        StatsCursor p{c.rest.sliced(prefix + prefixHead.size())};
        double rate = 0;
        if (p.number(&rate) && p.literal(QLatin1StringView("%")))
            sample.prefixCacheHitPercent = rate;
    }
    return sample;
}

QString phaseId(Phase phase)
{
    static const char *const ids[phaseCount] = {"ray_started",
                                                "ray_connected",
                                                "api_server_starting",
                                                "engine_config",
                                                "waiting_for_placement",
                                                "distributed_init",
                                                "loading_weights",
                                                "weights_loaded",
                                                "memory_profiling",
                                                "kv_cache_allocated",
                                                "cuda_graphs",
                                                "engine_ready",
                                                "routes",
                                                "server_starting",
                                                "ready"};
    return QString::fromLatin1(ids[int(phase)]);
}

QString phaseDisplayName(Phase phase)
{
    static const char *const names[phaseCount] = {
        QT_TRANSLATE_NOOP("Logs", "Ray node up"),
        QT_TRANSLATE_NOOP("Logs", "Attached to Ray cluster"),
        QT_TRANSLATE_NOOP("Logs", "API server starting"),
        QT_TRANSLATE_NOOP("Logs", "Engine configured"),
        QT_TRANSLATE_NOOP("Logs", "Waiting for GPUs (Ray placement)"),
        QT_TRANSLATE_NOOP("Logs", "Distributed init"),
        QT_TRANSLATE_NOOP("Logs", "Loading weights"),
        QT_TRANSLATE_NOOP("Logs", "Weights loaded"),
        QT_TRANSLATE_NOOP("Logs", "Profiling memory"),
        QT_TRANSLATE_NOOP("Logs", "KV cache allocated"),
        QT_TRANSLATE_NOOP("Logs", "CUDA graphs"),
        QT_TRANSLATE_NOOP("Logs", "Engine ready"),
        QT_TRANSLATE_NOOP("Logs", "Routes registered"),
        QT_TRANSLATE_NOOP("Logs", "HTTP server starting"),
        QT_TRANSLATE_NOOP("Logs", "Ready"),
    };
    return QCoreApplication::translate("Logs", names[int(phase)]);
}

} // namespace ApoloDeploy::Logs
