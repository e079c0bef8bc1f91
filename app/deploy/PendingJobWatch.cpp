// SPDX-License-Identifier: GPL-3.0-or-later
#include "deploy/PendingJobWatch.h"

#include <QCoreApplication>

namespace ApoloDeploy {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("PendingJobWatch", text);
}

// The reasons under which a job waits for a node to be free or to be added (apolo-api.md §3.5).
bool waitsForNode(const QString &reason)
{
    return reason == QLatin1String("Scheduling") || reason == QLatin1String("ClusterScalingUp");
}

} // namespace

PendingJobWatch::PendingJobWatch(qint64 capacityHintAfterMs)
    : m_capacityHintAfterMs(capacityHintAfterMs)
{}

QStringList PendingJobWatch::update(const Job &job, qint64 nowMs)
{
    QStringList lines;
    const QString name = job.name.isEmpty() ? job.id : job.name;
    if (job.status != JobStatus::Pending) {
        m_seen.remove(job.id);
        return lines;
    }
    Seen &seen = m_seen[job.id];
    const QString &reason = job.history.reason;
    const QString &description = job.history.description;
    if (reason != seen.reason || description != seen.description) {
        seen.reason = reason;
        seen.description = description;
        if (!reason.isEmpty()) {
            lines << (description.isEmpty() || description == reason
                          ? tr("%1 is pending: %2").arg(name, reason)
                          : tr("%1 is pending: %2 (%3)").arg(name, reason, description));
        }
    }
    if (!waitsForNode(reason)) {
        seen.waitingForNodeSinceMs = -1;
        return lines;
    }
    if (seen.waitingForNodeSinceMs < 0)
        seen.waitingForNodeSinceMs = nowMs;
    if (!seen.hinted && nowMs - seen.waitingForNodeSinceMs >= m_capacityHintAfterMs) {
        seen.hinted = true;
        const QString preset = job.presetName.isEmpty() ? tr("its preset") : job.presetName;
        lines << tr("%1 has waited %2 min for a node with %3: the cluster has none free (other jobs, or "
                    "your running-jobs quota) or is adding one. The preset list (`apolo-deploy presets`) shows "
                    "what is free. Wait (the platform gives up after its scheduling timeout with "
                    "ClusterScaleUpFailed), or tear down and launch with another preset.")
                     .arg(name)
                     .arg((nowMs - seen.waitingForNodeSinceMs) / 60000)
                     .arg(preset);
    }
    return lines;
}

} // namespace ApoloDeploy
