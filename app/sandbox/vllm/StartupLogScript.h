// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandbox/vllm/LogScriptLine.h"
#include "sandbox/vllm/MemoryModel.h"
#include "sandbox/vllm/ModelFacts.h"
#include "sandbox/vllm/VllmServerArgs.h"

#include <QHash>
#include <QStringList>

#include <optional>

namespace ApoloDeploy::Sandbox {

// Where the server starts: the container's GPUs and environment, and the Ray cluster it joined.
struct StartupEnvironment
{
    QString gpuModel; // platform name, e.g. "nvidia-h100-80gb"
    qint64 gpuMemoryBytes = 0;
    int localGpus = 0;
    bool rayClusterAttached = false; // `ray start --address=…` ran in this container (or it is the head)
    QString rayHeadIp;               // the head's IP as Ray resolved it
    QString driverIp;                // this container's pod IP
    QHash<QString, QString> env;     // plain and secret env of the container
    quint32 seed = 0;                // from the job id: pids, handles
};

// One part of the startup: lines to print and whether the process dies at its end.
struct ScriptPhase
{
    LogScript lines;
    bool fails = false;
    double endsAt = 0;          // simulated seconds
    QString terminationMessage; // the last error line, for the job's status description
};

// vLLM v0.7.2's startup log for one set of args on one cluster (vllm.md §4.3), in three phases:
// the config phase (banner to placement request), the placement wait (played by the caller, which
// knows when the cluster grows), and the engine phase (workers to "Application startup complete.").
class StartupLogScript
{
public:
    StartupLogScript(const VllmServerArgs &args, const StartupEnvironment &environment);

    const VllmServerArgs &args() const { return m_args; }
    const std::optional<ModelFacts> &model() const { return m_model; }
    int maxModelLen() const { return m_maxModelLen; }
    bool usesRay() const { return m_usesRay; }
    const MemoryModel &memory() const { return m_memory; }

    ScriptPhase configPhase() const;
    // True when the GPUs of these nodes (this container's node first) can host every worker.
    bool placementSatisfied(const QList<int> &nodeGpus) const;
    // "Waiting for creating a placement group of specs for N seconds" after waitedSeconds.
    LogScriptLine placementWaitLine(double at, int waitedSeconds) const;
    static constexpr int kPlacementTimeoutSeconds = 1800;
    ScriptPhase placementTimeout(double at) const;
    // From worker start-up to the uvicorn lines, or to the error that stops the engine.
    ScriptPhase enginePhase(double at, const QList<int> &nodeGpus) const;

private:
    QString placementSpecs() const;
    QString workerPrefix(int rank, const QList<int> &nodeGpus) const;
    QString nodeIp(int node) const;
    void appendPerWorker(LogScript &lines, double at, const QString &level, const QString &source,
                         const QString &message, const QList<int> &nodeGpus, int stage = -1) const;
    ScriptPhase failWith(ScriptPhase phase, double at, const QStringList &frames, const QString &error) const;
    QString engineConfigLine() const;

    VllmServerArgs m_args;
    StartupEnvironment m_env;
    std::optional<ModelFacts> m_model;
    MemoryModel m_memory;
    int m_maxModelLen = 0;
    bool m_usesRay = false;
    bool m_multiprocessingFrontend = true;
    QString m_effectiveQuantization;
    QString m_torchDtype;
    int m_apiPid = 0;
};

} // namespace ApoloDeploy::Sandbox
