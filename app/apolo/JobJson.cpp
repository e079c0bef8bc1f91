// SPDX-License-Identifier: GPL-3.0-or-later
// Decoder of the job object (§3.4), shared by get, create and the NDJSON list.
#include "apolo/ApiJson.h"
#include "apolo/ApiJsonHelpers.h"

namespace ApoloDeploy::ApiJson {

using namespace Detail;

namespace {

std::optional<int> optionalInt(const QJsonValue &value)
{
    if (value.isDouble())
        return value.toInt();
    return std::nullopt;
}

JobStatusItem statusItemFromJson(const QJsonObject &object)
{
    JobStatusItem item;
    item.statusText = object.value(u"status").toString();
    item.status = jobStatusFromString(item.statusText);
    item.transitionTime = parseTimestamp(object.value(u"transition_time").toString());
    item.reason = object.value(u"reason").toString();
    item.description = object.value(u"description").toString();
    item.exitCode = optionalInt(object.value(u"exit_code"));
    return item;
}

JobHistory historyFromJson(const QJsonObject &object)
{
    JobHistory history;
    history.status = jobStatusFromString(object.value(u"status").toString());
    history.reason = object.value(u"reason").toString();
    history.description = object.value(u"description").toString();
    history.createdAt = parseTimestamp(object.value(u"created_at").toString());
    history.startedAt = parseTimestamp(object.value(u"started_at").toString());
    history.finishedAt = parseTimestamp(object.value(u"finished_at").toString());
    history.runTimeSeconds = object.value(u"run_time_seconds").toDouble();
    history.restarts = object.value(u"restarts").toInt();
    history.exitCode = optionalInt(object.value(u"exit_code"));
    return history;
}

QMap<QString, QString> stringMap(const QJsonValue &value)
{
    QMap<QString, QString> map;
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it)
        map.insert(it.key(), it.value().toString());
    return map;
}

JobContainer containerFromJson(const QJsonObject &object)
{
    JobContainer container;
    container.image = object.value(u"image").toString();
    container.entrypoint = object.value(u"entrypoint").toString();
    container.command = object.value(u"command").toString();
    container.workingDir = object.value(u"working_dir").toString();
    container.env = stringMap(object.value(u"env"));
    container.secretEnv = stringMap(object.value(u"secret_env"));
    container.tty = object.value(u"tty").toBool();
    for (const QJsonValue &value : object.value(u"volumes").toArray()) {
        const QJsonObject v = value.toObject();
        container.volumes << StorageVolumeMount{v.value(u"src_storage_uri").toString(), v.value(u"dst_path").toString(),
                                                v.value(u"read_only").toBool()};
    }
    for (const QJsonValue &value : object.value(u"secret_volumes").toArray()) {
        const QJsonObject v = value.toObject();
        container.secretVolumes << SecretVolumeMount{v.value(u"src_secret_uri").toString(),
                                                     v.value(u"dst_path").toString()};
    }
    for (const QJsonValue &value : object.value(u"disk_volumes").toArray()) {
        const QJsonObject v = value.toObject();
        container.diskVolumes << DiskVolumeMount{v.value(u"src_disk_uri").toString(), v.value(u"dst_path").toString(),
                                                 v.value(u"read_only").toBool()};
    }
    if (object.value(u"http").isObject()) {
        const QJsonObject http = object.value(u"http").toObject();
        container.http = JobHttp{http.value(u"port").toInt(), http.value(u"requires_auth").toBool(),
                                 http.value(u"health_check_path").toString()};
    }
    const QJsonObject resources = object.value(u"resources").toObject();
    container.resources.cpu = resources.value(u"cpu").toDouble();
    container.resources.memoryBytes = resources.value(u"memory").toInteger();
    if (container.resources.memoryBytes == 0)
        container.resources.memoryBytes = resources.value(u"memory_mb").toInteger() * 1024 * 1024;
    container.resources.shm = resources.value(u"shm").toBool();
    container.resources.nvidiaGpu = resources.value(u"nvidia_gpu").toInt();
    container.resources.nvidiaGpuModel = resources.value(u"nvidia_gpu_model").toString();
    return container;
}

} // namespace

ApoloResult<Job> jobFromJson(const QJsonObject &object)
{
    Job job;
    job.id = object.value(u"id").toString();
    if (job.id.isEmpty())
        return protocolError(tr("a job has no id"));
    job.statusText = object.value(u"status").toString();
    if (job.statusText.isEmpty())
        return protocolError(tr("job %1 has no status").arg(job.id));
    job.status = jobStatusFromString(job.statusText);
    job.name = object.value(u"name").toString();
    job.owner = object.value(u"owner").toString();
    job.clusterName = object.value(u"cluster_name").toString();
    job.orgName = object.value(u"org_name").toString();
    job.projectName = object.value(u"project_name").toString();
    job.namespaceName = object.value(u"namespace").toString();
    job.orgProjectHash = object.value(u"org_project_hash").toString();
    job.uri = object.value(u"uri").toString();
    job.description = object.value(u"description").toString();
    for (const QJsonValue &value : object.value(u"statuses").toArray())
        job.statuses << statusItemFromJson(value.toObject());
    job.history = historyFromJson(object.value(u"history").toObject());
    job.reason = job.history.reason;
    job.statusDescription = job.history.description;
    job.container = containerFromJson(object.value(u"container").toObject());
    job.tags = stringList(object.value(u"tags"));
    job.httpUrl = url(object.value(u"http_url"));
    job.httpUrlNamed = url(object.value(u"http_url_named"));
    job.internalHostname = object.value(u"internal_hostname").toString();
    job.internalHostnameNamed = object.value(u"internal_hostname_named").toString();
    job.presetName = object.value(u"preset_name").toString();
    job.priceCreditsPerHour = decimalText(object.value(u"price_credits_per_hour"));
    job.totalPriceCredits = decimalText(object.value(u"total_price_credits"));
    job.maxRunTimeMinutes = optionalInt(object.value(u"max_run_time_minutes"));
    job.restartPolicy = object.value(u"restart_policy").toString();
    job.priority = object.value(u"priority").toString();
    job.schedulerEnabled = object.value(u"scheduler_enabled").toBool();
    job.preemptibleNode = object.value(u"preemptible_node").toBool();
    job.passConfig = object.value(u"pass_config").toBool();
    job.privileged = object.value(u"privileged").toBool();
    return job;
}

ApoloResult<Job> parseJob(const QByteArray &body)
{
    ApoloResult<QJsonObject> document = parseObject(body, "job");
    if (!document)
        return document.error();
    return jobFromJson(document.value());
}

ApoloResult<QList<Job>> parseJobList(const QByteArray &body)
{
    ApoloResult<QJsonObject> document = parseObject(body, "job list");
    if (!document)
        return document.error();
    if (!document->value(u"jobs").isArray())
        return protocolError(tr("the job list has no 'jobs' array"));
    QList<Job> jobs;
    for (const QJsonValue &value : document->value(u"jobs").toArray()) {
        ApoloResult<Job> job = jobFromJson(value.toObject());
        if (!job)
            return job.error();
        jobs << job.value();
    }
    return jobs;
}

} // namespace ApoloDeploy::ApiJson
