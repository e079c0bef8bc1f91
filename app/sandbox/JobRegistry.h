// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandbox/SandboxJob.h"
#include "sandbox/Workload.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace ApoloDeploy::Sandbox {

class JobIngress;
class LogStore;
class SandboxState;

// All jobs of the sandbox and their simulated lifecycle:
//   pending Creating -> Scheduling -> Pulling -> ContainerCreating -> running -> finished,
// timed on the simulated clock; images the sandbox cannot "pull" go ErrImagePull and then
// failed/Collected. While running, a Workload (createWorkload) produces the output and decides
// the exit. Life span, credits and the oom-kill fault are enforced on every tick.
class JobRegistry final : public QObject, public WorkloadHost
{
    Q_OBJECT

public:
    explicit JobRegistry(SandboxState &state, QObject *parent = nullptr);
    ~JobRegistry() override;

    // Rejections (quota, credits, duplicate name, missing secret) come back as {status, error}.
    struct CreateResult
    {
        int status = 202;
        QString error;
        const SandboxJob *job = nullptr;
    };
    CreateResult create(SandboxJob job, bool waitForJobsQuota);

    const SandboxJob *find(const QString &id) const;
    // By id, else the caller's most recently created job with that name (any project).
    const SandboxJob *findByIdOrName(const QString &idOrName) const;
    QList<const SandboxJob *> jobs() const; // in creation order
    LogStore *logOf(const QString &id) const;
    Workload *workloadOf(const QString &id) const;

    void cancel(const QString &id, const QString &reason);
    void setMaxRunTime(const QString &id, int minutes);
    int activeJobCount() const;

    // WorkloadHost
    bool isRayHeadRunning(const QString &host) const override;
    QList<int> rayNodeGpus(const QString &headHost) const override;
    void joinRayCluster(const QString &headHost, const QString &jobId, int gpus) override;
    void leaveRayCluster(const QString &headHost, const QString &jobId) override;
    double timeScale() const override;
    double tokenRate() const override;
    bool isValidPlatformToken(const QByteArray &token) const override;

Q_SIGNALS:
    void jobChanged(const QString &id);

private:
    struct Runtime;
    SandboxJob *mutableJob(const QString &id);
    Runtime &runtimeOf(const QString &id);
    void tick();
    void advancePending(SandboxJob &job, Runtime &runtime, qint64 now);
    void transition(SandboxJob &job, const QString &status, const QString &reason = {}, const QString &description = {},
                    std::optional<int> exitCode = std::nullopt);
    void startWorkload(SandboxJob &job);
    void onWorkloadExited(const QString &id, int exitCode, const QString &reason, const QString &message);
    void finish(SandboxJob &job, const QString &status, const QString &reason, const QString &description,
                std::optional<int> exitCode);
    void chargeCredits(double hours, double pricePerHour);
    bool poolHasRoom(const SandboxJob &job) const;
    QString headJobIdForHost(const QString &host) const;
    void restoreJobs();
    QJsonArray stateJson() const;

    SandboxState &m_state;
    QList<SandboxJob *> m_order;
    QHash<QString, SandboxJob *> m_jobs;
    QHash<QString, std::shared_ptr<Runtime>> m_runtime;
    QHash<QString, QList<QPair<QString, int>>> m_rayMembers; // head job id -> (job id, gpus)
    QTimer m_ticker;
    qint64 m_lastTickNs = 0;
};

} // namespace ApoloDeploy::Sandbox
