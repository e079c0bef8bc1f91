// SPDX-License-Identifier: GPL-3.0-or-later
#include "deploy/LaunchSequence.h"

#include "apolo/ApoloClient.h"
#include "apolo/LogConnection.h"
#include "logs/FailureDiagnoser.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace ApoloDeploy {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("LaunchSequence", text);
}

bool isPullFailure(const QString &reason)
{
    return reason == QLatin1String("ErrImagePull") || reason == QLatin1String("ImagePullBackOff")
        || reason == QLatin1String("InvalidImageName");
}

QString roleDisplayName(JobRole role)
{
    switch (role) {
    case JobRole::Head:
        return tr("The Ray head");
    case JobRole::Worker:
        return tr("A Ray worker");
    case JobRole::Server:
        return tr("The vLLM server");
    case JobRole::Web:
        return tr("Open WebUI");
    }
    return {};
}

} // namespace

LaunchSequence::LaunchSequence(ApoloClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
    m_stepTimer.setSingleShot(true);
    connect(&m_stepTimer, &QTimer::timeout, this, &LaunchSequence::step);
}

LaunchSequence::~LaunchSequence()
{
    stop();
}

void LaunchSequence::start(const Deployment &deployment)
{
    m_state = DeploymentState();
    m_state.deployment = deployment;
    m_state.startedAt = QDateTime::currentDateTimeUtc();
    m_jobs.clear();
    m_classifier = Logs::LogClassifier();
    m_startupComplete = m_healthy = false;
    m_running = true;
    setPhase(LaunchPhase::Pending);
    save();
    Q_EMIT progress(tr("Launching %1: %2 on %3 node(s).").arg(deployment.name, deployment.model).arg(deployment.nodeCount()));
    scheduleStep(0);
}

void LaunchSequence::resume(const DeploymentState &state)
{
    m_state = state;
    m_jobs.clear();
    m_classifier = Logs::LogClassifier();
    m_startupComplete = m_healthy = false;
    m_running = true;
    m_state.failureReason.clear();
    m_state.failureHint.clear();
    Q_EMIT progress(tr("Resuming the launch of %1 (%2).").arg(state.deployment.name, launchPhaseDisplayName(state.phase)));
    m_busy = true;
    recoverByTag([this] {
        m_busy = false;
        scheduleStep(0);
    });
}

void LaunchSequence::stop()
{
    m_running = false;
    m_stepTimer.stop();
    if (m_log)
        m_log->close();
    delete m_log;
    if (m_healthReply)
        m_healthReply->abort();
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
        Q_EMIT progress(tr("Warning: the launch state could not be saved (%1); a restart could not resume it.").arg(error));
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
    for (const QString &id : ids) {
        m_client->getJob(id, this, [this, remaining, then](const ApoloResult<Job> &result) {
            if (result.ok()) {
                m_jobs.insert(result->id, result.value());
                Q_EMIT jobUpdated(result.value());
            } else if (result.error().kind != ApoloError::Kind::Cancelled) {
                // A failed poll is not a failed job: the next step asks again.
                Q_EMIT progress(tr("Could not read a job's status: %1").arg(result.error().toString()));
            }
            if (--*remaining == 0)
                then();
        });
    }
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
        if (!m_running || !checkJobsHealthy())
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

bool LaunchSequence::checkJobsHealthy()
{
    for (const CreatedJob &created : std::as_const(m_state.jobs)) {
        const auto it = m_jobs.constFind(created.id);
        if (created.id.isEmpty() || it == m_jobs.cend())
            continue;
        const Job &job = it.value();
        const bool pullFailure = job.status == JobStatus::Pending && isPullFailure(job.history.reason);
        if (!isFinished(job.status) && !pullFailure)
            continue;
        const std::optional<Logs::Diagnosis> diagnosis = Logs::diagnoseJobStatus(
            job.statusText, job.history.reason, job.history.description, job.history.exitCode.value_or(0));
        QString reason = tr("%1 (%2) is %3").arg(roleDisplayName(created.role), job.name, job.statusText);
        if (!job.history.reason.isEmpty())
            reason += QStringLiteral(": ") + job.history.reason;
        if (!job.history.description.isEmpty())
            reason += QStringLiteral(" (") + job.history.description + QLatin1Char(')');
        if (diagnosis && !diagnosis->title.isEmpty())
            reason += QStringLiteral(". ") + diagnosis->title;
        // The server's own log usually knows better why it stopped (KV cache, OOM, NCCL…).
        if (created.role == JobRole::Server && m_classifier.failure())
            fail(reason + QStringLiteral(". ") + m_classifier.failure()->title, m_classifier.failure()->hint);
        else
            fail(reason, diagnosis ? diagnosis->hint : QString());
        return false;
    }
    if (m_classifier.hasFatalFailure()) {
        fail(tr("The vLLM server failed: %1").arg(m_classifier.failure()->title), m_classifier.failure()->hint);
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
                // Created before a restart: adopt it instead of failing.
                m_busy = true;
                recoverByTag([this] {
                    m_busy = false;
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
    ApoloError error;
    LogConnection *connection = m_client->createLogConnection(server.id, QDateTime(), this, &error);
    if (!connection) {
        // Without a log, readiness comes from /health alone.
        Q_EMIT progress(tr("Cannot follow the server log (%1); waiting for /health instead.").arg(error.toString()));
        m_startupComplete = true;
        return;
    }
    m_log = connection;
    // A reconnect replays the log from the start: classify it afresh, show only new lines.
    m_classifier = Logs::LogClassifier();
    m_logPending.clear();
    m_logLineNumber = 0;
    connect(connection, &LogConnection::bytes, this, &LaunchSequence::onLogBytes);
    connect(connection, &LogConnection::finished, this, [this, connection](const ApoloError &finishError) {
        if (finishError.isError() && finishError.kind != ApoloError::Kind::Cancelled)
            Q_EMIT progress(tr("The server log stream ended: %1").arg(finishError.toString()));
        connection->deleteLater();
        scheduleStep(0);
    });
    connection->open();
    Q_EMIT progress(tr("Following the log of %1.").arg(server.name));
}

void LaunchSequence::onLogBytes(const QByteArray &bytes)
{
    m_logPending += bytes;
    QStringList lines;
    qsizetype start = 0;
    for (qsizetype newline = m_logPending.indexOf('\n'); newline >= 0; newline = m_logPending.indexOf('\n', start)) {
        const QString line = QString::fromUtf8(m_logPending.constData() + start, newline - start);
        m_classifier.classify(line, ++m_logLineNumber);
        lines << line;
        start = newline + 1;
    }
    m_logPending.remove(0, start);
    if (!lines.isEmpty())
        Q_EMIT serverLogLines(lines);
    if (m_classifier.hasFatalFailure()) {
        checkJobsHealthy();
        return;
    }
    if (!m_startupComplete && m_classifier.isReady()) {
        m_startupComplete = true;
        Q_EMIT progress(tr("The server says \"Application startup complete.\"; checking /health."));
        scheduleStep(0);
    }
}

void LaunchSequence::checkHealth(const Job &server)
{
    QUrl url = server.preferredHttpUrl();
    if (!url.isValid()) {
        fail(tr("The server job has no HTTP URL."), tr("The job must expose port 8000; relaunch the deployment."));
        return;
    }
    QString path = url.path();
    if (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + QStringLiteral("/health"));
    QNetworkRequest request(url);
    request.setTransferTimeout(10000);
    // The platform's ingress checks the user's token on requires_auth jobs; send it only over
    // https (or to the loopback sandbox).
    const bool secure = url.scheme() == QLatin1String("https") || url.host() == QLatin1String("127.0.0.1")
        || url.host() == QLatin1String("localhost");
    if (server.container.http && server.container.http->requiresAuth && secure && !m_client->credentials().isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_client->credentials().accessToken.toUtf8());
    m_busy = true;
    QNetworkReply *reply = m_client->network()->get(request);
    m_healthReply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply, url] {
        reply->deleteLater();
        m_busy = false;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 200) {
            m_healthy = true;
            Q_EMIT progress(tr("GET %1 answered 200.").arg(url.toString()));
            scheduleStep(0);
            return;
        }
        Q_EMIT progress(status ? tr("GET %1 answered %2; trying again.").arg(url.toString()).arg(status)
                               : tr("GET %1: %2; trying again.").arg(url.toString(), reply->errorString()));
        scheduleStep(m_options.healthIntervalMs);
    });
}

void LaunchSequence::fail(const ApoloError &error, const QString &what)
{
    QString hint = error.hint;
    if (error.kind == ApoloError::Kind::Quota && hint.isEmpty())
        hint = tr("Stop other jobs or ask your org admin for a larger running-jobs quota.");
    else if (error.kind == ApoloError::Kind::Credits && hint.isEmpty())
        hint = tr("Top up the credits of your org or project, then launch again.");
    fail(tr("%1 failed: %2").arg(what, error.message.isEmpty() ? ApoloError::kindName(error.kind) : error.message), hint);
}

void LaunchSequence::fail(const QString &reason, const QString &hint)
{
    m_state.failureReason = reason;
    m_state.failureHint = hint;
    m_running = false;
    m_stepTimer.stop();
    if (m_log)
        m_log->close();
    setPhase(LaunchPhase::Failed);
    save();
    Q_EMIT failed(reason, hint);
}

void LaunchSequence::finishReady()
{
    m_running = false;
    if (m_log)
        m_log->close();
    setPhase(LaunchPhase::Ready);
    save();
    Q_EMIT progress(tr("%1 is ready at %2/v1 (model \"%3\").")
                        .arg(m_state.deployment.name, m_state.endpoint.toString(QUrl::StripTrailingSlash),
                             m_state.deployment.effectiveServedModelName()));
    Q_EMIT ready(m_state.endpoint);
}

} // namespace ApoloDeploy
