// SPDX-License-Identifier: GPL-3.0-or-later
#include "apolo/JobPayload.h"

#include "apolo/UriNormalizer.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

namespace ApoloDeploy::JobPayload {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("JobPayload", text);
}

ApoloError refused(const QString &message, const QString &hint = QString())
{
    ApoloError error;
    error.kind = ApoloError::Kind::Validation;
    error.message = message;
    error.hint = hint;
    return error;
}

QString checkTag(const QString &tag)
{
    if (tag.isEmpty() || tag.size() > 256)
        return tr("tag '%1' must be 1 to 256 characters long").arg(tag);
    for (const QChar c : tag) {
        if (c.isSpace())
            return tr("tag '%1' must not contain whitespace").arg(tag);
    }
    return QString();
}

bool hasParentSegment(const QString &uri)
{
    const QStringList segments = uri.split(u'/');
    return segments.contains(QStringLiteral(".."));
}

ApoloResult<QString> expandImage(const QString &image, const ProjectScope &scope, const QString &registryHost)
{
    if (!image.startsWith(QLatin1String("image:")))
        return image;
    if (registryHost.isEmpty())
        return refused(tr("The image '%1' is a platform image but the cluster has no registry URL.").arg(image));
    ApoloResult<QString> uri = UriNormalizer::normalize(image, QStringLiteral("image"), scope);
    if (!uri)
        return uri.error();
    // image://cluster/org/project/name[:tag] -> <registry>/org/project/name:tag
    QString path = uri.value().mid(QStringLiteral("image://").size());
    path = path.mid(path.indexOf(u'/') + 1);
    if (!path.section(u'/', -1).contains(u':'))
        path += QLatin1String(":latest");
    return QString(registryHost + u'/' + path);
}

} // namespace

QString checkJobName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z](?:-?[a-z0-9])*$"));
    if (name.size() < 3 || name.size() > 40)
        return tr("the job name '%1' must be 3 to 40 characters long").arg(name);
    if (!pattern.match(name).hasMatch())
        return tr("the job name '%1' may only contain lowercase letters, digits and single dashes, starting with a "
                  "letter")
            .arg(name);
    if (name.startsWith(QLatin1String("job-")))
        return tr("the job name '%1' must not start with 'job-'").arg(name);
    return QString();
}

ApoloResult<QJsonObject> build(const JobRequest &request, const ProjectScope &defaultScope, const QString &registryHost)
{
    ProjectScope scope = defaultScope;
    if (!request.scope.cluster.isEmpty())
        scope.cluster = request.scope.cluster;
    if (!request.scope.org.isEmpty())
        scope.org = request.scope.org;
    if (!request.scope.project.isEmpty())
        scope.project = request.scope.project;
    if (!scope.isComplete())
        return refused(tr("No cluster, org and project are selected for the job."),
                       tr("Sign in and choose a project (apolo-deploy whoami shows the current one)."));
    if (request.image.trimmed().isEmpty())
        return refused(tr("The job has no image."));
    if (!request.name.isEmpty()) {
        const QString problem = checkJobName(request.name);
        if (!problem.isEmpty())
            return refused(problem);
    }
    if (request.tags.size() > 16)
        return refused(tr("A job may carry at most 16 tags, this one has %1.").arg(request.tags.size()));

    QJsonObject body;
    ApoloResult<QString> image = expandImage(request.image.trimmed(), scope, registryHost);
    if (!image)
        return image.error();
    body.insert(u"image", image.value());
    if (!request.entrypoint.isEmpty())
        body.insert(u"entrypoint", request.entrypoint);
    if (!request.command.isEmpty())
        body.insert(u"command", request.command);
    if (!request.workingDir.isEmpty()) {
        if (!request.workingDir.startsWith(u'/'))
            return refused(tr("The working directory '%1' must be an absolute path.").arg(request.workingDir));
        body.insert(u"working_dir", request.workingDir);
    }

    QJsonObject env;
    QJsonObject secretEnv;
    auto addSecretEnv = [&](const QString &name, const QString &uri) -> ApoloError {
        ApoloResult<QString> normalized = UriNormalizer::normalize(uri, QStringLiteral("secret"), scope);
        if (!normalized)
            return normalized.error();
        secretEnv.insert(name, normalized.value());
        return ApoloError();
    };
    for (auto it = request.env.begin(); it != request.env.end(); ++it) {
        if (UriNormalizer::isSecretReference(it.value())) {
            if (const ApoloError error = addSecretEnv(it.key(), it.value()); error.isError())
                return error;
        } else {
            env.insert(it.key(), it.value());
        }
    }
    for (auto it = request.secretEnv.begin(); it != request.secretEnv.end(); ++it) {
        if (const ApoloError error = addSecretEnv(it.key(), it.value()); error.isError())
            return error;
    }
    if (!env.isEmpty())
        body.insert(u"env", env);
    if (!secretEnv.isEmpty())
        body.insert(u"secret_env", secretEnv);

    QSet<QString> mountPaths;
    auto checkMount = [&](const QString &dstPath) -> ApoloError {
        if (!dstPath.startsWith(u'/'))
            return refused(tr("The mount path '%1' must be absolute.").arg(dstPath));
        if (mountPaths.contains(dstPath))
            return refused(tr("Two volumes are mounted at '%1'.").arg(dstPath));
        mountPaths.insert(dstPath);
        return ApoloError();
    };
    QJsonArray volumes;
    for (const StorageVolumeMount &volume : request.volumes) {
        ApoloResult<QString> uri = UriNormalizer::normalize(volume.srcStorageUri, QStringLiteral("storage"), scope);
        if (!uri)
            return uri.error();
        if (hasParentSegment(uri.value()))
            return refused(tr("The storage URI '%1' must not contain '..'.").arg(volume.srcStorageUri));
        if (const ApoloError error = checkMount(volume.dstPath); error.isError())
            return error;
        // Always explicit: the server defaults an omitted read_only to true.
        volumes.append(QJsonObject{{QStringLiteral("src_storage_uri"), uri.value()},
                                   {QStringLiteral("dst_path"), volume.dstPath},
                                   {QStringLiteral("read_only"), volume.readOnly}});
    }
    if (!volumes.isEmpty())
        body.insert(u"volumes", volumes);
    QJsonArray secretVolumes;
    for (const SecretVolumeMount &volume : request.secretVolumes) {
        ApoloResult<QString> uri = UriNormalizer::normalize(volume.srcSecretUri, QStringLiteral("secret"), scope);
        if (!uri)
            return uri.error();
        if (const ApoloError error = checkMount(volume.dstPath); error.isError())
            return error;
        secretVolumes.append(
            QJsonObject{{QStringLiteral("src_secret_uri"), uri.value()}, {QStringLiteral("dst_path"), volume.dstPath}});
    }
    if (!secretVolumes.isEmpty())
        body.insert(u"secret_volumes", secretVolumes);
    QJsonArray diskVolumes;
    for (const DiskVolumeMount &volume : request.diskVolumes) {
        ApoloResult<QString> uri = UriNormalizer::normalize(volume.srcDiskUri, QStringLiteral("disk"), scope);
        if (!uri)
            return uri.error();
        if (const ApoloError error = checkMount(volume.dstPath); error.isError())
            return error;
        diskVolumes.append(QJsonObject{{QStringLiteral("src_disk_uri"), uri.value()},
                                       {QStringLiteral("dst_path"), volume.dstPath},
                                       {QStringLiteral("read_only"), volume.readOnly}});
    }
    if (!diskVolumes.isEmpty())
        body.insert(u"disk_volumes", diskVolumes);

    if (request.http) {
        if (request.http->port < 0 || request.http->port > 65535)
            return refused(tr("The HTTP port %1 is outside 0-65535.").arg(request.http->port));
        QJsonObject http{{QStringLiteral("port"), request.http->port},
                         {QStringLiteral("requires_auth"), request.http->requiresAuth}};
        if (!request.http->healthCheckPath.isEmpty())
            http.insert(u"health_check_path", request.http->healthCheckPath);
        body.insert(u"http", http);
    }
    if (request.tty)
        body.insert(u"tty", true);
    if (request.shm)
        body.insert(u"resources", QJsonObject{{QStringLiteral("shm"), true}});
    if (!request.presetName.isEmpty())
        body.insert(u"preset_name", request.presetName);
    if (!request.name.isEmpty())
        body.insert(u"name", request.name);
    if (!request.description.isEmpty())
        body.insert(u"description", request.description);
    if (!request.tags.isEmpty()) {
        QJsonArray tags;
        for (const QString &tag : request.tags) {
            const QString problem = checkTag(tag);
            if (!problem.isEmpty())
                return refused(problem);
            tags.append(tag);
        }
        body.insert(u"tags", tags);
    }
    body.insert(u"pass_config", request.passConfig);
    if (request.waitForJobsQuota)
        body.insert(u"wait_for_jobs_quota", true);
    if (request.privileged)
        body.insert(u"privileged", true);
    if (!request.priority.isEmpty())
        body.insert(u"priority", request.priority);
    if (request.scheduleTimeoutSeconds)
        body.insert(u"schedule_timeout", *request.scheduleTimeoutSeconds);
    if (request.maxRunTimeMinutes) {
        if (*request.maxRunTimeMinutes < 1)
            return refused(tr("The life span must be at least one minute."));
        body.insert(u"max_run_time_minutes", *request.maxRunTimeMinutes);
    }
    if (!request.restartPolicy.isEmpty())
        body.insert(u"restart_policy", request.restartPolicy);
    if (!request.energyScheduleName.isEmpty())
        body.insert(u"energy_schedule_name", request.energyScheduleName);
    body.insert(u"cluster_name", scope.cluster);
    body.insert(u"org_name", scope.org);
    body.insert(u"project_name", scope.project);
    return body;
}

} // namespace ApoloDeploy::JobPayload
