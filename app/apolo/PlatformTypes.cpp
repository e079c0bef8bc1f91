// SPDX-License-Identifier: GPL-3.0-or-later
#include "apolo/PlatformTypes.h"

namespace ApoloDeploy {

const Preset *Cluster::preset(const QString &presetName) const
{
    for (const Preset &p : presets) {
        if (p.name == presetName)
            return &p;
    }
    return nullptr;
}

const Cluster *ServerConfig::cluster(const QString &clusterName) const
{
    for (const Cluster &c : clusters) {
        if (c.name == clusterName)
            return &c;
    }
    return nullptr;
}

JobStatus jobStatusFromString(QStringView status)
{
    if (status == u"pending")
        return JobStatus::Pending;
    if (status == u"suspended")
        return JobStatus::Suspended;
    if (status == u"running")
        return JobStatus::Running;
    if (status == u"succeeded")
        return JobStatus::Succeeded;
    if (status == u"cancelled")
        return JobStatus::Cancelled;
    if (status == u"failed")
        return JobStatus::Failed;
    return JobStatus::Unknown;
}

QString jobStatusToString(JobStatus status)
{
    switch (status) {
    case JobStatus::Pending: return QStringLiteral("pending");
    case JobStatus::Suspended: return QStringLiteral("suspended");
    case JobStatus::Running: return QStringLiteral("running");
    case JobStatus::Succeeded: return QStringLiteral("succeeded");
    case JobStatus::Cancelled: return QStringLiteral("cancelled");
    case JobStatus::Failed: return QStringLiteral("failed");
    case JobStatus::Unknown: break;
    }
    return QStringLiteral("unknown");
}

} // namespace ApoloDeploy
