// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/SandboxJob.h"

#include "sandbox/SimClock.h"

#include <QJsonArray>

namespace ApoloDeploy::Sandbox {

namespace {

QJsonValue nullable(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QJsonObject transitionJson(const StatusTransition &transition)
{
    QJsonObject json{{QStringLiteral("status"), transition.status},
                     {QStringLiteral("transition_time"), SimClock::isoFormat(transition.timeNs)},
                     {QStringLiteral("reason"), nullable(transition.reason)},
                     {QStringLiteral("description"), nullable(transition.description)}};
    if (transition.exitCode)
        json.insert(QStringLiteral("exit_code"), *transition.exitCode);
    return json;
}

} // namespace

QString decimalString(double value)
{
    QString text = QString::number(value, 'f', 8);
    while (text.contains(u'.') && (text.endsWith(u'0') || text.endsWith(u'.')))
        text.chop(1);
    return text == QLatin1String("-0") ? QStringLiteral("0") : text;
}

bool SandboxJob::isActive() const
{
    const QString state = status();
    return state == QLatin1String("pending") || state == QLatin1String("suspended") ||
           state == QLatin1String("running");
}

double SandboxJob::runTimeSeconds(qint64 nowNs) const
{
    double seconds = runSeconds;
    if (runningSinceNs > 0)
        seconds += double(nowNs - runningSinceNs) / 1e9;
    return seconds;
}

QString SandboxJob::totalPriceCredits(qint64 nowNs) const
{
    return decimalString(runTimeSeconds(nowNs) / 3600.0 * pricePerHour.toDouble());
}

int SandboxJob::httpPort() const
{
    const QJsonValue http = container.value(QLatin1String("http"));
    return http.isObject() ? http.toObject().value(QLatin1String("port")).toInt() : -1;
}

QString SandboxJob::internalHostname() const
{
    return id + u'.' + namespaceName;
}

QString SandboxJob::internalHostnameNamed() const
{
    return name.isEmpty() ? QString() : name + QStringLiteral("--") + orgProjectHash + u'.' + namespaceName;
}

QJsonObject SandboxJob::toJson(qint64 nowNs) const
{
    const StatusTransition &last = current();
    QJsonObject history{{QStringLiteral("status"), last.status},
                        {QStringLiteral("reason"), nullable(last.reason)},
                        {QStringLiteral("description"), nullable(last.description)},
                        {QStringLiteral("created_at"), SimClock::isoFormat(createdNs)},
                        {QStringLiteral("run_time_seconds"), runTimeSeconds(nowNs)},
                        {QStringLiteral("restarts"), restarts}};
    if (startedNs > 0)
        history.insert(QStringLiteral("started_at"), SimClock::isoFormat(startedNs));
    if (finishedNs > 0)
        history.insert(QStringLiteral("finished_at"), SimClock::isoFormat(finishedNs));
    if (last.exitCode)
        history.insert(QStringLiteral("exit_code"), *last.exitCode);

    QJsonArray statusArray;
    for (const StatusTransition &transition : statuses)
        statusArray.append(transitionJson(transition));

    QJsonObject json{
        {QStringLiteral("id"), id},
        {QStringLiteral("owner"), owner},
        {QStringLiteral("cluster_name"), clusterName},
        {QStringLiteral("org_name"), orgName},
        {QStringLiteral("project_name"), projectName},
        {QStringLiteral("namespace"), namespaceName},
        {QStringLiteral("org_project_hash"), orgProjectHash},
        {QStringLiteral("uri"), QStringLiteral("job://%1/%2/%3/%4").arg(clusterName, orgName, projectName, id)},
        {QStringLiteral("status"), last.status},
        {QStringLiteral("statuses"), statusArray},
        {QStringLiteral("history"), history},
        {QStringLiteral("container"), container},
        {QStringLiteral("scheduler_enabled"), false},
        {QStringLiteral("preemptible_node"), false},
        {QStringLiteral("is_preemptible"), false},
        {QStringLiteral("is_preemptible_node_required"), false},
        {QStringLiteral("pass_config"), passConfig},
        {QStringLiteral("privileged"), privileged},
        {QStringLiteral("materialized"), true},
        {QStringLiteral("being_dropped"), false},
        {QStringLiteral("logs_removed"), false},
        {QStringLiteral("restart_policy"), restartPolicy},
        {QStringLiteral("priority"), priority},
        {QStringLiteral("price_credits_per_hour"), pricePerHour},
        {QStringLiteral("total_price_credits"), totalPriceCredits(nowNs)},
        {QStringLiteral("internal_hostname"), internalHostname()}};
    if (!name.isEmpty()) {
        json.insert(QStringLiteral("name"), name);
        json.insert(QStringLiteral("internal_hostname_named"), internalHostnameNamed());
    }
    if (!presetName.isEmpty())
        json.insert(QStringLiteral("preset_name"), presetName);
    if (!description.isEmpty())
        json.insert(QStringLiteral("description"), description);
    json.insert(QStringLiteral("tags"), QJsonArray::fromStringList(tags));
    if (httpPort() >= 0 && ingressPort > 0) {
        // Loopback stands in for the jobs domain, so plain http is right here.
        const QString url = QStringLiteral("http://127.0.0.1:%1").arg(ingressPort);
        json.insert(QStringLiteral("http_url"), url);
        if (!name.isEmpty())
            json.insert(QStringLiteral("http_url_named"), url);
    }
    if (maxRunTimeMinutes)
        json.insert(QStringLiteral("max_run_time_minutes"), *maxRunTimeMinutes);
    if (scheduleTimeout)
        json.insert(QStringLiteral("schedule_timeout"), *scheduleTimeout);
    if (!energyScheduleName.isEmpty())
        json.insert(QStringLiteral("energy_schedule_name"), energyScheduleName);
    return json;
}

QJsonObject SandboxJob::toStateJson() const
{
    QJsonArray statusArray;
    for (const StatusTransition &transition : statuses) {
        QJsonObject entry{{QStringLiteral("status"), transition.status},
                          {QStringLiteral("reason"), transition.reason},
                          {QStringLiteral("description"), transition.description},
                          {QStringLiteral("time_ns"), QString::number(transition.timeNs)}};
        if (transition.exitCode)
            entry.insert(QStringLiteral("exit_code"), *transition.exitCode);
        statusArray.append(entry);
    }
    QJsonObject secretEnv;
    for (auto it = secretEnvUris.cbegin(); it != secretEnvUris.cend(); ++it)
        secretEnv.insert(it.key(), it.value());
    QJsonObject json{{QStringLiteral("id"), id},
                     {QStringLiteral("name"), name},
                     {QStringLiteral("owner"), owner},
                     {QStringLiteral("cluster"), clusterName},
                     {QStringLiteral("org"), orgName},
                     {QStringLiteral("project"), projectName},
                     {QStringLiteral("namespace"), namespaceName},
                     {QStringLiteral("hash"), orgProjectHash},
                     {QStringLiteral("description"), description},
                     {QStringLiteral("tags"), QJsonArray::fromStringList(tags)},
                     {QStringLiteral("preset"), presetName},
                     {QStringLiteral("price"), pricePerHour},
                     {QStringLiteral("container"), container},
                     {QStringLiteral("restart_policy"), restartPolicy},
                     {QStringLiteral("priority"), priority},
                     {QStringLiteral("pass_config"), passConfig},
                     {QStringLiteral("privileged"), privileged},
                     {QStringLiteral("secret_env"), secretEnv},
                     {QStringLiteral("image_exists"), imageExists},
                     {QStringLiteral("statuses"), statusArray},
                     {QStringLiteral("created_ns"), QString::number(createdNs)},
                     {QStringLiteral("started_ns"), QString::number(startedNs)},
                     {QStringLiteral("finished_ns"), QString::number(finishedNs)},
                     {QStringLiteral("run_seconds"), runSeconds},
                     {QStringLiteral("restarts"), restarts},
                     {QStringLiteral("energy_schedule"), energyScheduleName}};
    if (maxRunTimeMinutes)
        json.insert(QStringLiteral("max_run_time_minutes"), *maxRunTimeMinutes);
    if (scheduleTimeout)
        json.insert(QStringLiteral("schedule_timeout"), *scheduleTimeout);
    return json;
}

SandboxJob SandboxJob::fromStateJson(const QJsonObject &json)
{
    SandboxJob job;
    auto text = [&json](const char *key) { return json.value(QLatin1String(key)).toString(); };
    job.id = text("id");
    job.name = text("name");
    job.owner = text("owner");
    job.clusterName = text("cluster");
    job.orgName = text("org");
    job.projectName = text("project");
    job.namespaceName = text("namespace");
    job.orgProjectHash = text("hash");
    job.description = text("description");
    for (const QJsonValue &tag : json.value(QLatin1String("tags")).toArray())
        job.tags.append(tag.toString());
    job.presetName = text("preset");
    job.pricePerHour = text("price");
    job.container = json.value(QLatin1String("container")).toObject();
    job.restartPolicy = text("restart_policy");
    job.priority = text("priority");
    job.passConfig = json.value(QLatin1String("pass_config")).toBool();
    job.privileged = json.value(QLatin1String("privileged")).toBool();
    const QJsonObject secretEnv = json.value(QLatin1String("secret_env")).toObject();
    for (auto it = secretEnv.begin(); it != secretEnv.end(); ++it)
        job.secretEnvUris.insert(it.key(), it.value().toString());
    job.imageExists = json.value(QLatin1String("image_exists")).toBool(true);
    for (const QJsonValue &value : json.value(QLatin1String("statuses")).toArray()) {
        const QJsonObject entry = value.toObject();
        StatusTransition transition{entry.value(QLatin1String("status")).toString(),
                                    entry.value(QLatin1String("reason")).toString(),
                                    entry.value(QLatin1String("description")).toString(),
                                    entry.value(QLatin1String("time_ns")).toString().toLongLong(), std::nullopt};
        if (entry.contains(QLatin1String("exit_code")))
            transition.exitCode = entry.value(QLatin1String("exit_code")).toInt();
        job.statuses.append(transition);
    }
    job.createdNs = text("created_ns").toLongLong();
    job.startedNs = text("started_ns").toLongLong();
    job.finishedNs = text("finished_ns").toLongLong();
    job.runSeconds = json.value(QLatin1String("run_seconds")).toDouble();
    job.restarts = json.value(QLatin1String("restarts")).toInt();
    job.energyScheduleName = text("energy_schedule");
    if (json.contains(QLatin1String("max_run_time_minutes")))
        job.maxRunTimeMinutes = json.value(QLatin1String("max_run_time_minutes")).toInt();
    if (json.contains(QLatin1String("schedule_timeout")))
        job.scheduleTimeout = json.value(QLatin1String("schedule_timeout")).toDouble();
    return job;
}

} // namespace ApoloDeploy::Sandbox
