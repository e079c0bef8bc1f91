// SPDX-License-Identifier: GPL-3.0-or-later
#include "deploy/FlowJobRunner.h"

#include "apolo/ApoloClient.h"
#include "flow/FlowDuration.h"
#include "flow/FlowExpressions.h"
#include "flow/PlatformNameRules.h"
#include "flow/Yaml11Scalar.h"

#include <QRegularExpression>

#include <memory>

namespace ApoloDeploy {

namespace {

QString idToTag(QString id)
{
    return id.toLower().replace(QLatin1Char('_'), QLatin1Char('-'));
}

bool boolValue(const FlowScalar &value, bool fallback)
{
    if (!value.isSet())
        return fallback;
    if (!value.plain) // Python truthiness of a non-empty string
        return !value.text.isEmpty();
    return Yaml11Scalar::resolvePlain(value.text).boolValue;
}

} // namespace

FlowJobRunner::FlowJobRunner(ApoloClient *client, LiveFlow flow, QString projectId, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_flow(std::move(flow))
    , m_projectId(std::move(projectId))
{}

QString FlowJobRunner::flowId() const
{
    return m_flow.id.isSet() ? m_flow.id.text : QStringLiteral("live");
}

QStringList FlowJobRunner::systemTags(const QString &projectId, const QString &flowId, const QString &jobId)
{
    return {QStringLiteral("project:") + idToTag(projectId), QStringLiteral("flow:") + idToTag(flowId),
            QStringLiteral("job:") + idToTag(jobId)};
}

QString FlowJobRunner::generatedName(const QString &projectId, const QString &jobId)
{
    static const QRegularExpression dashes(QStringLiteral("-{2,}"));
    QString job = QString(jobId).replace(QLatin1Char('_'), QLatin1Char('-')).toLower();
    QString project = QString(projectId).replace(QLatin1Char('_'), QLatin1Char('-')).toLower();
    project.truncate(qMax<qsizetype>(0, PlatformNameRules::jobNameMaxLength - job.size() - 1));
    QString name = project + QLatin1Char('-') + job;
    name.replace(dashes, QStringLiteral("-"));
    while (name.startsWith(QLatin1Char('-')))
        name.remove(0, 1);
    return name.left(PlatformNameRules::jobNameMaxLength);
}

void FlowJobRunner::run(const QStringList &jobIds)
{
    for (const QString &id : jobIds) {
        const FlowJob *job = m_flow.job(id);
        if (!job) {
            Q_EMIT finished(false, tr("There is no job '%1' in this flow.").arg(id));
            return;
        }
        if (job->isActionOrModuleCall) {
            Q_EMIT finished(false, tr("'%1' calls an action or module; run it with apolo-flow.").arg(id));
            return;
        }
    }
    m_queue = jobIds;
    runNext();
}

void FlowJobRunner::runNext()
{
    if (m_queue.isEmpty()) {
        Q_EMIT finished(true, tr("All jobs started."));
        return;
    }
    const FlowJob job = *m_flow.job(m_queue.takeFirst());
    buildRequest(job, [this, job](bool ok, const JobRequest &request, const QString &error) {
        if (!ok) {
            Q_EMIT finished(false, tr("Job '%1': %2").arg(job.id, error));
            return;
        }
        Q_EMIT progress(tr("Starting %1 as %2…").arg(job.id, request.name));
        m_client->createJob(request, this, [this, job](const ApoloResult<Job> &result) {
            if (!result.ok()) {
                Q_EMIT finished(false, tr("Job '%1': %2").arg(job.id, result.error().toString()));
                return;
            }
            Q_EMIT jobStarted(result.value());
            Q_EMIT progress(tr("%1 started: %2").arg(job.id, result->id));
            runNext();
        });
    });
}

// Evaluates every template in `text`, one after the other (inspect_job needs the platform).
void FlowJobRunner::evaluate(const QString &text, std::function<void(bool, const QString &)> done)
{
    const FlowExpressions::ScanResult scan = FlowExpressions::scan(text);
    if (!scan.problems.isEmpty()) {
        done(false, scan.problems.constFirst().message);
        return;
    }
    if (scan.templates.isEmpty()) {
        done(true, text);
        return;
    }
    const FlowExpressions::Template first = scan.templates.constFirst();
    const QString body = first.body.trimmed();
    auto substitute = [this, text, first, done](const QString &value) {
        QString rest = text;
        rest.replace(first.start, first.length, value);
        evaluate(rest, done); // the value itself never contains a template
    };
    static const QRegularExpression simple(
        QStringLiteral("^([a-z_]+)\\.([A-Za-z_][A-Za-z0-9_]*)(?:\\.([A-Za-z_]+))?$"));
    static const QRegularExpression inspect(
        QStringLiteral("^inspect_job\\(\\s*(['\"])([^'\"]+)\\1\\s*\\)\\.([A-Za-z_]+)$"));
    if (const QRegularExpressionMatch m = inspect.match(body); m.hasMatch()) {
        const QString target = m.captured(2);
        const QString attribute = m.captured(3);
        JobListFilter filter;
        filter.tags = systemTags(m_projectId, flowId(), target);
        for (const FlowScalar &tag : m_flow.defaults.tags)
            filter.tags << tag.text;
        filter.statuses = {JobStatus::Pending, JobStatus::Suspended, JobStatus::Running};
        filter.reverse = true;
        auto found = std::make_shared<QList<Job>>();
        m_client->listJobs(
            filter, this, [found](const QList<Job> &jobs) { *found << jobs; },
            [found, target, attribute, substitute, done](const ApoloResult<Done> &result) {
                if (!result.ok() || found->isEmpty()) {
                    done(false, result.ok() ? tr("inspect_job('%1'): no running job; start '%1' first.").arg(target)
                                            : result.error().toString());
                    return;
                }
                const Job &job = found->constFirst();
                const QHash<QString, QString> attributes{
                    {QStringLiteral("id"), job.id},
                    {QStringLiteral("name"), job.name},
                    {QStringLiteral("status"), job.statusText},
                    {QStringLiteral("internal_hostname"), job.internalHostname},
                    {QStringLiteral("internal_hostname_named"), job.internalHostnameNamed},
                    {QStringLiteral("http_url"), job.preferredHttpUrl().toString()},
                    {QStringLiteral("preset_name"), job.presetName}};
                if (!attributes.contains(attribute)) {
                    done(false,
                         tr("inspect_job(…).%1 is not supported here; run the file with apolo-flow.").arg(attribute));
                    return;
                }
                substitute(attributes.value(attribute));
            });
        return;
    }
    const QRegularExpressionMatch m = simple.match(body);
    if (m.hasMatch()) {
        const QString context = m.captured(1);
        const QString name = m.captured(2);
        const QString attribute = m.captured(3);
        if ((context == QLatin1String("flow") && name == QLatin1String("project_id")) ||
            (context == QLatin1String("project") && name == QLatin1String("id")))
            return substitute(m_projectId);
        if (context == QLatin1String("flow") && name == QLatin1String("flow_id"))
            return substitute(flowId());
        if (context == QLatin1String("flow") && name == QLatin1String("title"))
            return substitute(m_flow.title.isSet() ? m_flow.title.text : flowId());
        if (context == QLatin1String("project") && name == QLatin1String("project_name"))
            return substitute(m_client->scope().project);
        if (context == QLatin1String("volumes") && m_flow.volume(name)) {
            const FlowVolume *volume = m_flow.volume(name);
            evaluate(volume->remote.text, [volume, attribute, substitute, done](bool ok, const QString &remote) {
                if (!ok)
                    return done(false, remote);
                const bool readOnly = boolValue(volume->readOnly, false);
                const QString mount = volume->mount.text;
                if (attribute == QLatin1String("ref_rw"))
                    return substitute(remote + QLatin1Char(':') + mount + QStringLiteral(":rw"));
                if (attribute == QLatin1String("ref_ro"))
                    return substitute(remote + QLatin1Char(':') + mount + QStringLiteral(":ro"));
                if (attribute == QLatin1String("ref"))
                    return substitute(remote + QLatin1Char(':') + mount +
                                      (readOnly ? QStringLiteral(":ro") : QStringLiteral(":rw")));
                if (attribute == QLatin1String("remote"))
                    return substitute(remote);
                if (attribute == QLatin1String("mount"))
                    return substitute(mount);
                done(false, tr("volumes.<id>.%1 is not supported here; run the file with apolo-flow.").arg(attribute));
            });
            return;
        }
    }
    done(false, tr("'%1' cannot be evaluated by apolo-deploy; run the file with apolo-flow.").arg(body));
}

void FlowJobRunner::buildRequest(const FlowJob &job,
                                 std::function<void(bool, const JobRequest &, const QString &)> done)
{
    // Evaluate every field that may hold a template, then assemble the request.
    struct Field
    {
        QString key;
        QString text;
    };
    auto fields = std::make_shared<QList<Field>>();
    for (const auto &[key, value] : job.scalars)
        fields->append({key, value.text});
    auto env = std::make_shared<QList<QPair<QString, QString>>>();
    for (const auto &[key, value] : m_flow.defaults.env)
        env->append({key, value.text});
    for (const auto &[key, value] : job.env)
        env->append({key, value.text});
    auto volumes = std::make_shared<QStringList>();
    for (const FlowScalar &v : m_flow.defaults.volumes)
        *volumes << v.text;
    for (const FlowScalar &v : job.volumes)
        *volumes << v.text;
    // All texts in one list, evaluated sequentially.
    auto texts = std::make_shared<QStringList>();
    for (const Field &f : std::as_const(*fields))
        *texts << f.text;
    for (const auto &pair : std::as_const(*env))
        *texts << pair.second;
    *texts << *volumes;
    auto results = std::make_shared<QStringList>();
    auto next = std::make_shared<std::function<void()>>();
    // The step holds itself only weakly; the pending evaluation keeps it alive, so it is freed
    // once the last one answered.
    std::weak_ptr<std::function<void()>> weakNext = next;
    *next = [this, job, fields, env, volumes, texts, results, weakNext, done] {
        if (results->size() < texts->size()) {
            evaluate(texts->at(results->size()),
                     [results, self = weakNext.lock(), done](bool ok, const QString &value) {
                         if (!ok)
                             return done(false, {}, value);
                         *results << value;
                         (*self)();
                     });
            return;
        }
        JobRequest r;
        qsizetype i = 0;
        QHash<QString, QString> values;
        for (const Field &f : std::as_const(*fields))
            values.insert(f.key, results->at(i++));
        for (const auto &pair : std::as_const(*env)) {
            const QString value = results->at(i++);
            if (!pair.first.isEmpty())
                r.env.insert(pair.first, value);
        }
        for (qsizetype v = 0; v < volumes->size(); ++v) {
            const QString spec = results->at(i++);
            if (spec.isEmpty())
                continue;
            const QStringList parts = spec.split(QLatin1Char(':'));
            if (spec.startsWith(QLatin1String("secret:")) && parts.size() == 3)
                r.secretVolumes.append({parts.at(0) + QLatin1Char(':') + parts.at(1), parts.at(2)});
            else if (spec.startsWith(QLatin1String("disk:")) && parts.size() >= 3)
                r.diskVolumes.append(
                    {parts.at(0) + QLatin1Char(':') + parts.at(1), parts.at(2), parts.value(3) == QLatin1String("ro")});
            else if (parts.size() >= 3)
                r.volumes.append(
                    {parts.at(0) + QLatin1Char(':') + parts.at(1), parts.at(2), parts.value(3) == QLatin1String("ro")});
            else
                return done(false, {}, tr("'%1' is not a volume string.").arg(spec));
        }
        r.image = values.value(QStringLiteral("image"));
        r.name = values.value(QStringLiteral("name"), generatedName(m_projectId, job.id));
        r.presetName = values.value(QStringLiteral("preset"), m_flow.defaults.preset.text);
        r.description = values.value(QStringLiteral("title"), flowId() + QLatin1Char('.') + job.id);
        r.entrypoint = values.value(QStringLiteral("entrypoint"));
        QString command = values.value(QStringLiteral("cmd"));
        if (values.contains(QStringLiteral("bash")))
            command = QStringLiteral("bash -euo pipefail -c ") +
                      PlatformNameRules::shellQuote(values.value(QStringLiteral("bash")));
        else if (values.contains(QStringLiteral("python")))
            command =
                QStringLiteral("python3 -uc ") + PlatformNameRules::shellQuote(values.value(QStringLiteral("python")));
        QStringList words;
        if (!PlatformNameRules::shellSplit(command, &words))
            return done(false, {}, tr("the command has an unterminated quote."));
        r.command = PlatformNameRules::shellJoin(words);
        r.workingDir = values.value(QStringLiteral("workdir"), m_flow.defaults.workdir.text);
        // apolo run exposes port 80 with authentication unless told otherwise; 0 = no HTTP.
        const int port = values.value(QStringLiteral("http_port"), QStringLiteral("80")).toInt();
        if (port > 0)
            r.http = JobHttp{port, boolValue(job.scalar(u"http_auth"), true), QString()};
        const QString lifeSpan =
            values.value(QStringLiteral("life_span"),
                         m_flow.defaults.lifeSpan.isSet() ? m_flow.defaults.lifeSpan.text : QStringLiteral("1d"));
        if (const auto seconds = FlowDuration::parseSeconds(lifeSpan); seconds && *seconds > 0)
            r.maxRunTimeMinutes = int(FlowDuration::toMaxRunTimeMinutes(*seconds));
        if (values.contains(QStringLiteral("schedule_timeout")))
            r.scheduleTimeoutSeconds = FlowDuration::parseSeconds(values.value(QStringLiteral("schedule_timeout")));
        const QString restart = values.value(QStringLiteral("restart"));
        if (!restart.isEmpty() && restart != QLatin1String("never"))
            r.restartPolicy = restart;
        r.passConfig = boolValue(job.scalar(u"pass_config"), false);
        r.tags = systemTags(m_projectId, flowId(), job.id);
        for (const FlowScalar &tag : m_flow.defaults.tags)
            r.tags << tag.text;
        for (const FlowScalar &tag : job.tags)
            r.tags << tag.text;
        if (r.image.isEmpty())
            return done(false, {}, tr("Image for job %1 is not specified.").arg(job.id));
        done(true, r, QString());
    };
    (*next)();
}

} // namespace ApoloDeploy
