// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apolo/PlatformTypes.h"

#include <QPair>
#include <QUrl>

// Pure URL builders of the API calls (specs/apolo-api.md §3-§8), unit-tested.
namespace ApoloDeploy::ApiUrls {

using QueryItems = QList<QPair<QString, QString>>;

// base + "/" + path segments (each percent-encoded) + query. Query values are fully encoded,
// so "+" in a timestamp becomes %2B (a raw "+" would be decoded as a space by the server).
QUrl join(const QUrl &base, const QStringList &segments, const QueryItems &query = {});

// GET /jobs with the filter; unset scope fields come from `scope` (§4.2). The SDK's defaults
// being_dropped=False&logs_removed=False are always sent.
QUrl jobList(const QUrl &apiUrl, const JobListFilter &filter, const ProjectScope &scope);
// The §4.5 name lookup: name, project, reverse=1, cluster, org, limit=1.
QUrl jobLookup(const QUrl &apiUrl, const QString &name, const ProjectScope &scope);
// True for a literal job id: job-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (lowercase hex/alnum).
bool isJobId(const QString &text);

} // namespace ApoloDeploy::ApiUrls
