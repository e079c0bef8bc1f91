// SPDX-License-Identifier: GPL-3.0-or-later
// apolo-deploy jobs [--all] [--json] and apolo-deploy kill JOB…
#include "cli/CliContext.h"
#include "cli/PlatformCli.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <limits>
#include <memory>

namespace ApoloDeploy {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Cli", text);
}

QJsonObject jobToJson(const Job &job)
{
    auto orNull = [](const QString &text) { return text.isEmpty() ? QJsonValue() : QJsonValue(text); };
    return QJsonObject{
        {QStringLiteral("id"), job.id},
        {QStringLiteral("name"), orNull(job.name)},
        {QStringLiteral("status"), job.statusText},
        {QStringLiteral("reason"), orNull(job.reason)},
        {QStringLiteral("preset_name"), orNull(job.presetName)},
        {QStringLiteral("image"), job.container.image},
        {QStringLiteral("created_at"),
         job.createdAt().isValid() ? QJsonValue(job.createdAt().toString(Qt::ISODateWithMs)) : QJsonValue()},
        {QStringLiteral("http_url"),
         job.preferredHttpUrl().isValid() ? QJsonValue(job.preferredHttpUrl().toString()) : QJsonValue()},
        {QStringLiteral("internal_hostname_named"), orNull(job.internalHostnameNamed)},
        {QStringLiteral("price_credits_per_hour"), orNull(job.priceCreditsPerHour)},
        {QStringLiteral("total_price_credits"), orNull(job.totalPriceCredits)},
        {QStringLiteral("tags"), QJsonArray::fromStringList(job.tags)},
        {QStringLiteral("project"), job.projectName}};
}

} // namespace

void runJobsCommand(CliContext &context)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("List your jobs in the current project (pending, suspended and running)."));
    const QCommandLineOption all({QStringLiteral("a"), QStringLiteral("all")}, tr("include finished jobs"));
    const QCommandLineOption json(QStringLiteral("json"), tr("print stable machine-readable JSON"));
    parser.addOptions({all, json});
    if (!context.parse(parser))
        return;
    JobListFilter filter;
    if (!parser.isSet(all))
        filter.statuses = {JobStatus::Pending, JobStatus::Suspended, JobStatus::Running};
    const bool asJson = parser.isSet(json);
    CliContext *ctx = &context;
    PlatformCli::withSession(context, [ctx, filter, asJson](PlatformSession &session) {
        auto jobs = std::make_shared<QList<Job>>();
        session.client()->listJobs(
            filter, &session, [jobs](const QList<Job> &batch) { *jobs += batch; },
            [ctx, jobs, asJson](const ApoloResult<Done> &result) {
                if (!result)
                    return PlatformCli::fail(*ctx, result.error());
                if (asJson) {
                    QJsonArray array;
                    for (const Job &job : *jobs)
                        array.append(jobToJson(job));
                    ctx->out() << QJsonDocument(array).toJson(QJsonDocument::Indented);
                    return ctx->finish(0);
                }
                if (jobs->isEmpty()) {
                    ctx->out() << tr("No jobs.") << Qt::endl;
                    return ctx->finish(0);
                }
                QList<QStringList> rows{
                    {tr("ID"), tr("NAME"), tr("STATUS"), tr("PRESET"), tr("CREATED"), tr("CREDITS/H")}};
                for (const Job &job : *jobs) {
                    const QString status = job.reason.isEmpty() ? job.statusText : job.statusText + u' ' + job.reason;
                    rows << QStringList{job.id,
                                        job.name.isEmpty() ? QStringLiteral("-") : job.name,
                                        status,
                                        job.presetName.isEmpty() ? QStringLiteral("-") : job.presetName,
                                        job.createdAt().toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                                        job.priceCreditsPerHour};
                }
                ctx->out() << PlatformCli::formatTable(rows);
                ctx->finish(0);
            });
    });
}

void runKillCommand(CliContext &context)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Cancel jobs, given by name or id."));
    parser.addPositionalArgument(QStringLiteral("JOB"), tr("job name, id or job: URI (one or more)"), tr("JOB…"));
    if (!context.parse(parser, std::numeric_limits<qsizetype>::max()))
        return;
    const QStringList targets = parser.positionalArguments();
    if (targets.isEmpty())
        return context.usageError(tr("Name at least one job to kill: apolo-deploy kill ray-head ray-worker"));
    CliContext *ctx = &context;
    PlatformCli::withSession(context, [ctx, targets](PlatformSession &session) {
        // One after the other, so the output follows the order given; every job is tried.
        auto remaining = std::make_shared<QStringList>(targets);
        auto failures = std::make_shared<int>(0);
        auto next = std::make_shared<std::function<void()>>();
        *next = [ctx, &session, remaining, failures, next] {
            if (remaining->isEmpty()) {
                // Break the self-reference later: this lambda is still running.
                QTimer::singleShot(0, &session, [next] { *next = nullptr; });
                return ctx->finish(*failures ? 1 : 0);
            }
            const QString target = remaining->takeFirst();
            auto report = [ctx, failures, target](const ApoloError &error) {
                ++*failures;
                ctx->err() << tr("error: %1: %2").arg(target, error.message) << Qt::endl;
                if (!error.hint.isEmpty())
                    ctx->err() << error.hint << Qt::endl;
            };
            session.client()->resolveJob(target, &session, [ctx, &session, next, report](const ApoloResult<Job> &job) {
                if (!job) {
                    report(job.error());
                    return (*next)();
                }
                const Job found = job.value();
                session.client()->killJob(
                    found.id, &session, [ctx, next, report, found](const ApoloResult<Done> &done) {
                        if (!done)
                            report(done.error());
                        else
                            ctx->out() << tr("Cancelled %1%2")
                                              .arg(found.id, found.name.isEmpty()
                                                                 ? QString()
                                                                 : QStringLiteral(" (%1)").arg(found.name))
                                       << Qt::endl;
                        (*next)();
                    });
            });
        };
        (*next)();
    });
}

} // namespace ApoloDeploy
