// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QStringList>
#include <QUrlQuery>

#include <optional>

namespace ApoloDeploy::Sandbox {

struct SandboxJob;

// The query of GET /jobs (platform-api JobFilterFactory): repeatable status, owner, tag (all
// must match), cluster/org/project; name; since/until on created_at (inclusive); reverse; limit;
// the bool flags materialized/being_dropped/logs_removed; hostname lookup.
class JobListFilter
{
public:
    bool parse(const QUrlQuery &query, QString *error);
    QList<const SandboxJob *> apply(const QList<const SandboxJob *> &jobs) const;

private:
    bool matches(const SandboxJob &job) const;

    QStringList m_statuses, m_owners, m_tags, m_clusters, m_orgs, m_projects;
    QString m_name;
    QString m_hostname;
    std::optional<qint64> m_sinceNs, m_untilNs;
    std::optional<bool> m_materialized, m_beingDropped, m_logsRemoved;
    bool m_reverse = false;
    int m_limit = 0;
};

} // namespace ApoloDeploy::Sandbox
