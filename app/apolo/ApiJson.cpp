// SPDX-License-Identifier: GPL-3.0-or-later
// Decoders of /config, capacity, secrets, admin and token responses. Jobs: JobJson.cpp.
#include "apolo/ApiJson.h"

#include "apolo/ApiJsonHelpers.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimeZone>

namespace ApoloDeploy::ApiJson {

using namespace Detail;

namespace {

GpuSpec gpuFromJson(const QJsonValue &value)
{
    const QJsonObject object = value.toObject();
    GpuSpec gpu;
    gpu.count = object.value(u"count").toInt();
    gpu.model = object.value(u"model").toString();
    gpu.memoryBytes = object.value(u"memory").toInteger();
    return gpu;
}

ApoloResult<Preset> presetFromJson(const QJsonObject &object)
{
    Preset preset;
    preset.name = object.value(u"name").toString();
    if (preset.name.isEmpty())
        return protocolError(tr("a resource preset has no name"));
    preset.creditsPerHour = decimalText(object.value(u"credits_per_hour"));
    if (!Decimal::parse(preset.creditsPerHour))
        return protocolError(tr("preset '%1' has an invalid credits_per_hour '%2'")
                                 .arg(preset.name, object.value(u"credits_per_hour").toVariant().toString()));
    preset.cpu = object.value(u"cpu").toDouble();
    preset.memoryBytes = object.value(u"memory").toInteger();
    if (preset.memoryBytes == 0 && object.contains(u"memory_mb"))
        preset.memoryBytes = object.value(u"memory_mb").toInteger() * 1024 * 1024;
    preset.nvidiaGpu = gpuFromJson(object.value(u"nvidia_gpu"));
    const QJsonObject migs = object.value(u"nvidia_migs").toObject();
    for (auto it = migs.begin(); it != migs.end(); ++it)
        preset.nvidiaMigs.insert(it.key(), gpuFromJson(it.value()));
    preset.amdGpu = gpuFromJson(object.value(u"amd_gpu"));
    preset.intelGpu = gpuFromJson(object.value(u"intel_gpu"));
    const QJsonObject tpu = object.value(u"tpu").toObject();
    preset.tpuType = tpu.value(u"type").toString();
    preset.tpuSoftwareVersion = tpu.value(u"software_version").toString();
    // Older servers send only the is_* aliases.
    preset.schedulerEnabled = object.value(u"scheduler_enabled").toBool(object.value(u"is_preemptible").toBool());
    preset.preemptibleNode =
        object.value(u"preemptible_node").toBool(object.value(u"is_preemptible_node_required").toBool());
    preset.resourcePoolNames = stringList(object.value(u"resource_pool_names"));
    preset.availableResourcePoolNames = stringList(object.value(u"available_resource_pool_names"));
    return preset;
}

ResourcePool poolFromJson(const QJsonObject &object)
{
    ResourcePool pool;
    pool.name = object.value(u"name").toString();
    pool.minSize = object.value(u"min_size").toInt();
    pool.maxSize = object.value(u"max_size").toInt();
    pool.cpu = object.value(u"cpu").toDouble();
    pool.availableCpu = object.value(u"available_cpu").toDouble();
    pool.memoryBytes = object.value(u"memory").toInteger();
    pool.availableMemoryBytes = object.value(u"available_memory").toInteger();
    pool.diskSizeBytes = object.value(u"disk_size").toInteger();
    pool.nvidiaGpu = gpuFromJson(object.value(u"nvidia_gpu"));
    pool.preemptible = object.value(u"is_preemptible").toBool();
    return pool;
}

ApoloResult<Cluster> clusterFromJson(const QJsonObject &object)
{
    Cluster cluster;
    cluster.name = object.value(u"name").toString();
    if (cluster.name.isEmpty())
        return protocolError(tr("a cluster in /config has no name"));
    cluster.orgs = stringList(object.value(u"orgs"));
    cluster.registryUrl = url(object.value(u"registry_url"));
    cluster.storageUrl = url(object.value(u"storage_url"));
    cluster.monitoringUrl = url(object.value(u"monitoring_url"));
    cluster.secretsUrl = url(object.value(u"secrets_url"));
    cluster.disksUrl = url(object.value(u"disks_url"));
    cluster.bucketsUrl = url(object.value(u"buckets_url"));
    cluster.usersUrl = url(object.value(u"users_url"));
    for (const QJsonValue &value : object.value(u"resource_presets").toArray()) {
        ApoloResult<Preset> preset = presetFromJson(value.toObject());
        if (!preset)
            return preset.error();
        cluster.presets << preset.value();
    }
    for (const QJsonValue &value : object.value(u"resource_pool_types").toArray())
        cluster.resourcePools << poolFromJson(value.toObject());
    for (const QJsonValue &value : object.value(u"storage_volumes").toArray()) {
        const QJsonObject volume = value.toObject();
        cluster.storageVolumes << StorageVolume{volume.value(u"name").toString(),
                                                decimalText(volume.value(u"credits_per_hour_per_gb"))};
    }
    for (const QJsonValue &value : object.value(u"energy_schedules").toArray())
        cluster.energyScheduleNames << value.toObject().value(u"name").toString();
    cluster.timezone = object.value(u"timezone").toString();
    cluster.location = object.value(u"location").toString();
    return cluster;
}

Balance balanceFromJson(const QJsonValue &value)
{
    const QJsonObject object = value.toObject();
    Balance balance;
    const QJsonValue credits = object.value(u"credits");
    if (!credits.isNull() && !credits.isUndefined())
        balance.credits = decimalText(credits);
    balance.spentCredits = decimalText(object.value(u"spent_credits"));
    return balance;
}

Quota quotaFromJson(const QJsonValue &value)
{
    const QJsonValue jobs = value.toObject().value(u"total_running_jobs");
    Quota quota;
    if (jobs.isDouble())
        quota.totalRunningJobs = jobs.toInt();
    return quota;
}

} // namespace

ApoloError protocolError(const QString &what)
{
    ApoloError error;
    error.kind = ApoloError::Kind::Protocol;
    error.message = tr("Unexpected response from the platform: %1.").arg(what);
    error.hint = tr("Check that the API URL points at an Apolo platform and that this app is up to date.");
    return error;
}

ApoloResult<ServerConfig> parseServerConfig(const QByteArray &body)
{
    ApoloResult<QJsonObject> document = parseObject(body, "/config");
    if (!document)
        return document.error();
    const QJsonObject &object = document.value();
    if (!object.value(u"authorized").isBool())
        return protocolError(tr("/config has no 'authorized' field"));
    ServerConfig config;
    config.authorized = object.value(u"authorized").toBool();
    for (const QJsonValue &value : object.value(u"orgs").toArray()) {
        const QJsonObject org = value.toObject();
        config.orgs << Org{org.value(u"name").toString(), org.value(u"role").toString()};
    }
    for (const QJsonValue &value : object.value(u"clusters").toArray()) {
        ApoloResult<Cluster> cluster = clusterFromJson(value.toObject());
        if (!cluster)
            return cluster.error();
        config.clusters << cluster.value();
    }
    for (const QJsonValue &value : object.value(u"projects").toArray()) {
        const QJsonObject p = value.toObject();
        // The SDK ignores projects without an org (pre-org servers).
        if (p.value(u"org_name").toString().isEmpty())
            continue;
        config.projects << Project{p.value(u"name").toString(), p.value(u"role").toString(),
                                   p.value(u"cluster_name").toString(), p.value(u"org_name").toString()};
    }
    config.adminUrl = url(object.value(u"admin_url"));
    config.vclusterUrl = url(object.value(u"vcluster_url"));
    OAuthSettings &oauth = config.oauth;
    oauth.authUrl = url(object.value(u"auth_url"));
    oauth.tokenUrl = url(object.value(u"token_url"));
    oauth.logoutUrl = url(object.value(u"logout_url"));
    oauth.clientId = object.value(u"client_id").toString();
    oauth.audience = object.value(u"audience").toString();
    for (const QJsonValue &value : object.value(u"callback_urls").toArray())
        oauth.callbackUrls << url(value);
    oauth.headlessCallbackUrl = url(object.value(u"headless_callback_url"));
    oauth.successRedirectUrl = url(object.value(u"success_redirect_url"));
    return config;
}

ApoloResult<Capacity> parseCapacity(const QByteArray &body)
{
    ApoloResult<QJsonObject> document = parseObject(body, "capacity");
    if (!document)
        return document.error();
    Capacity capacity;
    for (auto it = document->begin(); it != document->end(); ++it) {
        if (!it.value().isDouble())
            return protocolError(tr("capacity of '%1' is not a number").arg(it.key()));
        capacity.insert(it.key(), it.value().toInt());
    }
    return capacity;
}

namespace {

Secret secretFromJson(const QJsonObject &object)
{
    return Secret{object.value(u"key").toString(), object.value(u"owner").toString(),
                  object.value(u"org_name").toString(), object.value(u"project_name").toString()};
}

} // namespace

ApoloResult<Secret> parseSecret(const QByteArray &body)
{
    ApoloResult<QJsonObject> document = parseObject(body, "secret");
    if (!document)
        return document.error();
    const Secret secret = secretFromJson(document.value());
    if (secret.key.isEmpty())
        return protocolError(tr("a secret has no key"));
    return secret;
}

ApoloResult<QList<Secret>> parseSecretList(const QByteArray &body)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isArray())
        return protocolError(tr("the secrets list is not a JSON array"));
    QList<Secret> secrets;
    for (const QJsonValue &value : document.array())
        secrets << secretFromJson(value.toObject());
    return secrets;
}

ApoloResult<ClusterUserInfo> parseClusterUserInfo(const QByteArray &body)
{
    ApoloResult<QJsonObject> document = parseObject(body, "cluster user");
    if (!document)
        return document.error();
    ClusterUserInfo info;
    info.userName = document->value(u"user_name").toString();
    info.role = document->value(u"role").toString();
    info.orgName = document->value(u"org_name").toString();
    info.quota = quotaFromJson(document->value(u"quota"));
    info.balance = balanceFromJson(document->value(u"balance"));
    return info;
}

ApoloResult<OrgClusterInfo> parseOrgClusterInfo(const QByteArray &body)
{
    ApoloResult<QJsonObject> document = parseObject(body, "org cluster");
    if (!document)
        return document.error();
    OrgClusterInfo info;
    info.orgName = document->value(u"org_name").toString();
    info.quota = quotaFromJson(document->value(u"quota"));
    info.balance = balanceFromJson(document->value(u"balance"));
    info.maintenance = document->value(u"maintenance").toBool();
    return info;
}

ApoloResult<Credentials> parseTokenResponse(const QByteArray &body, const QDateTime &now,
                                            const QString &previousRefreshToken)
{
    ApoloResult<QJsonObject> document = parseObject(body, "token response");
    if (!document)
        return document.error();
    const QString accessToken = document->value(u"access_token").toString();
    if (accessToken.isEmpty())
        return protocolError(tr("the token response has no access_token"));
    // The SDK keeps the refresh token of the original login (it ignores rotated ones).
    const QString refreshToken =
        previousRefreshToken.isEmpty() ? document->value(u"refresh_token").toString() : previousRefreshToken;
    return Credentials::fromTokenResponse(accessToken, document->value(u"expires_in").toInteger(), refreshToken, now);
}

QDateTime parseTimestamp(const QString &text)
{
    if (text.isEmpty())
        return QDateTime();
    // Qt's ISO parser wants at most millisecond precision: cut longer fractions.
    QString normalized = text;
    const qsizetype dot = normalized.indexOf(u'.');
    if (dot >= 0) {
        qsizetype end = dot + 1;
        while (end < normalized.size() && normalized.at(end).isDigit())
            ++end;
        if (end - dot - 1 > 3)
            normalized.remove(dot + 4, end - dot - 4);
    }
    QDateTime time = QDateTime::fromString(normalized, Qt::ISODateWithMs);
    if (!time.isValid())
        return QDateTime();
    if (time.timeSpec() == Qt::LocalTime) // no offset given: the platform means UTC
        time.setTimeZone(QTimeZone::utc());
    return time.toUTC();
}

QString formatTimestamp(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
}

} // namespace ApoloDeploy::ApiJson
