// SPDX-License-Identifier: GPL-3.0-or-later
#include "deploy/LaunchSequence.h"

#include "apolo/ApoloClient.h"
#include "deploy/HealthProbe.h"
#include "deploy/LaunchFailure.h"
#include "logs/LogStream.h"

namespace ApoloDeploy {

LaunchSequence::LaunchSequence(ApoloClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_health(new HealthProbe(client, this))
{
    m_stepTimer.setSingleShot(true);
    connect(&m_stepTimer, &QTimer::timeout, this, &LaunchSequence::step);
    connect(m_health, &HealthProbe::finished, this, &LaunchSequence::onHealthAnswer);
}

LaunchSequence::~LaunchSequence()
{
    stop();
}

const Logs::LogClassifier &LaunchSequence::serverLog() const
{
    static const Logs::LogClassifier nothingYet;
    return m_log ? m_log->classifier() : nothingYet;
}

void LaunchSequence::resetRun()
{
    stop();
    delete m_log;
    m_jobs.clear();
    m_missingPolls.clear();
    m_pendingWatch.clear();
    m_failedPolls = 0;
    m_startupComplete = m_healthy = false;
    m_busy = false;
    m_running = true;
}

void LaunchSequence::start(const Deployment &deployment)
{
    resetRun();
    m_state = DeploymentState();
    m_state.deployment = deployment;
    m_state.startedAt = QDateTime::currentDateTimeUtc();
    setPhase(LaunchPhase::Pending);
    save();
    Q_EMIT progress(
        tr("Launching %1: %2 on %3 node(s).").arg(deployment.name, deployment.model).arg(deployment.nodeCount()));
    scheduleStep(0);
}

void LaunchSequence::resume(const DeploymentState &state)
{
    resetRun();
    m_state = state;
    m_state.failureReason.clear();
    m_state.failureHint.clear();
    Q_EMIT progress(
        tr("Resuming the launch of %1 (%2).").arg(state.deployment.name, launchPhaseDisplayName(state.phase)));
    m_busy = true;
    recoverByTag([this] {
        m_busy = false;
        forgetUncreatedJobs();
        scheduleStep(0);
    });
}

void LaunchSequence::forgetUncreatedJobs()
{
    // A job recorded just before its creation request, that the tag listing does not show
    // either: the request never reached the platform (the app quit first). Creating it again
    // is right; waiting for it would wait forever.
    m_state.jobs.removeIf([this](const CreatedJob &job) {
        if (!job.id.isEmpty())
            return false;
        Q_EMIT progress(tr("%1 was never created; creating it now.").arg(job.name));
        return true;
    });
    save();
}

void LaunchSequence::stop()
{
    m_running = false;
    m_stepTimer.stop();
    // The stream is kept (not deleted) so serverLog() still tells what the server said.
    if (m_log)
        m_log->stop();
    m_health->abort();
}

void LaunchSequence::scheduleStep(int delayMs)
{
    if (m_running)
        m_stepTimer.start(delayMs);
}

void LaunchSequence::setPhase(LaunchPhase phase)
{
    if (m_state.phase == phase)
        return;
    m_state.phase = phase;
    save();
    Q_EMIT phaseChanged(phase);
}

void LaunchSequence::save()
{
    m_state.updatedAt = QDateTime::currentDateTimeUtc();
    if (!m_options.persist)
        return;
    QString error;
    if (!DeploymentStore::save(m_state, &error))
        Q_EMIT progress(
            tr("Warning: the launch state could not be saved (%1); a restart could not resume it.").arg(error));
}

const Job *LaunchSequence::currentJob(JobRole role, int workerIndex) const
{
    const CreatedJob *created = m_state.job(role, workerIndex);
    if (!created || created->id.isEmpty())
        return nullptr;
    const auto it = m_jobs.constFind(created->id);
    return it == m_jobs.cend() ? nullptr : &it.value();
}

void LaunchSequence::refreshJobs(std::function<void()> then)
{
    const QStringList ids = m_state.jobIds();
    if (ids.isEmpty()) {
        then();
        return;
    }
    auto remaining = std::make_shared<int>(int(ids.size()));
    auto unreachable = std::make_shared<std::optional<ApoloError>>();
    for (const QString &id : ids) {
        m_client->getJob(id, this, [this, id, remaining, unreachable, then](const ApoloResult<Job> &result) {
            if (result.ok()) {
                m_missingPolls.remove(id);
                m_jobs.insert(result->id, result.value());
                Q_EMIT jobUpdated(result.value());
                for (const QString &line : m_pendingWatch.update(result.value(), QDateTime::currentMSecsSinceEpoch()))
                    Q_EMIT progress(line);
            } else if (result.error().kind == ApoloError::Kind::NotFound) {
                ++m_missingPolls[id];
                m_jobs.remove(id);
            } else if (result.error().kind != ApoloError::Kind::Cancelled) {
                *unreachable = result.error();
            }
            if (--*remaining > 0)
                return;
            reportUnreachable(*unreachable);
            then();
        });
    }
}

void LaunchSequence::reportUnreachable(const std::optional<ApoloError> &error)
{
    if (!error) {
        if (m_failedPolls > 0)
            Q_EMIT progress(tr("The platform answers again."));
        m_failedPolls = 0;
        return;
    }
    // A failed poll is not a failed job: the jobs keep running and the next step asks again.
    // Said once, then about every minute, so an outage does not flood the progress.
    ++m_failedPolls;
    const int everyMinute = qMax(1, 60000 / qMax(1, m_options.pollIntervalMs));
    if (m_failedPolls == 1 || m_failedPolls % everyMinute == 0)
        Q_EMIT progress(tr("Could not read the jobs' status (%n time(s) in a row): %1", nullptr, m_failedPolls)
                            .arg(error->toString()));
}

void LaunchSequence::recoverByTag(std::function<void()> then)
{
    JobListFilter filter;
    filter.tags = {JobPlanBuilder::deploymentTag(m_state.deployment.name)};
    filter.statuses = {JobStatus::Pending, JobStatus::Suspended, JobStatus::Running};
    m_client->listJobs(
        filter, this,
        [this](const QList<Job> &jobs) {
            for (const Job &job : jobs) {
                std::optional<JobRole> role;
                for (const QString &tag : job.tags) {
                    if (tag.startsWith(QLatin1String("role:")))
                        role = jobRoleFromName(QStringView(tag).mid(5));
                }
                if (!role)
                    continue;
                const int index = *role == JobRole::Worker ? job.name.section(QLatin1Char('-'), -1).toInt() : 0;
                CreatedJob *created = m_state.job(*role, index);
                if (!created) {
                    m_state.jobs.append({*role, index, job.name, job.id});
                    Q_EMIT progress(tr("Found %1 (%2) on the platform.").arg(job.name, job.id));
                } else if (created->id.isEmpty() || created->id != job.id) {
                    created->id = job.id;
                    Q_EMIT progress(tr("Found %1 (%2) on the platform.").arg(job.name, job.id));
                }
                m_jobs.insert(job.id, job);
            }
        },
        [this, then](const ApoloResult<Done> &result) {
            if (!result.ok() && result.error().kind != ApoloError::Kind::Cancelled)
                Q_EMIT progress(tr("Could not list the deployment's jobs: %1").arg(result.error().toString()));
            save();
            then();
        });
}

void LaunchSequence::step()
{
    if (!m_running || m_busy)
        return;
    m_busy = true;
    refreshJobs([this] {
        m_busy = false;
        if (!m_running || !checkJobsExist() || !checkJobsHealthy())
            return;
        const Deployment &d = m_state.deployment;
        const JobPlanBuilder builder(d);
        if (d.pipelineParallel > 1) {
            if (!m_state.job(JobRole::Head)) {
                setPhase(LaunchPhase::CreatingHead);
                createJob(builder.head());
                return;
            }
            const Job *head = currentJob(JobRole::Head);
            if (!head || head->status != JobStatus::Running || head->internalHostnameNamed.isEmpty()) {
                setPhase(LaunchPhase::WaitingForHead);
                scheduleStep(m_options.pollIntervalMs);
                return;
            }
            m_state.headHost = head->internalHostnameNamed;
            for (int i = 1; i <= d.pipelineParallel - 2; ++i) {
                if (!m_state.job(JobRole::Worker, i)) {
                    setPhase(LaunchPhase::CreatingNodes);
                    createJob(builder.worker(i, m_state.headHost));
                    return;
                }
            }
        }
        if (!m_state.job(JobRole::Server)) {
            setPhase(LaunchPhase::CreatingNodes);
            createJob(builder.server(m_state.headHost));
            return;
        }
        const Job *server = currentJob(JobRole::Server);
        if (!server || server->status != JobStatus::Running) {
            setPhase(LaunchPhase::WaitingForServer);
            scheduleStep(m_options.pollIntervalMs);
            return;
        }
        if (m_state.serverHost != server->internalHostnameNamed || m_state.endpoint != server->preferredHttpUrl()) {
            m_state.serverHost = server->internalHostnameNamed;
            m_state.endpoint = server->preferredHttpUrl();
            save();
        }
        if (!m_startupComplete && m_options.followLog) {
            if (!m_log)
                followServerLog(*server);
            setPhase(LaunchPhase::LoadingModel);
            scheduleStep(m_options.pollIntervalMs);
            return;
        }
        if (!m_healthy) {
            setPhase(LaunchPhase::CheckingHealth);
            checkHealth(*server);
            return;
        }
        if (d.openWebUi) {
            if (!m_state.job(JobRole::Web)) {
                setPhase(LaunchPhase::StartingWeb);
                createJob(builder.web(m_state.serverHost));
                return;
            }
            const Job *web = currentJob(JobRole::Web);
            if (!web || web->status != JobStatus::Running) {
                setPhase(LaunchPhase::StartingWeb);
                scheduleStep(m_options.pollIntervalMs);
                return;
            }
        }
        finishReady();
    });
}

bool LaunchSequence::checkJobsExist()
{
    QStringList gone;
    for (const CreatedJob &created : std::as_const(m_state.jobs)) {
        if (!created.id.isEmpty() && m_missingPolls.value(created.id) >= m_options.missingJobPolls)
            gone << QStringLiteral("%1 (%2)").arg(created.name, created.id);
    }
    if (gone.isEmpty())
        return true;
    const LaunchFailure failure =
        LaunchFailure::ofGoneJobs(m_state.deployment.name, gone, gone.size() == m_state.jobIds().size());
    fail(failure.reason, failure.hint);
    return false;
}

bool LaunchSequence::checkJobsHealthy()
{
    for (const CreatedJob &created : std::as_const(m_state.jobs)) {
        const auto it = m_jobs.constFind(created.id);
        if (created.id.isEmpty() || it == m_jobs.cend())
            continue;
        if (const std::optional<LaunchFailure> failure = LaunchFailure::ofJob(created, it.value(), serverLog())) {
            fail(failure->reason, failure->hint);
            return false;
        }
    }
    if (const std::optional<LaunchFailure> failure = LaunchFailure::ofServerLog(serverLog())) {
        fail(failure->reason, failure->hint);
        return false;
    }
    return true;
}

void LaunchSequence::createJob(const PlannedJob &planned)
{
    // Recorded before the request: if the app dies before the answer, resume() finds the job
    // again by its tags.
    m_state.jobs.append({planned.role, planned.workerIndex, planned.request.name, QString()});
    save();
    m_busy = true;
    Q_EMIT progress(tr("Creating %1…").arg(planned.request.name));
    m_client->createJob(planned.request, this, [this, planned](const ApoloResult<Job> &result) {
        m_busy = false;
        if (!m_running)
            return;
        CreatedJob *created = m_state.job(planned.role, planned.workerIndex);
        if (!result.ok()) {
            if (result.error().message.contains(QLatin1String("already exists"))) {
                // Created before a restart: adopt it instead of failing. A job of that name
                // without this deployment's tag belongs to someone else.
                m_busy = true;
                recoverByTag([this, planned] {
                    m_busy = false;
                    const CreatedJob *adopted = m_state.job(planned.role, planned.workerIndex);
                    if (!adopted || adopted->id.isEmpty()) {
                        forgetUncreatedJobs();
                        fail(tr("A job named %1 already runs and is not part of %2.")
                                 .arg(planned.request.name, m_state.deployment.name),
                             tr("Kill that job ('apolo kill %1') or give the deployment another name.")
                                 .arg(planned.request.name));
                        return;
                    }
                    scheduleStep(0);
                });
                return;
            }
            m_state.jobs.removeIf([&](const CreatedJob &job) {
                return job.role == planned.role && job.workerIndex == planned.workerIndex && job.id.isEmpty();
            });
            fail(result.error(), tr("Creating %1").arg(planned.request.name));
            return;
        }
        if (created)
            created->id = result->id;
        m_jobs.insert(result->id, result.value());
        save();
        Q_EMIT jobUpdated(result.value());
        Q_EMIT progress(tr("Created %1 (%2).").arg(result->name, result->id));
        scheduleStep(0);
    });
}

void LaunchSequence::followServerLog(const Job &server)
{
    Logs::LogStream::Options options;
    options.jobId = server.id;
    options.label = QStringLiteral("server");
    options.spill = false; // the log pane keeps the full log; the launch only reads it
    auto *stream = new Logs::LogStream(m_client, options, this);
    m_log = stream;
    connect(stream, &Logs::LogStream::linesReceived, this, &LaunchSequence::onServerLogLines);
    connect(stream, &Logs::LogStream::stateChanged, this,
            [this, stream](Logs::LogStream::State state, const QString &detail) {
                if (state == Logs::LogStream::State::Reconnecting && !detail.isEmpty())
                    Q_EMIT progress(tr("The server log stream dropped (%1).").arg(detail));
                if (state != Logs::LogStream::State::Failed || m_log != stream || m_startupComplete)
                    return;
                // Without a log, readiness comes from /health alone.
                Q_EMIT progress(tr("Cannot follow the server log (%1); waiting for /health instead.").arg(detail));
                m_startupComplete = true;
                scheduleStep(0);
            });
    // The job ended: the next step reads why.
    connect(stream, &Logs::LogStream::ended, this, [this] { scheduleStep(0); });
    Q_EMIT progress(tr("Following the log of %1.").arg(server.name));
    stream->start();
}

void LaunchSequence::onServerLogLines(const QList<Logs::LogLine> &lines)
{
    Q_EMIT serverLogLines(lines);
    if (!m_running)
        return;
    if (serverLog().hasFatalFailure()) {
        checkJobsHealthy();
        return;
    }
    if (!m_startupComplete && serverLog().isReady()) {
        m_startupComplete = true;
        Q_EMIT progress(tr("The server says \"Application startup complete.\"; checking /health."));
        scheduleStep(0);
    }
}

void LaunchSequence::checkHealth(const Job &server)
{
    if (!HealthProbe::healthUrl(server).isValid()) {
        fail(tr("The server job has no HTTP URL."), tr("The job must expose port 8000; relaunch the deployment."));
        return;
    }
    m_busy = true;
    m_health->probe(server);
}

void LaunchSequence::onHealthAnswer(const QUrl &url, int status, const QString &error)
{
    m_busy = false;
    if (!m_running)
        return;
    if (status == 200) {
        m_healthy = true;
        Q_EMIT progress(tr("GET %1 answered 200.").arg(url.toString()));
        scheduleStep(0);
        return;
    }
    Q_EMIT progress(status ? tr("GET %1 answered %2; trying again.").arg(url.toString()).arg(status)
                           : tr("GET %1: %2; trying again.").arg(url.toString(), error));
    scheduleStep(m_options.healthIntervalMs);
}

void LaunchSequence::fail(const ApoloError &error, const QString &what)
{
    const LaunchFailure failure = LaunchFailure::ofRefusal(error, what);
    fail(failure.reason, failure.hint);
}

void LaunchSequence::fail(const QString &reason, const QString &hint)
{
    m_state.failureReason = reason;
    m_state.failureHint = hint;
    stop();
    setPhase(LaunchPhase::Failed);
    save();
    Q_EMIT failed(reason, hint);
}

void LaunchSequence::finishReady()
{
    stop();
    setPhase(LaunchPhase::Ready);
    save();
    Q_EMIT progress(tr("%1 is ready at %2/v1 (model \"%3\").")
                        .arg(m_state.deployment.name, m_state.endpoint.toString(QUrl::StripTrailingSlash),
                             m_state.deployment.effectiveServedModelName()));
    Q_EMIT ready(m_state.endpoint);
}

} // namespace ApoloDeploy
