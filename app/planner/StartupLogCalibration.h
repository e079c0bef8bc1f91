// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "planner/MemoryPlan.h"

#include <QList>
#include <QString>

#include <optional>

namespace ApoloDeploy::Planner {

// One worker's "Memory profiling" lines (vllm.md §4.3 V16; 0.6.x "Memory profiling results:").
struct WorkerMemoryProfile
{
    double totalGpuGiB = 0;
    double gpuMemoryUtilization = 0;
    double budgetGiB = 0;
    double weightsGiB = 0;
    double nonTorchGiB = 0;
    double activationGiB = 0;
    double kvCacheGiB = 0; // negative: "No available memory for the cache blocks"
};

// What a vLLM startup log says about memory. Lines of every worker are collected (Ray prefixes
// such as "(RayWorkerWrapper pid=…, ip=…)" are ignored); vLLM 0.7.2 prints "GB" but means GiB.
struct MeasuredMemory
{
    QList<double> modelLoadingGiB;       // V14, one per worker
    QList<WorkerMemoryProfile> profiles; // V16, one per worker
    QList<double> availableKvCacheGiB;   // V1 "Available KV cache memory: X GiB"
    QList<double> cudaGraphGiB;          // "Graph capturing finished … took X GiB" / "Estimated CUDA graph memory"
    std::optional<qint64> gpuBlocks;     // V17 (minimum over workers, printed by the driver)
    std::optional<qint64> cpuBlocks;
    std::optional<qint64> kvCacheTokens;     // V1 "GPU KV cache size: N tokens"
    std::optional<qint64> concurrencyTokens; // V18 "for N tokens per request"
    std::optional<double> maxConcurrency;    // V18 "Xx"

    bool isEmpty() const;
};

// Pure: parses log text (any line endings, \r progress bars included).
MeasuredMemory parseStartupLog(const QString &log);

struct CalibrationTerm
{
    QString name; // "weights", "activation", "non_torch", "kv_cache", "kv_tokens", "max_concurrency"
    QString unit; // "GiB", "tokens", "x"
    double planned = 0;
    std::optional<double> measured;
    // measured / planned (a calibration factor for the next plan), empty without a measurement.
    std::optional<double> ratio() const;
};

struct CalibrationReport
{
    QList<CalibrationTerm> terms;
    QString text() const; // one line per term: planned, measured, difference
};

// Measured against planned, term by term. Workers cannot be matched to ranks from the log, so the
// heaviest measured worker is compared with the heaviest planned rank, the smallest KV with the smallest.
CalibrationReport calibrate(const MemoryPlan &plan, const MeasuredMemory &measured);

} // namespace ApoloDeploy::Planner
