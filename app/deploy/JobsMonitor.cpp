// SPDX-License-Identifier: GPL-3.0-or-later
#include "deploy/JobsMonitor.h"

#include "apolo/ApoloClient.h"

#include <algorithm>
#include <memory>

namespace ApoloDeploy {

QString deploymentOfJob(const Job &job)
{
    for (const QString &tag : job.tags) {
        if (tag.startsWith(QLatin1String("deployment:")))
            return tag.mid(11);
    }
    return {};
}

JobsMonitor::JobsMonitor(ApoloClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
    m_timer.setInterval(10000);
    connect(&m_timer, &QTimer::timeout, this, &JobsMonitor::refreshNow);
    m_changedTimer.setSingleShot(true);
    m_changedTimer.setInterval(0);
    connect(&m_changedTimer, &QTimer::timeout, this, [this] { Q_EMIT jobsChanged(m_jobs); });
}

void JobsMonitor::start()
{
    m_timer.start();
    refreshNow();
}

void JobsMonitor::stop()
{
    m_timer.stop();
}

void JobsMonitor::refreshNow()
{
    if (m_inFlight) {
        m_refreshAgain = true; // a job may have been created after this listing started
        return;
    }
    m_inFlight = true;
    m_refreshAgain = false;
    // Active jobs whatever their age, then what finished in the last day (for reasons and cost).
    JobListFilter active;
    active.statuses = {JobStatus::Pending, JobStatus::Suspended, JobStatus::Running};
    auto collected = std::make_shared<QList<Job>>();
    m_client->listJobs(
        active, this, [collected](const QList<Job> &batch) { *collected << batch; },
        [this, collected](const ApoloResult<Done> &result) {
            if (!result.ok()) {
                m_inFlight = false;
                Q_EMIT refreshFailed(result.error().toString());
                return;
            }
            JobListFilter recent;
            recent.statuses = {JobStatus::Succeeded, JobStatus::Cancelled, JobStatus::Failed};
            recent.since = QDateTime::currentDateTimeUtc().addDays(-1);
            m_client->listJobs(
                recent, this, [collected](const QList<Job> &batch) { *collected << batch; },
                [this, collected](const ApoloResult<Done> &finished) {
                    m_inFlight = false;
                    if (!finished.ok()) {
                        Q_EMIT refreshFailed(finished.error().toString());
                        return;
                    }
                    m_jobs = *collected;
                    m_changedTimer.stop();
                    Q_EMIT jobsChanged(m_jobs);
                    if (m_refreshAgain)
                        refreshNow();
                });
        });
}

void JobsMonitor::updateJob(const Job &job)
{
    const auto it = std::find_if(m_jobs.begin(), m_jobs.end(), [&job](const Job &j) { return j.id == job.id; });
    if (it == m_jobs.end()) {
        refreshNow(); // new to this list: take it with the rest of the listing
        return;
    }
    *it = job;
    // A launch reads all its jobs in one go: their updates become one jobsChanged().
    if (!m_changedTimer.isActive())
        m_changedTimer.start();
}

QMap<QString, QList<Job>> JobsMonitor::activeDeployments() const
{
    QMap<QString, QList<Job>> result;
    for (const Job &job : m_jobs) {
        const QString deployment = deploymentOfJob(job);
        if (!deployment.isEmpty() && isActive(job.status))
            result[deployment].append(job);
    }
    return result;
}

void JobsMonitor::killJob(const QString &jobId)
{
    m_client->killJob(jobId, this, [this, jobId](const ApoloResult<Done> &result) {
        Q_EMIT actionFinished(result.ok(), result.ok() ? tr("Killed %1.").arg(jobId) : result.error().toString());
        refreshNow();
    });
}

void JobsMonitor::extendLifeSpan(const QString &jobId, int additionalMinutes)
{
    m_client->extendLifeSpan(
        jobId, additionalMinutes, this, [this, jobId, additionalMinutes](const ApoloResult<Done> &result) {
            Q_EMIT actionFinished(result.ok(), result.ok()
                                                   ? tr("Extended %1 by %2 minutes.").arg(jobId).arg(additionalMinutes)
                                                   : result.error().toString());
            refreshNow();
        });
}

} // namespace ApoloDeploy
