// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apolo/PlatformTypes.h"
#include "deploy/DeploymentState.h"
#include "deploy/PendingJobWatch.h"
#include "logs/LogClassifier.h"
#include "logs/LogLine.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <optional>

namespace ApoloDeploy {

class ApoloClient;
class HealthProbe;
struct ApoloError;

namespace Logs {
class LogStream;
}

// Drives one deployment from nothing to "ready", step by step, as a reconciler: each step looks
// at the jobs created so far (re-read from the platform) and does the next thing:
//   head created -> head running with internal_hostname_named -> workers + server created ->
//   server running -> its log followed until "Application startup complete." -> GET /health 200
//   -> Open WebUI (optional) -> Ready.
// Any job that fails, is cancelled, or cannot pull its image, a fatal line in the server's log
// (KV cache too small, CUDA OOM, NCCL …), a quota or credits refusal stops the launch with the
// reason and a hint; the jobs stay until someone tears them down (Teardown), never silently.
//
// The state (deployment, job ids, phase) is saved after every change (DeploymentStore), so
// resume() continues after an app restart; it also re-lists the jobs by the tag
// deployment:<name>, which finds a job whose creation answer was lost in the crash. A saved
// job the platform no longer knows ("no such job", e.g. long collected) ends the launch with
// a hint instead of waiting for it forever.
//
// The server's log is followed with Logs::LogStream, which reconnects after a drop with
// since=<last timestamp> and drops the lines it already has, so a flaky log socket neither
// loses "Application startup complete." nor classifies a line twice.
class LaunchSequence final : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        int pollIntervalMs = 5000;
        int healthIntervalMs = 3000;
        bool followLog = true; // false: readiness from /health alone
        bool persist = true;
        // Consecutive polls in which the platform says "no such job" for a job of the launch
        // before it is given up as gone (one miss can be a replica that has not caught up).
        int missingJobPolls = 2;
    };

    explicit LaunchSequence(ApoloClient *client, QObject *parent = nullptr);
    ~LaunchSequence() override;

    void setOptions(const Options &options) { m_options = options; }

    // A fresh launch; the deployment must already be validated.
    void start(const Deployment &deployment);
    // Continues a saved launch (DeploymentStore::load).
    void resume(const DeploymentState &state);
    // Stops driving (no job is killed); the saved state stays for a later resume().
    void stop();

    bool isRunning() const { return m_running; }
    const DeploymentState &state() const { return m_state; }
    LaunchPhase phase() const { return m_state.phase; }
    // What the server's log said so far (empty before the server runs).
    const Logs::LogClassifier &serverLog() const;
    QList<Job> jobs() const { return m_jobs.values(); }
    // Polls in a row the platform did not answer (0 once it answers again).
    int consecutiveFailedPolls() const { return m_failedPolls; }

Q_SIGNALS:
    void phaseChanged(ApoloDeploy::LaunchPhase phase);
    // A line of progress for people ("Created demo-head (job-…)").
    void progress(const QString &message);
    void jobUpdated(const ApoloDeploy::Job &job);
    // Lines of the serving job's log, as they arrive (classified, deduplicated across reconnects).
    void serverLogLines(const QList<ApoloDeploy::Logs::LogLine> &lines);
    void ready(const QUrl &endpoint);
    void failed(const QString &reason, const QString &hint);

private:
    void step();
    void scheduleStep(int delayMs);
    void refreshJobs(std::function<void()> then);
    void reportUnreachable(const std::optional<ApoloError> &error);
    void recoverByTag(std::function<void()> then);
    void forgetUncreatedJobs();
    bool checkJobsExist();
    bool checkJobsHealthy();
    void createJob(const PlannedJob &planned);
    void followServerLog(const Job &server);
    void onServerLogLines(const QList<Logs::LogLine> &lines);
    void checkHealth(const Job &server);
    void onHealthAnswer(const QUrl &url, int status, const QString &error);
    void resetRun();
    void setPhase(LaunchPhase phase);
    void fail(const QString &reason, const QString &hint);
    void fail(const ApoloError &error, const QString &what);
    void finishReady();
    void save();
    const Job *currentJob(JobRole role, int workerIndex = 0) const;

    ApoloClient *m_client;
    Options m_options;
    DeploymentState m_state;
    QMap<QString, Job> m_jobs;          // id -> latest
    QHash<QString, int> m_missingPolls; // id -> consecutive "no such job" answers
    PendingJobWatch m_pendingWatch;
    int m_failedPolls = 0; // consecutive polls the platform did not answer
    QTimer m_stepTimer;
    QPointer<Logs::LogStream> m_log;
    HealthProbe *m_health;
    bool m_running = false;
    bool m_busy = false; // a request of the current step is in flight
    bool m_startupComplete = false;
    bool m_healthy = false;
};

} // namespace ApoloDeploy
