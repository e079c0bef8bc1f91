// SPDX-License-Identifier: GPL-3.0-or-later
// apolo-deploy whoami and apolo-deploy presets: who and where you are, and what you can run.
#include "apolo/Decimal.h"
#include "cli/CliContext.h"
#include "cli/PlatformCli.h"

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
    return QCoreApplication::translate("Cli", text);
}

// Parses "--json" and "--help"; false when the command already finished.
bool parseJsonFlag(CliContext &context, const QString &description, bool *json)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(description);
    const QCommandLineOption jsonOption(QStringLiteral("json"), tr("print stable machine-readable JSON"));
    parser.addOption(jsonOption);
    if (!context.parse(parser))
        return false;
    *json = parser.isSet(jsonOption);
    return true;
}

QString gpuText(const Preset &preset)
{
    if (preset.gpuCount() == 0)
        return QStringLiteral("-");
    return preset.gpuModel().isEmpty() ? QString::number(preset.gpuCount())
                                       : QStringLiteral("%1 x %2").arg(preset.gpuCount()).arg(preset.gpuModel());
}

QJsonValue optionalString(const std::optional<QString> &value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

} // namespace

void runWhoamiCommand(CliContext &context)
{
    bool json = false;
    if (!parseJsonFlag(context, tr("Show the signed-in user, the current cluster, org and project, and credits."),
                       &json))
        return;
    CliContext *ctx = &context;
    PlatformCli::withSession(context, [ctx, json](PlatformSession &session) {
        ApoloClient *client = session.client();
        client->fetchUserInfo(
            session.userName(), &session, [ctx, json, &session](const ApoloResult<ClusterUserInfo> &info) {
                const ProjectScope &scope = session.scope();
                const bool sandbox = session.state() == PlatformSession::State::Sandbox;
                // Credits are informative: an admin service that refuses us must not fail whoami.
                std::optional<QString> credits;
                std::optional<int> jobsQuota;
                QString creditsText = tr("unknown (%1)").arg(info.error().message);
                if (info.ok()) {
                    credits = info->balance.credits;
                    jobsQuota = info->quota.totalRunningJobs;
                    creditsText = credits ? *credits : tr("unlimited");
                }
                if (json) {
                    QJsonObject object{{QStringLiteral("user"), session.userName()},
                                       {QStringLiteral("api_url"), session.client()->apiUrl().toString()},
                                       {QStringLiteral("sandbox"), sandbox},
                                       {QStringLiteral("cluster"), scope.cluster},
                                       {QStringLiteral("org"), scope.org},
                                       {QStringLiteral("project"), scope.project},
                                       {QStringLiteral("credits"), info.ok() ? optionalString(credits) : QJsonValue()},
                                       {QStringLiteral("jobs_quota"),
                                        jobsQuota ? QJsonValue(*jobsQuota) : QJsonValue(QJsonValue::Null)}};
                    if (info.ok())
                        object.insert(QStringLiteral("spent_credits"), info->balance.spentCredits);
                    ctx->out() << QJsonDocument(object).toJson(QJsonDocument::Indented);
                    return ctx->finish(0);
                }
                QList<QStringList> rows{
                    {tr("User"), session.userName().isEmpty() ? tr("(unknown)") : session.userName()},
                    {tr("API"),
                     session.client()->apiUrl().toString() + (sandbox ? tr(" (embedded sandbox)") : QString())},
                    {tr("Cluster"), scope.cluster},
                    {tr("Org"), scope.org},
                    {tr("Project"), scope.project.isEmpty() ? tr("(none)") : scope.project},
                    {tr("Credits"), creditsText},
                    {tr("Jobs quota"), jobsQuota ? QString::number(*jobsQuota) : tr("unlimited")}};
                ctx->out() << PlatformCli::formatTable(rows);
                ctx->finish(0);
            });
    });
}

void runPresetsCommand(CliContext &context)
{
    bool json = false;
    if (!parseJsonFlag(context, tr("List the resource presets of the current cluster, in the platform's order."),
                       &json))
        return;
    CliContext *ctx = &context;
    PlatformCli::withSession(context, [ctx, json](PlatformSession &session) {
        const Cluster *cluster = session.client()->currentCluster();
        if (!cluster) {
            ApoloError error;
            error.kind = ApoloError::Kind::Validation;
            error.message = tr("Your account has no cluster.");
            error.hint = tr("Ask your org admin to add you to a cluster.");
            return PlatformCli::fail(*ctx, error);
        }
        const QList<Preset> presets = cluster->presets;
        // "Jobs available now" is best effort, as in `apolo config show`.
        session.client()->fetchCapacity(&session, [ctx, json, presets](const ApoloResult<Capacity> &capacity) {
            auto available = [&](const QString &name) -> std::optional<int> {
                if (capacity.ok() && capacity->contains(name))
                    return capacity->value(name);
                return std::nullopt;
            };
            if (json) {
                QJsonArray array;
                for (const Preset &p : presets) {
                    const std::optional<int> jobs = available(p.name);
                    array.append(QJsonObject{
                        {QStringLiteral("name"), p.name},
                        {QStringLiteral("cpu"), p.cpu},
                        {QStringLiteral("memory_bytes"), QJsonValue(qint64(p.memoryBytes))},
                        {QStringLiteral("gpu_count"), p.gpuCount()},
                        {QStringLiteral("gpu_model"), p.gpuModel().isEmpty() ? QJsonValue() : QJsonValue(p.gpuModel())},
                        {QStringLiteral("gpu_memory_bytes"),
                         p.gpuMemoryBytes() ? QJsonValue(qint64(p.gpuMemoryBytes())) : QJsonValue()},
                        {QStringLiteral("credits_per_hour"), p.creditsPerHour},
                        {QStringLiteral("scheduler_enabled"), p.schedulerEnabled},
                        {QStringLiteral("preemptible_node"), p.preemptibleNode},
                        {QStringLiteral("resource_pools"), QJsonArray::fromStringList(p.resourcePoolNames)},
                        {QStringLiteral("jobs_available"), jobs ? QJsonValue(*jobs) : QJsonValue()}});
                }
                ctx->out() << QJsonDocument(array).toJson(QJsonDocument::Indented);
                return ctx->finish(0);
            }
            QList<QStringList> rows{
                {tr("NAME"), tr("GPU"), tr("CPU"), tr("MEMORY"), tr("CREDITS/H"), tr("JOBS AVAIL")}};
            for (const Preset &p : presets) {
                const std::optional<int> jobs = available(p.name);
                rows << QStringList{p.name,
                                    gpuText(p),
                                    QString::number(p.cpu, 'g', 6),
                                    PlatformCli::formatBytes(p.memoryBytes),
                                    p.creditsPerHour,
                                    jobs ? QString::number(*jobs) : QStringLiteral("-")};
            }
            ctx->out() << PlatformCli::formatTable(rows);
            ctx->finish(0);
        });
    });
}

} // namespace ApoloDeploy
