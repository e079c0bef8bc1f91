// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringView>
#include <QVariantMap>

#include <optional>

namespace ApoloDeploy::Logs {

// Launch phases in the order a Ray + vLLM start goes through them (vllm.md §4.2-4.4).
enum class Phase : quint8 {
    RayStarted,          // "Ray runtime started.", "block forever until terminated" (R1-R9)
    RayConnected,        // vLLM attached to the existing cluster (R10)
    ApiServerStarting,   // "vLLM API server version X", args (V1-V3)
    EngineConfig,        // "Initializing a V0 LLM engine (v0.7.2) with config: …" (V5, V6, V1 extras)
    WaitingForPlacement, // "Waiting for creating a placement group …" (V8)
    DistributedInit,     // attention backend, NCCL, ranks (V10, V11)
    LoadingWeights,      // "Starting to load model", shard progress % and ETA (V12, V13)
    WeightsLoaded,       // "Loading model weights took X GB" (V14)
    MemoryProfiling,     // memory report (V16)
    KvCacheAllocated,    // "# CUDA blocks", "GPU KV cache size", "Maximum concurrency" (V17, V18)
    CudaGraphs,          // capture progress, or eager mode (V19)
    EngineReady,         // "init engine (profile, create kv cache, warmup model) took" (V20)
    Routes,              // "Starting vLLM API server on", "Available routes are:" (V21, V22)
    ServerStarting,      // uvicorn "Started server process" (V23)
    Ready,               // "Application startup complete." / "Uvicorn running on"
};
inline constexpr int phaseCount = int(Phase::Ready) + 1;

QString phaseId(Phase phase);          // stable, for JSON: "loading_weights"
QString phaseDisplayName(Phase phase); // translated, for the phase bar

struct PhaseEvent
{
    Phase phase;
    QVariantMap values; // numbers as double/qint64, the rest as strings
};

// One periodic stats line (vllm.md §1.6, V0 and V1 formats).
struct StatsSample
{
    double promptTokensPerSecond = 0;
    double generationTokensPerSecond = 0;
    int running = 0;
    int waiting = 0;  // "Pending" in V0, "Waiting" in V1
    int swapped = -1; // V0 only
    double kvCacheUsagePercent = 0;
    double prefixCacheHitPercent = -1; // V1 only
};

// Pure: matches one message (the part after the header) against the startup patterns.
std::optional<PhaseEvent> recognizePhase(QStringView message);
std::optional<StatsSample> recognizeStats(QStringView message);

} // namespace ApoloDeploy::Logs
