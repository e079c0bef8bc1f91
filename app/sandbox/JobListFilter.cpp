// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/JobListFilter.h"

#include "sandbox/SandboxJob.h"
#include "sandbox/SimClock.h"

#include <algorithm>

namespace ApoloDeploy::Sandbox {

namespace {

std::optional<bool> parseBool(const QString &text, bool *ok)
{
    const QString lower = text.toLower();
    *ok = true;
    if (lower == QLatin1String("1") || lower == QLatin1String("true"))
        return true;
    if (lower == QLatin1String("0") || lower == QLatin1String("false"))
        return false;
    *ok = false;
    return std::nullopt;
}

} // namespace

bool JobListFilter::parse(const QUrlQuery &query, QString *error)
{
    static const QStringList knownStatuses{QStringLiteral("pending"),   QStringLiteral("suspended"),
                                           QStringLiteral("running"),   QStringLiteral("succeeded"),
                                           QStringLiteral("cancelled"), QStringLiteral("failed")};
    const auto values = [&query](const char *key) {
        return query.allQueryItemValues(QLatin1String(key), QUrl::FullyDecoded);
    };
    m_statuses = values("status");
    for (const QString &status : std::as_const(m_statuses)) {
        if (!knownStatuses.contains(status)) {
            *error = QStringLiteral("{'status': DataError(\"value doesn't match any variant\")}");
            return false;
        }
    }
    m_owners = values("owner") + values("base_owner");
    m_tags = values("tag");
    m_clusters = values("cluster_name");
    m_orgs = values("org_name");
    m_projects = values("project_name");
    m_name = query.queryItemValue(QStringLiteral("name"), QUrl::FullyDecoded);
    m_hostname = query.queryItemValue(QStringLiteral("hostname"), QUrl::FullyDecoded);
    for (const auto &[key, target] : {std::pair{"since", &m_sinceNs}, std::pair{"until", &m_untilNs}}) {
        const QString text = query.queryItemValue(QLatin1String(key), QUrl::FullyDecoded);
        if (text.isEmpty())
            continue;
        qint64 ns = 0;
        if (!SimClock::parseIso(text, &ns)) {
            *error = QStringLiteral("{'%1': DataError('value is not a datetime: %2')}").arg(QLatin1String(key), text);
            return false;
        }
        *target = ns;
    }
    for (const auto &[key, target] :
         {std::pair{"materialized", &m_materialized}, std::pair{"being_dropped", &m_beingDropped},
          std::pair{"logs_removed", &m_logsRemoved},
          std::pair{"reverse", static_cast<std::optional<bool> *>(nullptr)}}) {
        const QString text = query.queryItemValue(QLatin1String(key), QUrl::FullyDecoded);
        if (text.isEmpty())
            continue;
        bool ok = false;
        const std::optional<bool> value = parseBool(text, &ok);
        if (!ok) {
            *error = QStringLiteral("{'%1': DataError('value should be True or False')}").arg(QLatin1String(key));
            return false;
        }
        if (target)
            *target = value;
        else
            m_reverse = *value;
    }
    const QString limit = query.queryItemValue(QStringLiteral("limit"));
    if (!limit.isEmpty()) {
        bool ok = false;
        m_limit = limit.toInt(&ok);
        if (!ok || m_limit <= 0) {
            *error = QStringLiteral("{'limit': DataError('value is less than 1')}");
            return false;
        }
    }
    if (!m_hostname.isEmpty() &&
        (!m_name.isEmpty() || !m_projects.isEmpty() || !m_clusters.isEmpty() || m_sinceNs || m_untilNs)) {
        *error = QStringLiteral("Invalid request");
        return false;
    }
    return true;
}

bool JobListFilter::matches(const SandboxJob &job) const
{
    if (!m_statuses.isEmpty() && !m_statuses.contains(job.status()))
        return false;
    if (!m_owners.isEmpty() && !m_owners.contains(job.owner))
        return false;
    for (const QString &tag : m_tags) {
        if (!job.tags.contains(tag))
            return false;
    }
    if (!m_clusters.isEmpty() && !m_clusters.contains(job.clusterName))
        return false;
    if (!m_orgs.isEmpty() && !m_orgs.contains(job.orgName))
        return false;
    if (!m_projects.isEmpty() && !m_projects.contains(job.projectName))
        return false;
    if (!m_name.isEmpty() && job.name != m_name)
        return false;
    if (m_sinceNs && job.createdNs < *m_sinceNs)
        return false;
    if (m_untilNs && job.createdNs > *m_untilNs)
        return false;
    if (m_materialized && !*m_materialized)
        return false; // every sandbox job is materialized
    if ((m_beingDropped && *m_beingDropped) || (m_logsRemoved && *m_logsRemoved))
        return false; // and none is being dropped
    if (!m_hostname.isEmpty()) {
        const QString host = m_hostname.section(u'.', 0, 0);
        const bool byId = host == job.id;
        const bool byName = !job.name.isEmpty() && host == job.name + QStringLiteral("--") + job.orgProjectHash;
        if (!byId && !byName)
            return false;
    }
    return true;
}

QList<const SandboxJob *> JobListFilter::apply(const QList<const SandboxJob *> &jobs) const
{
    QList<const SandboxJob *> result;
    for (const SandboxJob *job : jobs) {
        if (matches(*job))
            result.append(job);
    }
    if (m_reverse)
        std::reverse(result.begin(), result.end());
    if (m_limit > 0 && result.size() > m_limit)
        result.resize(m_limit);
    return result;
}

} // namespace ApoloDeploy::Sandbox
