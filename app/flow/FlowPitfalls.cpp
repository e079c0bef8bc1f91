// SPDX-License-Identifier: GPL-3.0-or-later
// The seed guide's Ray + vLLM flow works by accident in several places (apolo-flow.md §5).
// These checks find the same traps in any flow and say how to write them safely.
#include "flow/FlowChecker.h"
#include "flow/FlowExpressions.h"
#include "flow/PlatformNameRules.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QSet>

namespace ApoloDeploy::FlowPitfalls {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("FlowPitfalls", text);
}

using Severity = FlowIssue::Severity;

// Templates may contain quotes ('ray_head') that are gone once apolo-flow evaluated them, which
// happens before the command is split: split with placeholders and put the text back.
QStringList splitKeepingTemplates(const QString &text, bool *ok)
{
    const FlowExpressions::ScanResult scan = FlowExpressions::scan(text);
    QString masked = text;
    QStringList originals;
    for (qsizetype i = scan.templates.size() - 1; i >= 0; --i) {
        const auto &t = scan.templates.at(i);
        masked.replace(t.start, t.length, QStringLiteral("@@T%1@@").arg(i));
    }
    for (const auto &t : scan.templates)
        originals << text.mid(t.start, t.length);
    QStringList words;
    *ok = PlatformNameRules::shellSplit(masked, &words);
    for (QString &word : words) {
        for (qsizetype i = 0; i < originals.size(); ++i)
            word.replace(QStringLiteral("@@T%1@@").arg(i), originals.at(i));
    }
    return words;
}

const QRegularExpression &vllmLaunch()
{
    static const QRegularExpression re(
        QStringLiteral("python3?\\s+-m\\s+vllm\\.entrypoints\\.openai\\.api_server|vllm\\s+serve"));
    return re;
}

bool runsVllm(const FlowJob &job, const QStringList &words)
{
    if (vllmLaunch().match(words.join(QLatin1Char(' '))).hasMatch())
        return true;
    // The vllm-openai image's own entrypoint is the API server (UNCONFIRMED for v0.7.2, but
    // the mlops-open-webui `vllm` job relies on it): flags only, no entrypoint.
    return !job.has(u"entrypoint") && job.text(u"image").contains(QLatin1String("vllm-openai")) &&
           (words.isEmpty() || words.constFirst().startsWith(QLatin1String("--")));
}

QString flagValue(const QStringList &words, const QString &flag)
{
    for (qsizetype i = 0; i < words.size(); ++i) {
        if (words.at(i) == flag && i + 1 < words.size())
            return words.at(i + 1);
        if (words.at(i).startsWith(flag + QLatin1Char('=')))
            return words.at(i).mid(flag.size() + 1);
    }
    return {};
}

FlowPosition commandPosition(const FlowJob &job)
{
    for (const char *key : {"cmd", "bash", "entrypoint"}) {
        if (job.has(QLatin1String(key)))
            return job.scalar(QLatin1String(key)).position;
    }
    return job.position;
}

} // namespace

QString bashScript(const FlowJob &job)
{
    if (job.has(u"bash"))
        return job.text(u"bash");
    const QString entrypoint = job.text(u"entrypoint").trimmed();
    bool ok = false;
    const QStringList args = splitKeepingTemplates(job.text(u"cmd"), &ok);
    if (!ok)
        return {};
    QStringList entry;
    PlatformNameRules::shellSplit(entrypoint, &entry);
    const QStringList all = entry + args;
    const qsizetype c = all.indexOf(QStringLiteral("-c"));
    if (!all.isEmpty() && (all.constFirst() == QLatin1String("bash") || all.constFirst() == QLatin1String("sh")) &&
        c >= 0 && c + 1 < all.size())
        return all.at(c + 1);
    return {};
}

QStringList commandWords(const FlowJob &job)
{
    bool ok = false;
    const QString script = bashScript(job);
    if (!script.isEmpty()) {
        // Shell operators and line breaks become separate words so callers can see them.
        QString spaced = script;
        spaced.replace(QLatin1String("&&"), QLatin1String(" && ")).replace(QLatin1Char(';'), QLatin1String(" ; "));
        spaced.replace(QLatin1Char('\n'), QLatin1String(" \n "));
        QStringList words =
            splitKeepingTemplates(QString(spaced).replace(QLatin1Char('\n'), QLatin1String("@@NL@@")), &ok);
        for (QString &word : words)
            word.replace(QLatin1String("@@NL@@"), QLatin1String("\n"));
        return ok ? words : QStringList();
    }
    QStringList entry;
    PlatformNameRules::shellSplit(job.text(u"entrypoint"), &entry);
    const QStringList args = splitKeepingTemplates(job.text(u"cmd"), &ok);
    return ok ? entry + args : QStringList();
}

QList<FlowIssue> check(const LiveFlow &flow)
{
    QList<FlowIssue> issues;
    auto add = [&issues](Severity severity, const FlowPosition &position, const QString &message, const QString &fix,
                         const char *code) {
        issues.append({severity, position, message, fix, QString::fromLatin1(code)});
    };
    int rayNodes = 0;
    QList<QPair<const FlowJob *, int>> pipelineSizes;
    QMap<QString, QPair<QString, FlowPosition>> mounts; // mount path -> first remote
    QMap<QString, QList<FlowPosition>> contextLengths;
    for (const FlowJob &job : flow.jobs) {
        if (job.isActionOrModuleCall)
            continue;
        const QStringList words = commandWords(job);
        const QString script = bashScript(job);
        const FlowPosition where = commandPosition(job);
        const bool startsRay = words.contains(QStringLiteral("ray")) && words.contains(QStringLiteral("start"));
        const bool isHead = startsRay && words.contains(QStringLiteral("--head"));
        rayNodes += startsRay ? 1 : 0;

        // Bug 3: `ray start …` and `python3 -m vllm…` with no separator.
        const QRegularExpressionMatch launch = vllmLaunch().match(script);
        const qsizetype rayAt = script.indexOf(QLatin1String("ray start"));
        if (!script.isEmpty() && launch.hasMatch() && rayAt >= 0 && rayAt < launch.capturedStart()) {
            const QString between = script.mid(rayAt, launch.capturedStart() - rayAt);
            if (between.contains(QLatin1String("&&"))) {
            } else if (between.contains(QLatin1Char(';'))) {
                add(Severity::Warning, where,
                    tr("Job '%1' runs the server after ';': if `ray start` fails to join, vLLM still starts alone on "
                       "this node's GPUs.")
                        .arg(job.id),
                    tr("Join the two commands with '&&'."), "seed-semicolon");
            } else if (between.contains(QLatin1Char('\n'))) {
                add(Severity::Warning, where,
                    tr("Job '%1' runs two commands separated only by a line break. It works because a folded block "
                       "keeps the break before a more-indented line; re-indenting the second line joins them and "
                       "`ray start` then receives the vLLM command line as arguments.")
                        .arg(job.id),
                    tr("Write 'ray start --address=… && python3 -m vllm.entrypoints.openai.api_server …' on one line."),
                    "seed-no-separator");
            } else {
                add(Severity::Error, where,
                    tr("Job '%1' has no separator between `ray start` and the vLLM server: `ray start` receives "
                       "'python3 …' as extra arguments and the server never starts.")
                        .arg(job.id),
                    tr("Insert '&&' before python3."), "seed-no-separator");
            }
        }

        // Bug 12: a Ray node that exits at once, or `start …` handed to the image's entrypoint.
        if (!job.has(u"entrypoint") && !job.has(u"bash") &&
            job.text(u"cmd").trimmed().startsWith(QLatin1String("start")))
            add(Severity::Error, where,
                tr("Job '%1' passes 'start …' with no entrypoint: the image's own entrypoint (the vLLM API server in "
                   "vllm-openai) receives it, not ray.")
                    .arg(job.id),
                tr("Add 'entrypoint: ray'."), "seed-missing-entrypoint");
        if (startsRay && script.isEmpty() && !words.contains(QStringLiteral("--block")))
            add(Severity::Error, where,
                tr("`ray start` in job '%1' has no --block: it returns at once, the job ends and the node leaves the "
                   "cluster.")
                    .arg(job.id),
                tr("Add --block."), "seed-missing-block");

        // Bug 7: an exposed port on the head, where nothing serves HTTP.
        const FlowScalar port = job.scalar(u"http_port");
        if (isHead && port.isSet() && port.text.trimmed() != QLatin1String("0"))
            add(Severity::Warning, port.position,
                tr("The Ray head '%1' exposes http_port %2, but nothing serves HTTP there (vLLM runs on another job).")
                    .arg(job.id, port.text),
                tr("Remove http_port (and http_auth) from this job."), "seed-head-http-port");
        if (isHead && !words.join(QLatin1Char(' ')).contains(QLatin1String("--dashboard-host")))
            add(Severity::Info, where, tr("The Ray head '%1' binds its dashboard to localhost only.").arg(job.id),
                tr("Add --dashboard-host=0.0.0.0 to reach it from other jobs."), "seed-dashboard-host");

        // Bug 8: repeated life_span.
        const FlowScalar lifeSpan = job.scalar(u"life_span");
        if (lifeSpan.isSet() && flow.defaults.lifeSpan.isSet() && lifeSpan.text == flow.defaults.lifeSpan.text)
            add(Severity::Info, lifeSpan.position, tr("life_span %1 repeats defaults.life_span.").arg(lifeSpan.text),
                tr("Remove it from the job."), "seed-redundant-life-span");

        // Bug 9: inspect_job is resolved once, when this job starts.
        QSet<QString> inspected;
        auto collect = [&inspected](const FlowScalar &value) {
            for (const auto &t : FlowExpressions::scan(value.text).templates) {
                for (const auto &call : FlowExpressions::inspectJobCalls(t.body))
                    inspected.insert(call.jobId);
            }
        };
        for (const auto &[key, value] : job.scalars)
            collect(value);
        for (const auto &[key, value] : job.env)
            collect(value);
        for (const QString &target : std::as_const(inspected))
            add(Severity::Info, job.position,
                tr("Job '%1' resolves inspect_job('%2') once, when it starts: '%2' must already be running, and "
                   "`apolo-flow run %1` fails otherwise.")
                    .arg(job.id, target),
                tr("Start '%1' first (apolo-deploy launches in that order).")
                    .arg(QString(target).replace(QLatin1Char('-'), QLatin1Char('_'))),
                "seed-inspect-order");

        // Bugs 4 and 11: the vLLM flags against the rest of the file.
        if (runsVllm(job, words)) {
            const QString pp = flagValue(words, QStringLiteral("--pipeline-parallel-size"));
            const QString ppShort = flagValue(words, QStringLiteral("-pp"));
            pipelineSizes.append(
                {&job, (pp.isEmpty() ? (ppShort.isEmpty() ? QStringLiteral("1") : ppShort) : pp).toInt()});
            const QString maxLen = flagValue(words, QStringLiteral("--max-model-len"));
            if (!maxLen.isEmpty())
                contextLengths[maxLen].append(where);
        }

        // Bug 6: one mount path, several caches.
        for (const FlowScalar &volume : job.volumes) {
            QString remote;
            QString mount;
            const FlowExpressions::ScanResult scan = FlowExpressions::scan(volume.text);
            if (scan.templates.size() == 1) {
                const QStringList ref = FlowExpressions::contextReferences(scan.templates.constFirst().body).value(0);
                if (ref.size() >= 2 && ref.at(0) == QLatin1String("volumes")) {
                    if (const FlowVolume *v = flow.volume(ref.at(1))) {
                        remote = v->remote.text;
                        mount = v->mount.text;
                    }
                }
            } else {
                const QStringList parts = volume.text.split(QLatin1Char(':'));
                if (parts.size() >= 3) {
                    remote = parts.at(0) + QLatin1Char(':') + parts.at(1);
                    mount = parts.at(2);
                }
            }
            if (mount.isEmpty())
                continue;
            if (!mounts.contains(mount))
                mounts.insert(mount, {remote, volume.position});
            else if (mounts.value(mount).first != remote)
                add(Severity::Warning, volume.position,
                    tr("%1 is mounted from %2 here but from %3 in another job: the nodes download into different "
                       "caches.")
                        .arg(mount, remote, mounts.value(mount).first),
                    tr("Use the same volume on every job."), "seed-cache-mismatch");
        }
    }
    if (contextLengths.size() > 1) {
        for (auto it = contextLengths.cbegin(); it != contextLengths.cend(); ++it) {
            for (const FlowPosition &position : it.value())
                add(Severity::Warning, position,
                    tr("--max-model-len is %1 here but %2 elsewhere in this file.")
                        .arg(it.key(), QStringList(contextLengths.keys()).join(QStringLiteral(" / "))),
                    tr("Use one context length; the planner tells which one fits."), "seed-context-mismatch");
        }
    }
    for (const auto &[job, pp] : pipelineSizes) {
        if (rayNodes >= 2 && pp != rayNodes)
            add(Severity::Warning, commandPosition(*job),
                tr("--pipeline-parallel-size is %1 but %2 jobs join the Ray cluster: with one stage per node, PP must "
                   "equal the node count.")
                    .arg(pp)
                    .arg(rayNodes),
                tr("Set --pipeline-parallel-size=%1, or remove the extra Ray jobs.").arg(rayNodes),
                "seed-pp-node-count");
    }
    return issues;
}

} // namespace ApoloDeploy::FlowPitfalls
