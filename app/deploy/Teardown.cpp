// SPDX-License-Identifier: GPL-3.0-or-later
#include "deploy/Teardown.h"

#include "apolo/ApoloClient.h"
#include "deploy/JobPlan.h"

#include <QCoreApplication>

#include <memory>

namespace ApoloDeploy {

Teardown::Teardown(ApoloClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &Teardown::listActive);
}

void Teardown::start(const QString &deploymentName, const QStringList &knownJobIds)
{
    m_name = deploymentName;
    m_knownIds = knownJobIds;
    m_killRequested.clear();
    m_killed = 0;
    m_running = true;
    m_elapsed.start();
    Q_EMIT progress(tr("Tearing down %1…").arg(deploymentName));
    listActive();
}

void Teardown::listActive()
{
    JobListFilter filter;
    filter.tags = {JobPlanBuilder::deploymentTag(m_name)};
    filter.statuses = {JobStatus::Pending, JobStatus::Suspended, JobStatus::Running};
    auto active = std::make_shared<QList<Job>>();
    m_client->listJobs(
        filter, this, [active](const QList<Job> &jobs) { *active << jobs; },
        [this, active](const ApoloResult<Done> &result) {
            if (!result.ok()) {
                if (m_elapsed.elapsed() > m_options.timeoutMs) {
                    finish(false, tr("Could not list the jobs of %1: %2").arg(m_name, result.error().toString()));
                    return;
                }
                Q_EMIT progress(tr("Listing the jobs failed (%1); trying again.").arg(result.error().toString()));
                m_pollTimer.start(m_options.pollIntervalMs);
                return;
            }
            // Known ids that the tag listing does not show: finished already, or created a moment
            // ago and not listed yet. Ask for each, so only the active ones are killed.
            QStringList unlisted;
            for (const QString &id : std::as_const(m_knownIds)) {
                const bool listed =
                    std::any_of(active->cbegin(), active->cend(), [&](const Job &j) { return j.id == id; });
                if (!listed && !m_killRequested.contains(id))
                    unlisted << id;
            }
            addActiveKnownJobs(unlisted, active, [this, active] { onActiveListed(*active); });
        });
}

void Teardown::addActiveKnownJobs(const QStringList &ids, std::shared_ptr<QList<Job>> active,
                                  std::function<void()> then)
{
    if (ids.isEmpty()) {
        then();
        return;
    }
    auto remaining = std::make_shared<int>(int(ids.size()));
    for (const QString &id : ids) {
        m_client->getJob(id, this, [this, id, active, remaining, then](const ApoloResult<Job> &result) {
            if (result.ok() && isActive(result->status)) {
                active->append(result.value());
            } else if (!result.ok() && result.error().kind != ApoloError::Kind::NotFound) {
                Job unknown; // cannot tell: kill to be safe (a DELETE of a finished job is harmless)
                unknown.id = id;
                unknown.name = id;
                active->append(unknown);
            } else {
                m_knownIds.removeAll(id); // finished or gone: nothing to kill
            }
            if (--*remaining == 0)
                then();
        });
    }
}

void Teardown::onActiveListed(const QList<Job> &active)
{
    if (active.isEmpty()) {
        finish(true, m_killed > 0
                         ? tr("All jobs of %1 are stopped (%2 killed); none is active.").arg(m_name).arg(m_killed)
                         : tr("No job of %1 is active.").arg(m_name));
        return;
    }
    if (m_elapsed.elapsed() > m_options.timeoutMs) {
        QStringList names;
        for (const Job &job : active)
            names << job.name;
        finish(false, tr("These jobs of %1 are still active: %2. Kill them with 'apolo kill'.")
                          .arg(m_name, names.join(QStringLiteral(", "))));
        return;
    }
    killAll(active);
}

void Teardown::killAll(const QList<Job> &jobs)
{
    auto remaining = std::make_shared<int>(0);
    for (const Job &job : jobs) {
        if (m_killRequested.contains(job.id))
            continue;
        m_killRequested << job.id;
        ++*remaining;
        Q_EMIT progress(tr("Killing %1 (%2)…").arg(job.name, job.id));
        m_client->killJob(job.id, this, [this, remaining, job](const ApoloResult<Done> &result) {
            if (result.ok() || result.error().kind == ApoloError::Kind::NotFound)
                ++m_killed;
            else {
                Q_EMIT progress(tr("Killing %1 failed: %2").arg(job.name, result.error().toString()));
                m_killRequested.removeAll(job.id); // ask again on the next round
            }
            if (--*remaining == 0)
                m_pollTimer.start(m_options.pollIntervalMs);
        });
    }
    if (*remaining == 0) // every active job is already being cancelled: wait for the listing to agree
        m_pollTimer.start(m_options.pollIntervalMs);
}

void Teardown::finish(bool ok, const QString &message)
{
    m_running = false;
    m_pollTimer.stop();
    Q_EMIT progress(message);
    Q_EMIT finished(ok, message, m_killed);
}

} // namespace ApoloDeploy
