// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apolo/PlatformTypes.h"

#include <QObject>
#include <QTimer>

namespace ApoloDeploy {

class ApoloClient;

// Polls the current project's jobs (active ones, plus those finished in the last day) for the
// jobs pane and the cost meter. One request in flight at a time; the list is replaced whole.
class JobsMonitor final : public QObject
{
    Q_OBJECT

public:
    explicit JobsMonitor(ApoloClient *client, QObject *parent = nullptr);

    void setIntervalMs(int milliseconds) { m_timer.setInterval(milliseconds); }
    void start();
    void stop();
    void refreshNow();
    // A fresher state of one job, read elsewhere (the launch polls its own jobs every few seconds).
    void updateJob(const Job &job);
    const QList<Job> &jobs() const { return m_jobs; }
    // Active jobs tagged deployment:<name>, grouped by that name.
    QMap<QString, QList<Job>> activeDeployments() const;

    // Actions on one job or a whole deployment; the result arrives as actionFinished().
    void killJob(const QString &jobId);
    void extendLifeSpan(const QString &jobId, int additionalMinutes);

Q_SIGNALS:
    void jobsChanged(const QList<ApoloDeploy::Job> &jobs);
    void refreshFailed(const QString &message);
    void actionFinished(bool ok, const QString &message);

private:
    ApoloClient *m_client;
    QTimer m_timer;
    QTimer m_changedTimer; // coalesces updateJob() calls
    QList<Job> m_jobs;
    bool m_inFlight = false;
    bool m_refreshAgain = false; // refreshNow() was called while a listing ran
};

QString deploymentOfJob(const Job &job); // the value of its deployment:<name> tag, or empty

} // namespace ApoloDeploy
