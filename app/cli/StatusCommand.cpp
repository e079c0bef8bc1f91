// SPDX-License-Identifier: GPL-3.0-or-later
// apolo-deploy status: the jobs of one deployment (or of every deployment this app launched)
// with their status, endpoint and cost, as text or --json.
#include "apolo/PlatformSession.h"
#include "cli/CliContext.h"
#include "deploy/CostMeter.h"
#include "deploy/DeploymentState.h"
#include "deploy/JobPlan.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <memory>

namespace ApoloDeploy {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("StatusCommand", text);
}

QString tagValue(const Job &job, const QString &prefix)
{
    for (const QString &tag : job.tags) {
        if (tag.startsWith(prefix))
            return tag.mid(prefix.size());
    }
    return {};
}

QJsonObject jobJson(const Job &job)
{
    return {{QStringLiteral("id"), job.id},
            {QStringLiteral("name"), job.name},
            {QStringLiteral("role"), tagValue(job, QStringLiteral("role:"))},
            {QStringLiteral("status"), job.statusText},
            {QStringLiteral("reason"), job.history.reason},
            {QStringLiteral("statusDescription"), job.history.description},
            {QStringLiteral("description"), job.description},
            {QStringLiteral("preset"), job.presetName},
            {QStringLiteral("httpUrl"), job.preferredHttpUrl().toString()},
            {QStringLiteral("internalHostnameNamed"), job.internalHostnameNamed},
            {QStringLiteral("runTimeSeconds"), job.runTimeSeconds()},
            {QStringLiteral("priceCreditsPerHour"), job.priceCreditsPerHour},
            {QStringLiteral("totalPriceCredits"), job.totalPriceCredits}};
}

// The serving job's current http_url: the saved one goes stale when a job (or the sandbox) moved.
QUrl endpointOf(const QList<Job> &jobs, const std::optional<DeploymentState> &state)
{
    for (const Job &job : jobs) {
        if (job.tags.contains(QStringLiteral("role:server")) && isActive(job.status) &&
            job.preferredHttpUrl().isValid())
            return job.preferredHttpUrl();
    }
    return state ? state->endpoint : QUrl();
}

void printText(QTextStream &out, const QString &name, const QList<Job> &jobs)
{
    const std::optional<DeploymentState> state = DeploymentStore::load(name);
    const CostMeter::Summary cost = CostMeter().summarize(jobs);
    out << name;
    if (state)
        out << "  [" << launchPhaseDisplayName(state->phase) << "]  " << state->deployment.model;
    out << Qt::endl;
    if (const QUrl endpoint = endpointOf(jobs, state); endpoint.isValid())
        out << "  " << tr("endpoint: %1/v1").arg(endpoint.toString(QUrl::StripTrailingSlash)) << Qt::endl;
    if (state && !state->failureReason.isEmpty())
        out << "  " << tr("failure: %1").arg(state->failureReason) << Qt::endl;
    for (const Job &job : jobs) {
        QString status = job.statusText;
        if (!job.history.reason.isEmpty())
            status += QLatin1Char(' ') + job.history.reason;
        out << "  " << job.name.leftJustified(24) << ' ' << status.leftJustified(22) << ' ' << job.id << ' '
            << CostMeter::formatRate(Decimal::parse(job.priceCreditsPerHour).value_or(Decimal())) << Qt::endl;
    }
    out << "  "
        << tr("spent %1, now %2").arg(CostMeter::formatCredits(cost.spent), CostMeter::formatRate(cost.creditsPerHour));
    if (cost.projectedTotal)
        out << tr(", %1 by the end of the life span").arg(CostMeter::formatCredits(*cost.projectedTotal));
    out << Qt::endl;
}

} // namespace

void runStatusCommand(CliContext &context)
{
    QCommandLineParser parser;
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, tr("print this help"));
    const QCommandLineOption name(QStringLiteral("name"), tr("the deployment (default: every deployment)"),
                                  QStringLiteral("NAME"));
    const QCommandLineOption json(QStringLiteral("json"), tr("print JSON"));
    const QCommandLineOption all(QStringLiteral("all"), tr("include finished jobs"));
    parser.addOptions({help, name, json, all});
    if (!parser.parse(context.arguments())) {
        context.usageError(parser.errorText());
        return;
    }
    if (parser.isSet(help)) {
        context.out() << CliContext::helpText(parser, QStringLiteral("status"));
        context.finish(0);
        return;
    }
    auto *session = new PlatformSession({context.global(), false, nullptr}, QCoreApplication::instance());
    const QString deploymentName = parser.value(name);
    const bool asJson = parser.isSet(json);
    const bool includeFinished = parser.isSet(all);
    QObject::connect(session, &PlatformSession::failed, session, [&context](const ApoloError &error) {
        context.err() << tr("Cannot reach Apolo: %1").arg(error.toString()) << Qt::endl;
        context.finish(1);
    });
    QObject::connect(
        session, &PlatformSession::ready, session, [&context, session, deploymentName, asJson, includeFinished] {
            JobListFilter filter;
            filter.tags = {deploymentName.isEmpty() ? QStringLiteral("managed-by:apolo-deploy")
                                                    : JobPlanBuilder::deploymentTag(deploymentName)};
            if (!includeFinished)
                filter.statuses = {JobStatus::Pending, JobStatus::Suspended, JobStatus::Running};
            auto jobs = std::make_shared<QList<Job>>();
            session->client()->listJobs(
                filter, session, [jobs](const QList<Job> &batch) { *jobs << batch; },
                [&context, jobs, deploymentName, asJson](const ApoloResult<Done> &result) {
                    if (!result.ok()) {
                        context.err() << tr("Cannot list jobs: %1").arg(result.error().toString()) << Qt::endl;
                        context.finish(1);
                        return;
                    }
                    QMap<QString, QList<Job>> byDeployment;
                    for (const Job &job : std::as_const(*jobs))
                        byDeployment[tagValue(job, QStringLiteral("deployment:"))].append(job);
                    if (!deploymentName.isEmpty() && !byDeployment.contains(deploymentName))
                        byDeployment.insert(deploymentName, {});
                    if (asJson) {
                        QJsonArray deployments;
                        for (auto it = byDeployment.cbegin(); it != byDeployment.cend(); ++it) {
                            const std::optional<DeploymentState> state = DeploymentStore::load(it.key());
                            const CostMeter::Summary cost = CostMeter().summarize(it.value());
                            QJsonArray jobArray;
                            for (const Job &job : it.value())
                                jobArray.append(jobJson(job));
                            QJsonObject object{
                                {QStringLiteral("name"), it.key()},
                                {QStringLiteral("jobs"), jobArray},
                                {QStringLiteral("activeJobs"), cost.activeJobs},
                                {QStringLiteral("spentCredits"), cost.spent.toString()},
                                {QStringLiteral("creditsPerHour"), cost.creditsPerHour.toString()},
                                {QStringLiteral("projectedCredits"),
                                 cost.projectedTotal ? QJsonValue(cost.projectedTotal->toString()) : QJsonValue()}};
                            if (state) {
                                object.insert(QStringLiteral("phase"), launchPhaseId(state->phase));
                                object.insert(QStringLiteral("model"), state->deployment.model);
                                object.insert(QStringLiteral("servedModelName"),
                                              state->deployment.effectiveServedModelName());
                                object.insert(QStringLiteral("endpoint"), endpointOf(it.value(), state).toString());
                                object.insert(QStringLiteral("failureReason"), state->failureReason);
                            }
                            deployments.append(object);
                        }
                        context.out()
                            << QJsonDocument(QJsonObject{{QStringLiteral("deployments"), deployments}}).toJson();
                    } else if (byDeployment.isEmpty()) {
                        context.out() << tr("No active deployment.") << Qt::endl;
                    } else {
                        for (auto it = byDeployment.cbegin(); it != byDeployment.cend(); ++it)
                            printText(context.out(), it.key(), it.value());
                    }
                    context.finish(0);
                });
        });
    session->connectToPlatform();
}

} // namespace ApoloDeploy
