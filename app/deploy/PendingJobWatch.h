// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apolo/PlatformTypes.h"

#include <QHash>
#include <QStringList>

namespace ApoloDeploy {

// Says why a launch is waiting. A job can stay pending for many minutes (a full quota, a cluster
// scaling up, a large image being pulled) and a launch that only says "Waiting for the Ray head"
// looks hung. For each job: its pending reason and the platform's description, once per change
// ("r1-head is pending: Scheduling"), and, if it keeps waiting for a node, once a hint on what
// to do about it.
class PendingJobWatch
{
public:
    // How long a job may wait for a node before the hint is given.
    explicit PendingJobWatch(qint64 capacityHintAfterMs = 2 * 60 * 1000);

    // The lines to show for this status of the job (none most of the time).
    QStringList update(const Job &job, qint64 nowMs);
    void clear() { m_seen.clear(); }

private:
    struct Seen
    {
        QString reason;
        QString description;
        qint64 waitingForNodeSinceMs = -1;
        bool hinted = false;
    };

    qint64 m_capacityHintAfterMs;
    QHash<QString, Seen> m_seen; // job id ->
};

} // namespace ApoloDeploy
