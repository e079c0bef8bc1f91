// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

namespace ApoloDeploy::Sandbox {

// What the sandbox's job registry knows about a container to simulate.
struct WorkloadSpec
{
    QString jobId;
    QString jobName;
    QString internalHostname;      // "<job-id>.<namespace>"
    QString internalHostnameNamed; // "<name>--<hash>.<namespace>" or empty
    QString image;
    QString entrypoint; // as sent in the job payload (may be empty)
    QString command;    // as sent in the job payload (shell-quoted string)
    QHash<QString, QString> env;
    QHash<QString, QString> secretEnv; // name -> resolved secret value (for HF_TOKEN, VLLM_API_KEY…)
    int gpuCount = 0;
    QString gpuModel; // "nvidia-h100-80gb"
    qint64 gpuMemoryBytes = 0;
    int httpPort = -1; // container port from the job's http section, -1 = none
    bool httpRequiresAuth = false;
};

// Services the registry offers to workloads. Implemented by the sandbox's job registry.
class WorkloadHost
{
public:
    virtual ~WorkloadHost() = default;
    // True when a running job with that internal hostname (plain or named) runs a Ray head.
    virtual bool isRayHeadRunning(const QString &host) const = 0;
    // Nodes (head included) and GPUs per node currently joined to the Ray cluster of that head.
    virtual QList<int> rayNodeGpus(const QString &headHost) const = 0;
    virtual void joinRayCluster(const QString &headHost, const QString &jobId, int gpus) = 0;
    virtual void leaveRayCluster(const QString &headHost, const QString &jobId) = 0;
    // --speed: simulated seconds per real second (tests run at 50-200).
    virtual double timeScale() const = 0;
    // Output tokens per (real) second for the vLLM emulator.
    virtual double tokenRate() const = 0;
    // Tokens the sandbox accepts on job HTTP endpoints when requires_auth is set.
    virtual bool isValidPlatformToken(const QByteArray &token) const = 0;
};

// One simulated container. The registry creates it when the job starts running, forwards its
// output to the log streams, and kills it when the job is cancelled.
class Workload : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    ~Workload() override = default;

    virtual void start() = 0;
    // Cancelled by the platform (DELETE): stop at once, no further output.
    virtual void stop() = 0;
    // Loopback port where the container's HTTP port is served, 0 when not (yet) serving.
    virtual quint16 servingPort() const { return 0; }
    // Fault injection: the kernel's OOM killer ends the container (exit 137, reason OOMKilled).
    virtual void injectOomKill()
    {
        stop();
        Q_EMIT exited(137, QStringLiteral("OOMKilled"), QString());
    }

Q_SIGNALS:
    // Raw container stdout+stderr bytes, not necessarily line aligned.
    void output(const QByteArray &bytes);
    // The container ended. reason: "Completed" (exit 0), "Error", "OOMKilled"; message: termination message.
    void exited(int exitCode, const QString &reason, const QString &message);
};

// Picks the workload for a job from its image, entrypoint and command:
//   ray start --head …            -> Ray head (prints Ray's output, blocks)
//   ray start --address=H:6379 …  -> Ray worker (joins if H is a running head, else Ray's error, exit 1)
//   … && python3 -m vllm.entrypoints.openai.api_server … / vllm serve … -> Ray worker + vLLM server
//   vllm/vllm-openai image with no entrypoint override -> single node vLLM server
//   ghcr.io/open-webui/open-webui… -> Open WebUI (serves a page)
//   anything else -> a generic container that prints its command and sleeps until killed
Workload *createWorkload(const WorkloadSpec &spec, WorkloadHost *host, QObject *parent);

} // namespace ApoloDeploy::Sandbox
