// SPDX-License-Identifier: GPL-3.0-or-later
#include "flow/FlowChecker.h"

#include "flow/FlowDuration.h"
#include "flow/FlowExpressions.h"
#include "flow/PlatformNameRules.h"
#include "flow/Yaml11Scalar.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace ApoloDeploy {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("FlowChecker", text);
}

using Severity = FlowIssue::Severity;

class Checker
{
public:
    explicit Checker(const LiveFlow &flow)
        : m_flow(flow)
    {}

    QList<FlowIssue> run()
    {
        checkTop();
        checkDefaults();
        for (const FlowVolume &volume : m_flow.volumes)
            checkVolume(volume);
        for (const FlowJob &job : m_flow.jobs)
            checkJob(job);
        return std::move(m_issues);
    }

private:
    void add(Severity severity, const FlowPosition &position, const QString &message, const QString &fix,
             const char *code)
    {
        m_issues.append({severity, position, message, fix, QString::fromLatin1(code)});
    }

    void checkTop()
    {
        if (m_flow.kind.isSet() && m_flow.kind.text != QLatin1String("live"))
            add(Severity::Error, m_flow.kind.position,
                m_flow.kind.text == QLatin1String("batch")
                    ? tr("Batch flows are not supported here; this console reads live flows.")
                    : tr("kind must be 'live', not '%1'.").arg(m_flow.kind.text),
                tr("Write 'kind: live'."), "bad-kind");
        for (const FlowScalar *literal : {&m_flow.id, &m_flow.title}) {
            if (literal->isSet() && FlowExpressions::containsTemplate(literal->text))
                add(Severity::Error, literal->position, tr("Expressions are not allowed in the flow's id or title."),
                    tr("Write a literal value."), "template-not-allowed");
            else
                checkTemplates(*literal);
        }
        if (m_flow.id.isSet() && !PlatformNameRules::isFlowIdentifier(m_flow.id.text))
            add(Severity::Error, m_flow.id.position, tr("The flow id '%1' is not an identifier.").arg(m_flow.id.text),
                tr("Use letters, digits and '_'."), "bad-id");
    }

    void checkDefaults()
    {
        const FlowDefaults &d = m_flow.defaults;
        checkDuration(d.lifeSpan, "life_span");
        checkDuration(d.scheduleTimeout, "schedule_timeout");
        checkEnv(d.env);
        for (const FlowScalar &v : d.volumes)
            checkVolumeString(v);
        for (const FlowScalar &tag : d.tags)
            checkTag(tag);
        for (const FlowScalar *s : {&d.workdir, &d.preset})
            checkTemplates(*s);
        if (d.workdir.isSet() && !FlowExpressions::containsTemplate(d.workdir.text) &&
            !d.workdir.text.startsWith(QLatin1Char('/')))
            add(Severity::Error, d.workdir.position, tr("workdir must be an absolute path."), tr("Start it with '/'."),
                "bad-workdir");
    }

    void checkVolume(const FlowVolume &volume)
    {
        checkTemplates(volume.remote);
        checkTemplates(volume.mount);
        if (volume.remote.isSet() && !volume.remote.text.startsWith(QLatin1String("storage:")) &&
            !volume.remote.text.startsWith(QLatin1String("disk:")) &&
            !FlowExpressions::isSingleTemplate(volume.remote.text))
            add(Severity::Error, volume.remote.position,
                tr("The remote of volume '%1' must be a storage: or disk: URI.").arg(volume.id),
                tr("Write e.g. storage:$[[ flow.project_id ]]/cache."), "bad-volume-remote");
        if (volume.mount.isSet() && !FlowExpressions::containsTemplate(volume.mount.text)) {
            const QString problem = PlatformNameRules::checkMountPath(volume.mount.text);
            if (!problem.isEmpty())
                add(Severity::Error, volume.mount.position, problem, tr("Write an absolute path such as /data."),
                    "bad-mount");
        }
        checkBool(volume.readOnly, "read_only");
    }

    void checkJob(const FlowJob &job)
    {
        if (job.isActionOrModuleCall)
            return;
        QStringList commands;
        for (const char *key : {"cmd", "bash", "python"}) {
            if (job.has(QLatin1String(key)))
                commands << QString::fromLatin1(key);
        }
        if (commands.size() > 1)
            add(Severity::Error, job.scalar(commands.at(1)).position,
                tr("%1 are mutually exclusive in job '%2'.").arg(commands.join(QLatin1Char(',')), job.id),
                tr("Keep only one of them."), "exclusive-command");
        if (!job.has(u"image") && job.mixins.isEmpty())
            add(Severity::Error, job.position, tr("Job '%1' has no image.").arg(job.id),
                tr("Add e.g. 'image: vllm/vllm-openai:v0.7.2'."), "missing-image");
        for (const auto &[key, value] : job.scalars)
            checkTemplates(value);
        checkDuration(job.scalar(u"life_span"), "life_span");
        checkDuration(job.scalar(u"schedule_timeout"), "schedule_timeout");
        checkName(job.scalar(u"name"));
        checkRestart(job.scalar(u"restart"));
        checkPort(job);
        for (const char *key : {"http_auth", "detach", "browse", "pass_config"})
            checkBool(job.scalar(QLatin1String(key)), key);
        const FlowScalar multi = job.scalar(u"multi");
        if (multi.isSet() && FlowExpressions::containsTemplate(multi.text))
            add(Severity::Error, multi.position, tr("multi must be a literal true or false."),
                tr("Remove the expression."), "template-not-allowed");
        else
            checkBool(multi, "multi");
        const FlowScalar workdir = job.scalar(u"workdir");
        if (workdir.isSet() && !FlowExpressions::containsTemplate(workdir.text) &&
            !workdir.text.startsWith(QLatin1Char('/')))
            add(Severity::Error, workdir.position, tr("workdir must be an absolute path."), tr("Start it with '/'."),
                "bad-workdir");
        checkEnv(job.env);
        for (const FlowScalar &v : job.volumes)
            checkVolumeString(v);
        for (const FlowScalar &tag : job.tags)
            checkTag(tag);
        for (const FlowScalar &forward : job.portForward) {
            checkTemplates(forward);
            static const QRegularExpression pattern(QStringLiteral("^\\d+:\\d+$"));
            if (!FlowExpressions::containsTemplate(forward.text) && !pattern.match(forward.text).hasMatch())
                add(Severity::Error, forward.position,
                    tr("port_forward item '%1' is not LOCAL:REMOTE.").arg(forward.text),
                    tr("Write digits only, e.g. \"2211:22\"."), "bad-port-forward");
        }
        for (const FlowScalar &mixin : job.mixins) {
            if (!m_flow.mixinIds.contains(mixin.text) && !FlowExpressions::containsTemplate(mixin.text))
                add(Severity::Warning, mixin.position, tr("No mixin '%1' in this file.").arg(mixin.text),
                    tr("Define it under 'mixins:' (or in project.yml)."), "unknown-mixin");
        }
    }

    void checkPort(const FlowJob &job)
    {
        const FlowScalar port = job.scalar(u"http_port");
        const FlowScalar browse = job.scalar(u"browse");
        const FlowScalar auth = job.scalar(u"http_auth");
        int portValue = -1;
        if (port.isSet() && !FlowExpressions::containsTemplate(port.text)) {
            bool ok = false;
            portValue = port.text.trimmed().toInt(&ok);
            if (!ok || portValue < 0 || portValue > 65535) {
                add(Severity::Error, port.position, tr("http_port '%1' is not a port number.").arg(port.text),
                    tr("Write a number from 1 to 65535 (0 = no HTTP)."), "bad-port");
                portValue = -1;
            }
        } else if (port.isSet() && !FlowExpressions::isSingleTemplate(port.text)) {
            add(Severity::Error, port.position, tr("Implicit concatenation is not allowed for int fields."),
                tr("Use exactly one ${{ … }} expression and nothing around it."), "implicit-concatenation");
        }
        const bool browseOn = browse.isSet() && browse.plain && Yaml11Scalar::resolvePlain(browse.text).boolValue;
        if (browseOn && (!port.isSet() || portValue == 0))
            add(Severity::Error, browse.position, tr("browse needs an HTTP port; apolo run refuses it otherwise."),
                tr("Set http_port or remove browse."), "browse-without-port");
        if (auth.isSet() && portValue == 0)
            add(Severity::Error, auth.position, tr("http_auth cannot be used with http_port 0."),
                tr("Remove http_auth or expose a port."), "auth-without-port");
    }

    void checkDuration(const FlowScalar &value, const char *key)
    {
        if (!value.isSet() || FlowExpressions::containsTemplate(value.text))
            return;
        const std::optional<double> seconds = FlowDuration::parseSeconds(value.text);
        if (!seconds)
            add(Severity::Error, value.position, tr("%1 '%2' is not a duration.").arg(QLatin1String(key), value.text),
                tr("Write <int>d<int>h<int>m<int>s in that order without spaces (e.g. 10d, 1d12h, 90m), or a number of "
                   "seconds."),
                "bad-duration");
        else if (QLatin1String(key) == QLatin1String("life_span") && *seconds > 0 && *seconds < 60)
            add(Severity::Error, value.position, tr("The platform refuses life spans under one minute."),
                tr("Use at least 1m (a bare number means seconds)."), "short-life-span");
    }

    void checkName(const FlowScalar &name)
    {
        if (!name.isSet() || FlowExpressions::containsTemplate(name.text))
            return;
        const QString problem = PlatformNameRules::checkJobName(name.text);
        if (!problem.isEmpty())
            add(Severity::Error, name.position, problem, tr("Rename the job, e.g. '%1'.").arg(suggestName(name.text)),
                "bad-job-name");
    }

    static QString suggestName(QString name)
    {
        name = name.toLower();
        name.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("-"));
        name.remove(QRegularExpression(QStringLiteral("^[^a-z]+|-+$")));
        if (name.startsWith(QLatin1String("job-")))
            name.prepend(QStringLiteral("my-"));
        return name.left(40);
    }

    void checkRestart(const FlowScalar &restart)
    {
        if (!restart.isSet() || FlowExpressions::containsTemplate(restart.text))
            return;
        if (!QStringList{QStringLiteral("never"), QStringLiteral("on-failure"), QStringLiteral("always")}.contains(
                restart.text))
            add(Severity::Error, restart.position, tr("restart '%1' is not a restart policy.").arg(restart.text),
                tr("Use never, on-failure or always."), "bad-restart");
    }

    void checkBool(const FlowScalar &value, const char *key)
    {
        if (!value.isSet() || FlowExpressions::isSingleTemplate(value.text))
            return;
        if (!value.plain) {
            // apolo-flow converts with Python truthiness: every non-empty string is true.
            add(Severity::Warning, value.position,
                tr("%1 is a quoted string (\"%2\"), which apolo-flow treats as true whatever it says.")
                    .arg(QLatin1String(key), value.text),
                tr("Write %1 without quotes.")
                    .arg(value.text.toLower() == QLatin1String("false") ? QStringLiteral("false")
                                                                        : QStringLiteral("true")),
                "quoted-bool");
        } else if (Yaml11Scalar::resolvePlain(value.text).type != Yaml11Scalar::Type::Bool) {
            add(Severity::Error, value.position,
                tr("%1 expects true or false, not '%2'.").arg(QLatin1String(key), value.text),
                tr("Write true or false."), "bad-bool");
        }
    }

    void checkEnv(const FlowEnv &env)
    {
        for (const auto &[name, value] : env) {
            checkTemplates(value);
            if (name.isEmpty())
                continue; // a whole-map expression
            if (!value.plain || FlowExpressions::containsTemplate(value.text))
                continue;
            const Yaml11Scalar::Resolved resolved = Yaml11Scalar::resolvePlain(value.text);
            if (resolved.type == Yaml11Scalar::Type::Null)
                add(Severity::Error, value.position, tr("env %1 has no value; apolo-flow refuses None.").arg(name),
                    tr("Write %1: \"\" for an empty value.").arg(name), "env-null");
            else if (resolved.pythonText != value.text)
                add(Severity::Warning, value.position,
                    tr("env %1: the plain value %2 is loaded as %3 and reaches the job as \"%4\".")
                        .arg(name, value.text, Yaml11Scalar::typeName(resolved.type), resolved.pythonText),
                    tr("Quote it: %1: \"%2\".").arg(name, value.text), "yaml11-retyped");
        }
    }

    void checkTag(const FlowScalar &tag)
    {
        checkTemplates(tag);
        if (!FlowExpressions::containsTemplate(tag.text)) {
            const QString problem = PlatformNameRules::checkTag(tag.text);
            if (!problem.isEmpty())
                add(Severity::Error, tag.position, problem, tr("Remove the whitespace or shorten the tag."), "bad-tag");
        }
    }

    void checkVolumeString(const FlowScalar &volume)
    {
        checkTemplates(volume);
        if (volume.text.isEmpty() || FlowExpressions::containsTemplate(volume.text))
            return;
        const QStringList parts = volume.text.split(QLatin1Char(':'));
        const bool secret = volume.text.startsWith(QLatin1String("secret:"));
        const bool modeOk =
            parts.size() == 3 || (parts.size() == 4 && !secret &&
                                  (parts.at(3) == QLatin1String("ro") || parts.at(3) == QLatin1String("rw")));
        if (!modeOk || !parts.at(2).startsWith(QLatin1Char('/')))
            add(Severity::Error, volume.position, tr("'%1' is not a volume string.").arg(volume.text),
                secret ? tr("Write secret:NAME:/path/in/container.")
                       : tr("Write storage:FOLDER:/path/in/container[:ro|:rw]."),
                "bad-volume");
    }

    void checkTemplates(const FlowScalar &value)
    {
        if (!value.isSet() || !value.text.contains(QLatin1Char('$')))
            return;
        const FlowExpressions::ScanResult scan = FlowExpressions::scan(value.text);
        for (const auto &problem : scan.problems)
            add(Severity::Error, value.position, problem.message, problem.fix, "expr-syntax");
        for (const auto &tmpl : scan.templates) {
            for (const auto &problem : FlowExpressions::checkBody(tmpl.body, tmpl.start + 3))
                add(Severity::Error, value.position, problem.message, problem.fix, "expr-syntax");
            checkReferences(value, tmpl.body);
        }
    }

    void checkReferences(const FlowScalar &value, const QString &body)
    {
        for (const QStringList &ref : FlowExpressions::contextReferences(body)) {
            if (ref.size() < 2)
                continue;
            if (ref.at(0) == QLatin1String("volumes") && !m_flow.volume(ref.at(1)))
                add(Severity::Error, value.position, tr("There is no volume '%1' in this flow.").arg(ref.at(1)),
                    tr("Define it under 'volumes:' or fix the name."), "unknown-volume");
            else if (ref.at(0) == QLatin1String("images") && !m_flow.imageIds.contains(ref.at(1)))
                add(Severity::Error, value.position, tr("There is no image '%1' in this flow.").arg(ref.at(1)),
                    tr("Define it under 'images:' or fix the name."), "unknown-image");
        }
        for (const auto &call : FlowExpressions::inspectJobCalls(body)) {
            QString asId = call.jobId;
            asId.replace(QLatin1Char('-'), QLatin1Char('_'));
            if (!PlatformNameRules::isFlowIdentifier(call.jobId)) {
                // Seed bug 1: works only because inspect_job looks the job up by the tag
                // job:<id with _ -> ->, so 'ray-worker' and 'ray_worker' happen to meet.
                add(Severity::Warning, value.position,
                    tr("inspect_job('%1') takes a job id, and '%1' is not one (it looks like a platform job name). It "
                       "only works because both spellings give the tag job:%2.")
                        .arg(call.jobId, call.jobId.toLower().replace(QLatin1Char('_'), QLatin1Char('-'))),
                    tr("Write inspect_job('%1').").arg(asId), "seed-inspect-job-name");
            }
            if (!m_flow.job(call.jobId) && !m_flow.job(asId))
                add(Severity::Error, value.position,
                    tr("inspect_job('%1'): there is no such job in this flow.").arg(call.jobId),
                    tr("Use one of: %1.").arg(jobIds().join(QStringLiteral(", "))), "unknown-job");
        }
    }

    QStringList jobIds() const
    {
        QStringList ids;
        for (const FlowJob &job : m_flow.jobs)
            ids << job.id;
        return ids;
    }

    const LiveFlow &m_flow;
    QList<FlowIssue> m_issues;
};

} // namespace

QList<FlowIssue> FlowChecker::check(const LiveFlow &flow)
{
    QList<FlowIssue> issues = Checker(flow).run();
    issues << FlowPitfalls::check(flow);
    return issues;
}

FlowReadResult FlowChecker::readAndCheck(const QByteArray &yaml)
{
    FlowReadResult result = FlowReader::read(yaml);
    if (result.parsed)
        result.issues << check(result.flow);
    std::stable_sort(result.issues.begin(), result.issues.end(), [](const FlowIssue &a, const FlowIssue &b) {
        return std::pair(a.position.line, a.position.column) < std::pair(b.position.line, b.position.column);
    });
    return result;
}

bool FlowChecker::hasErrors(const QList<FlowIssue> &issues)
{
    return std::any_of(issues.cbegin(), issues.cend(), [](const FlowIssue &issue) { return issue.isError(); });
}

QString FlowChecker::format(const QList<FlowIssue> &issues, const QString &fileName)
{
    QStringList lines;
    for (const FlowIssue &issue : issues) {
        QString line = QStringLiteral("%1:%2:%3: %4: %5")
                           .arg(fileName)
                           .arg(issue.position.line)
                           .arg(issue.position.column)
                           .arg(flowSeverityName(issue.severity), issue.message);
        if (!issue.fix.isEmpty())
            line += QStringLiteral("\n    ") + tr("fix: %1").arg(issue.fix);
        lines << line;
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace ApoloDeploy
