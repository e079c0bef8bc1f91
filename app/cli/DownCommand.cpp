// SPDX-License-Identifier: GPL-3.0-or-later
// apolo-deploy down: kills every job of a deployment and re-lists by tag until none is active.
#include "apolo/PlatformSession.h"
#include "cli/CliContext.h"
#include "deploy/DeploymentState.h"
#include "deploy/JobPlan.h"
#include "deploy/Teardown.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <memory>

namespace ApoloDeploy {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("DownCommand", text);
}

} // namespace

void runDownCommand(CliContext &context)
{
    QCommandLineParser parser;
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, tr("print this help"));
    const QCommandLineOption name(QStringLiteral("name"), tr("the deployment to tear down"), QStringLiteral("NAME"));
    const QCommandLineOption yes(QStringLiteral("yes"), tr("do it (without --yes only the jobs are listed)"));
    parser.addOptions({help, name, yes});
    if (!parser.parse(context.arguments())) {
        context.usageError(parser.errorText());
        return;
    }
    if (parser.isSet(help)) {
        context.out() << CliContext::helpText(parser, QStringLiteral("down"));
        context.finish(0);
        return;
    }
    QString deploymentName = parser.value(name);
    if (deploymentName.isEmpty()) {
        const QStringList saved = DeploymentStore::names();
        if (saved.size() != 1) {
            context.usageError(
                saved.isEmpty()
                    ? tr("Which deployment? Give --name NAME.")
                    : tr("Which deployment? Give --name with one of: %1.").arg(saved.join(QStringLiteral(", "))));
            return;
        }
        deploymentName = saved.constFirst();
    }
    const bool confirmed = parser.isSet(yes);
    auto *session = new PlatformSession({context.global(), false, nullptr}, QCoreApplication::instance());
    QObject::connect(session, &PlatformSession::failed, session, [&context](const ApoloError &error) {
        context.err() << tr("Cannot reach Apolo: %1").arg(error.toString()) << Qt::endl;
        context.finish(1);
    });
    QObject::connect(session, &PlatformSession::ready, session, [&context, session, deploymentName, confirmed] {
        const std::optional<DeploymentState> state = DeploymentStore::load(deploymentName);
        const QStringList knownIds = state ? state->jobIds() : QStringList();
        if (!confirmed) {
            JobListFilter filter;
            filter.tags = {JobPlanBuilder::deploymentTag(deploymentName)};
            filter.statuses = {JobStatus::Pending, JobStatus::Suspended, JobStatus::Running};
            auto names = std::make_shared<QStringList>();
            session->client()->listJobs(
                filter, session,
                [names](const QList<Job> &jobs) {
                    for (const Job &job : jobs)
                        *names << QStringLiteral("%1 (%2, %3)").arg(job.name, job.id, job.statusText);
                },
                [&context, names, deploymentName](const ApoloResult<Done> &result) {
                    if (!result.ok()) {
                        context.err() << tr("Cannot list jobs: %1").arg(result.error().toString()) << Qt::endl;
                        context.finish(1);
                        return;
                    }
                    if (names->isEmpty()) {
                        context.out() << tr("No job of %1 is active.").arg(deploymentName) << Qt::endl;
                        context.finish(0);
                        return;
                    }
                    context.out() << tr("Would kill:") << Qt::endl;
                    for (const QString &line : std::as_const(*names))
                        context.out() << "  " << line << Qt::endl;
                    context.err() << tr("Add --yes to kill them.") << Qt::endl;
                    context.finish(2);
                });
            return;
        }
        auto *teardown = new Teardown(session->client(), session);
        QObject::connect(teardown, &Teardown::progress, teardown,
                         [&context](const QString &m) { context.out() << m << Qt::endl; });
        QObject::connect(teardown, &Teardown::finished, teardown, [&context, deploymentName](bool ok, const QString &) {
            if (ok)
                DeploymentStore::remove(deploymentName);
            context.finish(ok ? 0 : 1);
        });
        teardown->start(deploymentName, knownIds);
    });
    session->connectToPlatform();
}

} // namespace ApoloDeploy
