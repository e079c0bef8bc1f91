// SPDX-License-Identifier: GPL-3.0-or-later
#include "apolo/ApiUrls.h"

#include "apolo/ApiJson.h"

#include <QRegularExpression>

namespace ApoloDeploy::ApiUrls {

QUrl join(const QUrl &base, const QStringList &segments, const QueryItems &query)
{
    QUrl url = base;
    QString path = url.path(QUrl::FullyEncoded);
    while (path.endsWith(u'/'))
        path.chop(1);
    for (const QString &segment : segments)
        path += u'/' + QString::fromLatin1(QUrl::toPercentEncoding(segment));
    url.setPath(path, QUrl::StrictMode);
    QString encoded;
    for (const auto &[key, value] : query) {
        if (!encoded.isEmpty())
            encoded += u'&';
        encoded += QString::fromLatin1(QUrl::toPercentEncoding(key));
        if (!value.isNull())
            encoded += u'=' + QString::fromLatin1(QUrl::toPercentEncoding(value));
    }
    url.setQuery(encoded.isEmpty() ? QString() : encoded, QUrl::StrictMode);
    return url;
}

QUrl jobList(const QUrl &apiUrl, const JobListFilter &filter, const ProjectScope &scope)
{
    QueryItems query;
    for (JobStatus status : filter.statuses)
        query << qMakePair(QStringLiteral("status"), jobStatusToString(status));
    if (!filter.name.isEmpty())
        query << qMakePair(QStringLiteral("name"), filter.name);
    for (const QString &owner : filter.owners)
        query << qMakePair(QStringLiteral("owner"), owner);
    for (const QString &tag : filter.tags)
        query << qMakePair(QStringLiteral("tag"), tag);
    const QString cluster = filter.scope.cluster.isEmpty() ? scope.cluster : filter.scope.cluster;
    const QString org = filter.scope.org.isEmpty() ? scope.org : filter.scope.org;
    const QString project = filter.scope.project.isEmpty() ? scope.project : filter.scope.project;
    if (!cluster.isEmpty())
        query << qMakePair(QStringLiteral("cluster_name"), cluster);
    if (!org.isEmpty())
        query << qMakePair(QStringLiteral("org_name"), org);
    if (!filter.allProjects && !project.isEmpty())
        query << qMakePair(QStringLiteral("project_name"), project);
    if (filter.since.isValid())
        query << qMakePair(QStringLiteral("since"), ApiJson::formatTimestamp(filter.since));
    if (filter.until.isValid())
        query << qMakePair(QStringLiteral("until"), ApiJson::formatTimestamp(filter.until));
    if (filter.reverse)
        query << qMakePair(QStringLiteral("reverse"), QStringLiteral("1"));
    if (filter.limit > 0)
        query << qMakePair(QStringLiteral("limit"), QString::number(filter.limit));
    query << qMakePair(QStringLiteral("being_dropped"), QStringLiteral("False"))
          << qMakePair(QStringLiteral("logs_removed"), QStringLiteral("False"));
    return join(apiUrl, {QStringLiteral("jobs")}, query);
}

QUrl jobLookup(const QUrl &apiUrl, const QString &name, const ProjectScope &scope)
{
    const QueryItems query{{QStringLiteral("name"), name},
                           {QStringLiteral("project_name"), scope.project},
                           {QStringLiteral("reverse"), QStringLiteral("1")},
                           {QStringLiteral("cluster_name"), scope.cluster},
                           {QStringLiteral("org_name"), scope.org},
                           {QStringLiteral("being_dropped"), QStringLiteral("False")},
                           {QStringLiteral("logs_removed"), QStringLiteral("False")},
                           {QStringLiteral("limit"), QStringLiteral("1")}};
    return join(apiUrl, {QStringLiteral("jobs")}, query);
}

bool isJobId(const QString &text)
{
    static const QRegularExpression pattern(
        QStringLiteral("^job-[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}$"));
    return pattern.match(text).hasMatch();
}

} // namespace ApoloDeploy::ApiUrls
