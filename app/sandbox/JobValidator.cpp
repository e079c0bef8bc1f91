// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/JobValidator.h"

#include "sandbox/Presets.h"
#include "sandbox/SandboxConfig.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QRegularExpression>
#include <QUrl>

namespace ApoloDeploy::Sandbox {

namespace {

// Python's repr() of a str, enough for error texts: single quotes unless the text has one.
QString pyRepr(const QString &text)
{
    if (text.contains(u'\'') && !text.contains(u'"'))
        return u'"' + text + u'"';
    QString escaped = text;
    escaped.replace(u'\\', QStringLiteral("\\\\")).replace(u'\'', QStringLiteral("\\'"));
    return u'\'' + escaped + u'\'';
}

// trafaret's DataError tree, rendered like str() of the server's error dict.
class ShapeErrors
{
public:
    void add(const QString &key, const QString &message) { m_items.append({pyRepr(key), dataError(message)}); }
    void addNested(const QString &key, const QString &renderedDict)
    {
        m_items.append({pyRepr(key), nested(renderedDict)});
    }
    void addIndex(int index, const QString &renderedValue) { m_items.append({QString::number(index), renderedValue}); }
    bool isEmpty() const { return m_items.isEmpty(); }
    QString render() const
    {
        QStringList parts;
        for (const auto &[key, value] : m_items)
            parts << key + QStringLiteral(": ") + value;
        return u'{' + parts.join(QStringLiteral(", ")) + u'}';
    }
    static QString dataError(const QString &message) { return QStringLiteral("DataError(%1)").arg(pyRepr(message)); }
    static QString nested(const QString &dict) { return QStringLiteral("DataError(%1)").arg(dict); }

private:
    QList<QPair<QString, QString>> m_items;
};

const QStringList kContainerKeys{QStringLiteral("image"),        QStringLiteral("entrypoint"),
                                 QStringLiteral("command"),      QStringLiteral("working_dir"),
                                 QStringLiteral("env"),          QStringLiteral("secret_env"),
                                 QStringLiteral("volumes"),      QStringLiteral("secret_volumes"),
                                 QStringLiteral("disk_volumes"), QStringLiteral("http"),
                                 QStringLiteral("tty"),          QStringLiteral("resources")};
const QStringList kJobKeys{QStringLiteral("preset_name"),
                           QStringLiteral("name"),
                           QStringLiteral("description"),
                           QStringLiteral("tags"),
                           QStringLiteral("pass_config"),
                           QStringLiteral("wait_for_jobs_quota"),
                           QStringLiteral("privileged"),
                           QStringLiteral("priority"),
                           QStringLiteral("schedule_timeout"),
                           QStringLiteral("max_run_time_minutes"),
                           QStringLiteral("restart_policy"),
                           QStringLiteral("energy_schedule_name"),
                           QStringLiteral("cluster_name"),
                           QStringLiteral("org_name"),
                           QStringLiteral("project_name"),
                           QStringLiteral("scheduler_enabled"),
                           QStringLiteral("preemptible_node"),
                           QStringLiteral("is_preemptible"),
                           QStringLiteral("is_preemptible_node_required")};

// shlex.split() only fails on unbalanced quotes or a trailing escape.
QString shlexError(const QString &text)
{
    QChar quote;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quote.isNull()) {
            if (c == u'\\') {
                if (++i >= text.size())
                    return QStringLiteral("No escaped character");
            } else if (c == u'\'' || c == u'"') {
                quote = c;
            }
        } else if (c == quote) {
            quote = QChar();
        } else if (quote == u'"' && c == u'\\') {
            ++i;
        }
    }
    return quote.isNull() ? QString() : QStringLiteral("No closing quotation");
}

struct UriCheck
{
    QString scheme;
    QString cluster;
    int minPathParts = 0;
};

// "Invalid URI scheme/cluster/path" as the platform's URI validators say it; empty when fine.
QString checkUri(const QString &text, const UriCheck &check)
{
    const QUrl uri(text, QUrl::StrictMode);
    if (uri.scheme() != check.scheme)
        return QStringLiteral("Invalid URI scheme: %1 != %2").arg(pyRepr(uri.scheme()), pyRepr(check.scheme));
    if (uri.host() != check.cluster)
        return QStringLiteral("Invalid URI cluster: %1 != %2").arg(pyRepr(uri.host()), pyRepr(check.cluster));
    const QString path = uri.path();
    if (path.contains(QLatin1String("..")) || text.contains(u'?') || text.contains(u'#'))
        return QStringLiteral("Invalid URI path: %1").arg(pyRepr(path));
    if (path.split(u'/', Qt::SkipEmptyParts).size() < check.minPathParts)
        return QStringLiteral("Invalid URI path: %1").arg(pyRepr(path));
    return {};
}

} // namespace

JobValidator::JobValidator(const SandboxConfig &config, const PresetCatalog &presets)
    : m_config(config)
    , m_presets(presets)
{}

QString JobValidator::orgProjectHash(const QString &org, const QString &project)
{
    return QString::fromLatin1(
        QCryptographicHash::hash((org + u'/' + project).toUtf8(), QCryptographicHash::Sha256).toHex().left(10));
}

bool JobValidator::isValidImageName(const QString &image)
{
    static const QRegularExpression reference(QStringLiteral(
        R"(^(?:[a-zA-Z0-9.-]+(?::\d+)?/)?[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$)"));
    return reference.match(image).hasMatch();
}

// The sandbox "pulls" only images it can simulate; everything else fails like a missing image.
bool JobValidator::imageExists(const QString &image)
{
    if (image.contains(QLatin1String("does-not-exist")))
        return false;
    QString repository = image;
    for (const QString &prefix : {QStringLiteral("docker.io/"), QStringLiteral("library/")}) {
        if (repository.startsWith(prefix))
            repository = repository.mid(prefix.size());
    }
    static const QStringList known{QStringLiteral("vllm/vllm-openai:"),
                                   QStringLiteral("vllm/vllm-openai@"),
                                   QStringLiteral("rayproject/ray"),
                                   QStringLiteral("ghcr.io/open-webui/open-webui"),
                                   QStringLiteral("ubuntu"),
                                   QStringLiteral("python"),
                                   QStringLiteral("busybox")};
    if (repository == QLatin1String("vllm/vllm-openai"))
        return true;
    for (const QString &prefix : known) {
        if (repository.startsWith(prefix))
            return true;
    }
    return false;
}

JobValidator::Result JobValidator::validate(const QJsonObject &payload, bool fromPreset) const
{
    Result result;
    auto fail = [&result](int status, const QString &message) {
        result.status = status;
        result.errorBody = QJsonObject{{QStringLiteral("error"), message}};
        return result;
    };
    ShapeErrors errors;
    QJsonObject container = fromPreset ? payload : payload.value(QLatin1String("container")).toObject();
    for (auto it = payload.begin(); it != payload.end(); ++it) {
        const bool allowed = kJobKeys.contains(it.key()) ||
                             (fromPreset ? kContainerKeys.contains(it.key()) : it.key() == QLatin1String("container"));
        if (!allowed)
            errors.add(it.key(), it.key() + QStringLiteral(" is not allowed key"));
    }
    if (!fromPreset && !payload.value(QLatin1String("container")).isObject())
        errors.add(QStringLiteral("container"), QStringLiteral("is required"));
    if (!fromPreset) {
        for (auto it = container.begin(); it != container.end(); ++it) {
            if (!kContainerKeys.contains(it.key()))
                errors.add(it.key(), it.key() + QStringLiteral(" is not allowed key"));
        }
    }

    auto stringField = [&](const QJsonObject &object, const char *key, bool required) -> QString {
        const QJsonValue value = object.value(QLatin1String(key));
        if (value.isUndefined() || value.isNull()) {
            if (required)
                errors.add(QLatin1String(key), QStringLiteral("is required"));
            return {};
        }
        if (!value.isString()) {
            errors.add(QLatin1String(key), QStringLiteral("value is not a string"));
            return {};
        }
        return value.toString();
    };
    auto boolField = [&](const QJsonObject &object, const char *key, bool fallback) {
        const QJsonValue value = object.value(QLatin1String(key));
        if (value.isUndefined() || value.isNull())
            return fallback;
        if (!value.isBool())
            errors.add(QLatin1String(key), QStringLiteral("value should be True or False"));
        return value.toBool();
    };

    SandboxJob &job = result.job;
    const QString image = stringField(container, "image", true);
    if (payload.contains(QLatin1String("image")) || container.contains(QLatin1String("image"))) {
        if (image.isEmpty() && container.value(QLatin1String("image")).isString())
            errors.add(QStringLiteral("image"), QStringLiteral("blank value is not allowed"));
    }
    const QString entrypoint = stringField(container, "entrypoint", false);
    const QString command = stringField(container, "command", false);
    const QString workingDir = stringField(container, "working_dir", false);
    if (!workingDir.isEmpty() && !workingDir.startsWith(u'/'))
        errors.add(QStringLiteral("working_dir"), QStringLiteral("Path must be absolute"));
    for (const auto &[key, text] : {std::pair{"entrypoint", entrypoint}, std::pair{"command", command}}) {
        const QString problem = shlexError(text);
        if (!problem.isEmpty())
            errors.add(QLatin1String(key), problem);
    }

    // env and secret_env
    QJsonObject env;
    const QJsonValue envValue = container.value(QLatin1String("env"));
    if (!envValue.isUndefined() && !envValue.isObject()) {
        errors.add(QStringLiteral("env"), QStringLiteral("value is not a dict"));
    } else {
        env = envValue.toObject();
        for (auto it = env.begin(); it != env.end(); ++it) {
            if (!it.value().isString())
                errors.add(QStringLiteral("env"), QStringLiteral("value is not a string"));
        }
    }
    const QJsonObject secretEnv = container.value(QLatin1String("secret_env")).toObject();
    for (auto it = secretEnv.begin(); it != secretEnv.end(); ++it) {
        const QString problem = checkUri(it.value().toString(), {QStringLiteral("secret"), m_config.clusterName, 3});
        if (!problem.isEmpty())
            errors.addNested(QStringLiteral("secret_env"),
                             u'{' + pyRepr(it.key()) + QStringLiteral(": ") + ShapeErrors::dataError(problem) + u'}');
        else
            job.secretEnvUris.insert(it.key(), it.value().toString());
    }

    // volumes
    QJsonArray volumes;
    QStringList mountPaths;
    const QJsonArray volumeArray = container.value(QLatin1String("volumes")).toArray();
    ShapeErrors volumeErrors;
    for (int i = 0; i < volumeArray.size(); ++i) {
        const QJsonObject volume = volumeArray.at(i).toObject();
        ShapeErrors itemErrors;
        const QString source = volume.value(QLatin1String("src_storage_uri")).toString();
        const QString destination = volume.value(QLatin1String("dst_path")).toString();
        const QString uriProblem = checkUri(source, {QStringLiteral("storage"), m_config.clusterName, 0});
        if (!uriProblem.isEmpty())
            itemErrors.add(QStringLiteral("src_storage_uri"), uriProblem);
        if (!destination.startsWith(u'/'))
            itemErrors.add(QStringLiteral("dst_path"), QStringLiteral("Mount path must be absolute"));
        else if (mountPaths.contains(destination))
            itemErrors.add(QStringLiteral("dst_path"),
                           QStringLiteral("Destination path '%1' was encountered multiple times").arg(destination));
        mountPaths << destination;
        if (!itemErrors.isEmpty()) {
            volumeErrors.addIndex(i, ShapeErrors::nested(itemErrors.render()));
            continue;
        }
        volumes.append(
            QJsonObject{{QStringLiteral("src_storage_uri"), source},
                        {QStringLiteral("dst_path"), destination},
                        {QStringLiteral("read_only"), volume.value(QLatin1String("read_only")).toBool(true)}});
    }
    if (!volumeErrors.isEmpty())
        errors.addNested(QStringLiteral("volumes"), volumeErrors.render());
    QJsonArray secretVolumes;
    for (const QJsonValue &value : container.value(QLatin1String("secret_volumes")).toArray()) {
        const QJsonObject volume = value.toObject();
        const QString problem = checkUri(volume.value(QLatin1String("src_secret_uri")).toString(),
                                         {QStringLiteral("secret"), m_config.clusterName, 3});
        if (!problem.isEmpty())
            errors.add(QStringLiteral("secret_volumes"), problem);
        else if (!volume.value(QLatin1String("dst_path")).toString().startsWith(u'/'))
            errors.add(QStringLiteral("secret_volumes"), QStringLiteral("Mount path must be absolute"));
        else
            secretVolumes.append(volume);
    }
    const QJsonArray diskVolumes = container.value(QLatin1String("disk_volumes")).toArray();

    // http
    QJsonObject http;
    const QJsonValue httpValue = container.value(QLatin1String("http"));
    if (httpValue.isObject()) {
        const QJsonObject object = httpValue.toObject();
        const QJsonValue port = object.value(QLatin1String("port"));
        if (!port.isDouble() || port.toDouble() != double(port.toInt()))
            errors.addNested(QStringLiteral("http"),
                             QStringLiteral("{'port': %1}")
                                 .arg(ShapeErrors::dataError(QStringLiteral("value can't be converted to int"))));
        else if (port.toInt() < 0 || port.toInt() > 65535)
            errors.addNested(
                QStringLiteral("http"),
                QStringLiteral("{'port': %1}")
                    .arg(ShapeErrors::dataError(port.toInt() < 0 ? QStringLiteral("value is less than 0")
                                                                 : QStringLiteral("value is greater than 65535"))));
        http =
            QJsonObject{{QStringLiteral("port"), port.toInt()},
                        {QStringLiteral("health_check_path"),
                         object.value(QLatin1String("health_check_path")).toString(QStringLiteral("/"))},
                        {QStringLiteral("requires_auth"), object.value(QLatin1String("requires_auth")).toBool(false)}};
    } else if (!httpValue.isUndefined() && !httpValue.isNull()) {
        errors.add(QStringLiteral("http"), QStringLiteral("value is not a dict"));
    }
    const bool tty = boolField(container, "tty", false);

    // job-level fields
    const QJsonValue nameValue = payload.value(QLatin1String("name"));
    static const QRegularExpression namePattern(QStringLiteral("^[a-z](?:-?[a-z0-9])*$"));
    if (nameValue.isString()) {
        const QString name = nameValue.toString();
        if (name.size() < 3)
            errors.add(QStringLiteral("name"), QStringLiteral("String is shorter than 3 characters"));
        else if (name.size() > 40)
            errors.add(QStringLiteral("name"), QStringLiteral("String is longer than 40 characters"));
        else if (!namePattern.match(name).hasMatch())
            errors.add(QStringLiteral("name"), QStringLiteral("does not match pattern ") + namePattern.pattern());
        job.name = name;
    } else if (!nameValue.isUndefined() && !nameValue.isNull()) {
        errors.add(QStringLiteral("name"), QStringLiteral("value is not a string"));
    }
    job.description = stringField(payload, "description", false);
    const QJsonValue tagsValue = payload.value(QLatin1String("tags"));
    if (tagsValue.isArray()) {
        const QJsonArray tags = tagsValue.toArray();
        ShapeErrors tagErrors;
        for (int i = 0; i < tags.size(); ++i) {
            const QString tag = tags.at(i).toString();
            static const QRegularExpression whitespace(QStringLiteral("\\s"));
            if (!tags.at(i).isString())
                tagErrors.addIndex(i, ShapeErrors::dataError(QStringLiteral("value is not a string")));
            else if (tag.isEmpty())
                tagErrors.addIndex(i, ShapeErrors::dataError(QStringLiteral("blank value is not allowed")));
            else if (tag.size() > 256)
                tagErrors.addIndex(i, ShapeErrors::dataError(QStringLiteral("String is longer than 256 characters")));
            else if (tag.contains(whitespace))
                tagErrors.addIndex(i, ShapeErrors::dataError(QStringLiteral("does not match pattern ^\\S+$")));
            else if (!job.tags.contains(tag))
                job.tags.append(tag);
        }
        if (tags.size() > 16)
            errors.add(QStringLiteral("tags"), QStringLiteral("list length is greater than 16"));
        else if (!tagErrors.isEmpty())
            errors.addNested(QStringLiteral("tags"), tagErrors.render());
        job.tags.sort();
    } else if (!tagsValue.isUndefined() && !tagsValue.isNull()) {
        errors.add(QStringLiteral("tags"), QStringLiteral("value is not a list"));
    }
    const QJsonValue lifeSpan = payload.value(QLatin1String("max_run_time_minutes"));
    if (!lifeSpan.isUndefined() && !lifeSpan.isNull()) {
        if (!lifeSpan.isDouble() || lifeSpan.toDouble() != double(lifeSpan.toInt()))
            errors.add(QStringLiteral("max_run_time_minutes"), QStringLiteral("value can't be converted to int"));
        else if (lifeSpan.toInt() < 1)
            errors.add(QStringLiteral("max_run_time_minutes"), QStringLiteral("value is less than 1"));
        else
            job.maxRunTimeMinutes = lifeSpan.toInt();
    }
    const QJsonValue scheduleTimeout = payload.value(QLatin1String("schedule_timeout"));
    if (scheduleTimeout.isDouble()) {
        const double seconds = scheduleTimeout.toDouble();
        if (seconds < 1)
            errors.add(QStringLiteral("schedule_timeout"), QStringLiteral("value is less than 1"));
        else if (seconds >= 30 * 24 * 3600)
            errors.add(QStringLiteral("schedule_timeout"), QStringLiteral("value should be less than 2592000"));
        else
            job.scheduleTimeout = seconds;
    }
    job.restartPolicy = payload.value(QLatin1String("restart_policy")).toString(QStringLiteral("never"));
    if (!QStringList{QStringLiteral("never"), QStringLiteral("on-failure"), QStringLiteral("always")}.contains(
            job.restartPolicy))
        errors.add(QStringLiteral("restart_policy"), QStringLiteral("value doesn't match any variant"));
    job.priority = payload.value(QLatin1String("priority")).toString(QStringLiteral("normal"));
    if (!QStringList{QStringLiteral("low"), QStringLiteral("normal"), QStringLiteral("high")}.contains(job.priority))
        errors.add(QStringLiteral("priority"), QStringLiteral("value doesn't match any variant"));
    job.passConfig = boolField(payload, "pass_config", false);
    job.privileged = boolField(payload, "privileged", false);
    result.waitForJobsQuota = boolField(payload, "wait_for_jobs_quota", false);
    const QString projectName = payload.value(QLatin1String("project_name")).toString(m_config.projectNames.first());
    static const QRegularExpression projectPattern(QStringLiteral("^[a-z0-9](?:-?[a-z0-9])*$"));
    if (projectName.size() < 3 || projectName.size() > 255 || !projectPattern.match(projectName).hasMatch())
        errors.add(QStringLiteral("project_name"),
                   QStringLiteral("does not match pattern ") + projectPattern.pattern());

    // resources: a preset (flat form) or explicit resources (nested form)
    const QJsonObject resources = container.value(QLatin1String("resources")).toObject();
    const QString presetName = payload.value(QLatin1String("preset_name")).toString();
    if (fromPreset) {
        for (auto it = resources.begin(); it != resources.end(); ++it) {
            if (it.key() != QLatin1String("shm"))
                return fail(400, QStringLiteral("Both preset and resources are not allowed"));
        }
    } else if (!container.value(QLatin1String("resources")).isObject() && container.contains(QLatin1String("image"))) {
        errors.add(QStringLiteral("resources"), QStringLiteral("is required"));
    }
    if (!errors.isEmpty())
        return fail(400, errors.render());

    // Beyond the shape: the job request builder's checks, in its order.
    const QString clusterName = payload.value(QLatin1String("cluster_name")).toString(m_config.clusterName);
    if (clusterName != m_config.clusterName)
        return fail(403, QStringLiteral("User is not allowed to submit jobs to the specified cluster"));
    const QString orgName = payload.value(QLatin1String("org_name")).toString(m_config.orgName);
    if (orgName != m_config.orgName)
        return fail(403, QStringLiteral("User is not allowed to submit jobs as a member of given organization"));
    if (!m_config.projectNames.contains(projectName)) {
        result.status = 403;
        result.errorBody = QJsonObject{
            {QStringLiteral("missing"),
             QJsonArray{QJsonObject{
                 {QStringLiteral("uri"), QStringLiteral("job://%1/%2/%3").arg(clusterName, orgName, projectName)},
                 {QStringLiteral("action"), QStringLiteral("write")}}}}};
        return result;
    }
    if (job.name.startsWith(QLatin1String("job-")))
        return fail(400, QStringLiteral("Failed to create job: job name cannot start with 'job-' prefix."));
    if (job.privileged)
        return fail(400, QStringLiteral("Cluster %1 does not allow privileged jobs").arg(clusterName));
    if (job.priority != QLatin1String("normal"))
        return fail(400, QStringLiteral("Cluster %1 does not allow specifying job priority").arg(clusterName));
    const QString energySchedule = payload.value(QLatin1String("energy_schedule_name")).toString();
    if (!energySchedule.isEmpty())
        return fail(400, QStringLiteral("Energy schedule '%1' is not found").arg(energySchedule));

    QJsonObject resourcesJson;
    const Preset *preset = nullptr;
    if (fromPreset || !presetName.isEmpty()) {
        preset = presetName.isEmpty() ? &m_presets.presets().constFirst() : m_presets.find(presetName);
        if (!preset)
            return fail(400, QStringLiteral("Preset was not found"));
        resourcesJson = QJsonObject{{QStringLiteral("cpu"), preset->cpu},
                                    {QStringLiteral("memory"), preset->memoryBytes},
                                    {QStringLiteral("memory_mb"), preset->memoryBytes / (1024 * 1024)}};
        if (preset->gpuCount > 0) {
            resourcesJson.insert(QStringLiteral("nvidia_gpu"), preset->gpuCount);
            resourcesJson.insert(QStringLiteral("nvidia_gpu_model"), preset->gpuModel);
        }
    } else {
        // Explicit resources: price of the cheapest preset they fit into (else the dearest).
        resourcesJson = resources;
        if (!resourcesJson.contains(QLatin1String("memory")) && resourcesJson.contains(QLatin1String("memory_mb")))
            resourcesJson.insert(QStringLiteral("memory"),
                                 resourcesJson.value(QLatin1String("memory_mb")).toInteger() * 1024 * 1024);
        resourcesJson.insert(QStringLiteral("memory_mb"),
                             resourcesJson.value(QLatin1String("memory")).toInteger() / (1024 * 1024));
        const int gpus = resources.value(QLatin1String("nvidia_gpu")).toInt();
        for (const Preset &candidate : m_presets.presets()) {
            if (candidate.cpu >= resources.value(QLatin1String("cpu")).toDouble() &&
                candidate.memoryBytes >= resourcesJson.value(QLatin1String("memory")).toInteger() &&
                candidate.gpuCount >= gpus && (!preset || candidate.pricePerHour() < preset->pricePerHour()))
                preset = &candidate;
        }
        if (!preset)
            preset = &m_presets.presets().constLast();
    }
    if (resources.value(QLatin1String("shm")).toBool())
        resourcesJson.insert(QStringLiteral("shm"), true);

    QJsonObject containerJson{{QStringLiteral("image"), image},
                              {QStringLiteral("env"), env},
                              {QStringLiteral("volumes"), volumes},
                              {QStringLiteral("resources"), resourcesJson}};
    if (!entrypoint.isEmpty())
        containerJson.insert(QStringLiteral("entrypoint"), entrypoint);
    if (!command.isEmpty())
        containerJson.insert(QStringLiteral("command"), command);
    if (!workingDir.isEmpty())
        containerJson.insert(QStringLiteral("working_dir"), workingDir);
    if (tty)
        containerJson.insert(QStringLiteral("tty"), true);
    if (!http.isEmpty())
        containerJson.insert(QStringLiteral("http"), http);
    if (!secretEnv.isEmpty())
        containerJson.insert(QStringLiteral("secret_env"), secretEnv);
    if (!secretVolumes.isEmpty())
        containerJson.insert(QStringLiteral("secret_volumes"), secretVolumes);
    if (!diskVolumes.isEmpty())
        containerJson.insert(QStringLiteral("disk_volumes"), diskVolumes);

    job.container = containerJson;
    job.presetName = fromPreset || !presetName.isEmpty() ? preset->name : QString();
    job.pricePerHour = preset->creditsPerHour;
    job.clusterName = clusterName;
    job.orgName = orgName;
    job.projectName = projectName;
    job.owner = m_config.userName;
    job.namespaceName = m_config.jobsNamespace;
    job.orgProjectHash = orgProjectHash(orgName, projectName);
    job.imageExists = isValidImageName(image) && imageExists(image);
    return result;
}

} // namespace ApoloDeploy::Sandbox
