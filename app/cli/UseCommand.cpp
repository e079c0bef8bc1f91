// SPDX-License-Identifier: GPL-3.0-or-later
// apolo-deploy use [--cluster C] [--org O] [--project P]: list the projects the account can use, or
// switch the current cluster / org / project (remembered for later commands and the console).
#include "cli/CliContext.h"
#include "cli/PlatformCli.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace ApoloDeploy {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Cli", text);
}

void printProjects(QTextStream &stream, const PlatformSession &session, bool json)
{
    const ServerConfig &config = session.client()->serverConfig();
    const ProjectScope &current = session.scope();
    if (json) {
        QJsonArray projects;
        for (const Project &project : config.projects) {
            projects.append(QJsonObject{{QStringLiteral("cluster"), project.clusterName},
                                        {QStringLiteral("org"), project.orgName},
                                        {QStringLiteral("project"), project.name},
                                        {QStringLiteral("role"), project.role},
                                        {QStringLiteral("current"), project.clusterName == current.cluster &&
                                                                        project.orgName == current.org &&
                                                                        project.name == current.project}});
        }
        stream << QJsonDocument(projects).toJson(QJsonDocument::Indented);
        return;
    }
    QList<QStringList> rows{{QString(), tr("CLUSTER"), tr("ORG"), tr("PROJECT"), tr("ROLE")}};
    for (const Project &project : config.projects) {
        const bool isCurrent =
            project.clusterName == current.cluster && project.orgName == current.org && project.name == current.project;
        rows << QStringList{isCurrent ? QStringLiteral("*") : QString(), project.clusterName, project.orgName,
                            project.name, project.role};
    }
    stream << PlatformCli::formatTable(rows);
    if (config.projects.isEmpty())
        stream << tr("No projects: create one in the Apolo console.") << Qt::endl;
}

} // namespace

void runUseCommand(CliContext &context)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Without options: list the projects you can use (* marks the current one). With options: make "
           "that cluster / org / project current; what is not given stays as it is."));
    const QCommandLineOption cluster(QStringLiteral("cluster"), tr("cluster name"), QStringLiteral("NAME"));
    const QCommandLineOption org(QStringLiteral("org"), tr("organization name"), QStringLiteral("NAME"));
    const QCommandLineOption project(QStringLiteral("project"), tr("project name"), QStringLiteral("NAME"));
    const QCommandLineOption json(QStringLiteral("json"), tr("print JSON"));
    parser.addOptions({cluster, org, project, json});
    if (!context.parse(parser))
        return;
    const bool change = parser.isSet(cluster) || parser.isSet(org) || parser.isSet(project);
    const bool asJson = parser.isSet(json);
    ProjectScope wanted{parser.value(cluster), parser.value(org), parser.value(project)};
    CliContext *ctx = &context;
    PlatformCli::withSession(context, [ctx, change, asJson, wanted](PlatformSession &session) mutable {
        if (!change) {
            printProjects(ctx->out(), session, asJson);
            return ctx->finish(0);
        }
        const ProjectScope &current = session.scope();
        if (wanted.cluster.isEmpty())
            wanted.cluster = current.cluster;
        if (wanted.org.isEmpty())
            wanted.org = current.org;
        if (wanted.project.isEmpty())
            wanted.project = current.project;
        if (const ApoloError error = session.selectScope(wanted); error.isError()) {
            PlatformCli::fail(*ctx, error);
            ctx->err() << tr("Projects you can use:") << Qt::endl;
            printProjects(ctx->err(), session, false);
            return;
        }
        ctx->out() << tr("Now using cluster %1, org %2, project %3.").arg(wanted.cluster, wanted.org, wanted.project)
                   << Qt::endl;
        ctx->finish(0);
    });
}

} // namespace ApoloDeploy
