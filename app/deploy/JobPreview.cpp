// SPDX-License-Identifier: GPL-3.0-or-later
#include "deploy/JobPreview.h"

#include "flow/PlatformNameRules.h"

#include <QCoreApplication>

namespace ApoloDeploy {

namespace {

using PlatformNameRules::shellJoin;
using PlatformNameRules::shellQuote;

QString tr(const char *text)
{
    return QCoreApplication::translate("JobPreview", text);
}

} // namespace

QString JobPreview::headHostPlaceholder(const QString &deploymentName)
{
    return QStringLiteral("HEAD_HOST_%1")
        .arg(QString(deploymentName).replace(QLatin1Char('-'), QLatin1Char('_')).toUpper());
}

QString JobPreview::serverHostPlaceholder(const QString &deploymentName)
{
    return QStringLiteral("SERVER_HOST_%1")
        .arg(QString(deploymentName).replace(QLatin1Char('-'), QLatin1Char('_')).toUpper());
}

QString JobPreview::apoloRunCommand(const PlannedJob &job, const QString &lifeSpan)
{
    const JobRequest &r = job.request;
    QStringList words{QStringLiteral("apolo"), QStringLiteral("run"), QStringLiteral("--detach")};
    if (!r.presetName.isEmpty())
        words << QStringLiteral("--preset") << r.presetName;
    words << QStringLiteral("--name") << r.name;
    if (!r.description.isEmpty())
        words << QStringLiteral("--description") << r.description;
    for (const QString &tag : r.tags)
        words << QStringLiteral("--tag") << tag;
    words << QStringLiteral("--life-span") << (lifeSpan.isEmpty() ? QStringLiteral("0") : lifeSpan);
    // apolo run exposes port 80 unless told otherwise.
    if (r.http) {
        words << QStringLiteral("--http-port") << QString::number(r.http->port);
        words << (r.http->requiresAuth ? QStringLiteral("--http-auth") : QStringLiteral("--no-http-auth"));
    } else {
        words << QStringLiteral("--http-port") << QStringLiteral("0");
    }
    words << (r.shm ? QStringLiteral("--extshm") : QStringLiteral("--no-extshm"));
    for (const StorageVolumeMount &volume : r.volumes)
        words << QStringLiteral("--volume")
              << volume.srcStorageUri + QLatin1Char(':') + volume.dstPath +
                     (volume.readOnly ? QStringLiteral(":ro") : QStringLiteral(":rw"));
    for (auto it = r.env.cbegin(); it != r.env.cend(); ++it)
        words << QStringLiteral("--env") << it.key() + QLatin1Char('=') + it.value();
    if (!r.entrypoint.isEmpty())
        words << QStringLiteral("--entrypoint") << r.entrypoint;
    words << r.image;
    QString line = shellJoin(words);
    if (!job.argv.isEmpty())
        line += QStringLiteral(" -- ") + shellJoin(job.argv);
    return line;
}

QString JobPreview::script(const Deployment &deployment, const QString &headHost, const QString &serverHost)
{
    const JobPlanBuilder builder(deployment);
    const QString head = headHost.isEmpty() ? headHostPlaceholder(deployment.name) : headHost;
    const QString server = serverHost.isEmpty() ? serverHostPlaceholder(deployment.name) : serverHost;
    QStringList lines;
    lines << tr("# %1: %2 on %3 node(s) x %4 GPU(s), preset %5")
                 .arg(deployment.name, deployment.model)
                 .arg(deployment.nodeCount())
                 .arg(deployment.tensorParallel)
                 .arg(deployment.preset);
    for (const PlannedJob &job : builder.allJobs(head, server)) {
        lines << QString();
        switch (job.role) {
        case JobRole::Head:
            lines << tr("# 1. The Ray head. Wait until it is running, then read its \"Internal Hostname Named\":");
            lines << QStringLiteral("#    apolo status %1").arg(job.request.name);
            break;
        case JobRole::Worker: lines << tr("# Ray worker %1 joins the head.").arg(job.workerIndex); break;
        case JobRole::Server:
            lines << (deployment.pipelineParallel > 1
                          ? tr("# The last node joins the cluster, then serves the OpenAI API on port 8000.")
                          : tr("# The vLLM OpenAI server on port 8000."));
            break;
        case JobRole::Web:
            lines << tr("# Open WebUI, once the server is running (its \"Internal Hostname Named\" goes below).");
            break;
        }
        if (headHost.isEmpty() && job.role != JobRole::Head && job.role != JobRole::Web &&
            deployment.pipelineParallel > 1)
            lines << tr("# Replace %1 with the head's Internal Hostname Named.").arg(head);
        if (serverHost.isEmpty() && job.role == JobRole::Web)
            lines << tr("# Replace %1 with %2's Internal Hostname Named.")
                         .arg(server, JobPlanBuilder::jobName(deployment.name, JobRole::Server));
        lines << apoloRunCommand(job, deployment.lifeSpan);
    }
    lines << QString() << tr("# Tear down: apolo kill %1").arg([&] {
        QStringList names;
        for (const PlannedJob &job : builder.allJobs(head, server))
            names << job.request.name;
        return names.join(QLatin1Char(' '));
    }());
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace ApoloDeploy
