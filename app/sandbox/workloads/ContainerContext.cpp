// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/workloads/ContainerContext.h"

namespace ApoloDeploy::Sandbox {

namespace {

quint32 fnv1a(const QString &text)
{
    quint32 hash = 2166136261u;
    for (char c : text.toUtf8()) {
        hash ^= quint8(c);
        hash *= 16777619u;
    }
    return hash;
}

} // namespace

double ContainerContext::timeScale() const
{
    const double scale = host ? host->timeScale() : 1.0;
    return scale > 0 ? scale : 1.0;
}

QString ContainerContext::podIp(const QString &hostname)
{
    const quint32 hash = fnv1a(hostname.section(QLatin1Char(':'), 0, 0));
    return QStringLiteral("10.244.%1.%2").arg((hash >> 8) % 250 + 1).arg(hash % 250 + 2);
}

quint32 ContainerContext::seed() const
{
    return fnv1a(spec.jobId);
}

} // namespace ApoloDeploy::Sandbox
