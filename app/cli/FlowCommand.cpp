// SPDX-License-Identifier: GPL-3.0-or-later
// apolo-deploy flow check FILE | export [deployment options] | import FILE | run FILE JOB…
#include "apolo/PlatformSession.h"
#include "cli/CliContext.h"
#include "deploy/DeploymentFlow.h"
#include "deploy/DeploymentOptions.h"
#include "deploy/DeploymentValidator.h"
#include "deploy/FlowJobRunner.h"
#include "deploy/JobPreview.h"
#include "flow/FlowChecker.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace ApoloDeploy {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("FlowCommand", text);
}

QJsonArray issuesJson(const QList<FlowIssue> &issues)
{
    QJsonArray array;
    for (const FlowIssue &issue : issues)
        array.append(QJsonObject{{QStringLiteral("severity"), flowSeverityName(issue.severity)},
                                 {QStringLiteral("line"), issue.position.line},
                                 {QStringLiteral("column"), issue.position.column},
                                 {QStringLiteral("code"), issue.code},
                                 {QStringLiteral("message"), issue.message},
                                 {QStringLiteral("fix"), issue.fix}});
    return array;
}

bool readFile(CliContext &context, const QString &path, QByteArray *bytes)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        context.err() << tr("Cannot read %1: %2").arg(path, file.errorString()) << Qt::endl;
        context.finish(2);
        return false;
    }
    *bytes = file.readAll();
    return true;
}

// A live.yml read, checked against apolo-flow's rules and, if it parses, mapped to a deployment.
struct LoadedFlow
{
    FlowReadResult read;
    DeploymentFlow::ImportResult imported;
    QString projectId; // --project-id, or the folder holding .apolo/
};

// False (after saying why) when the file cannot be read.
bool loadFlow(CliContext &context, const QString &path, const QString &projectId, int referenceMaxModelLen,
              LoadedFlow *loaded)
{
    QByteArray bytes;
    if (!readFile(context, path, &bytes))
        return false;
    loaded->read = FlowChecker::readAndCheck(bytes);
    loaded->projectId = projectId.isEmpty() ? DeploymentFlow::projectIdForPath(path) : projectId;
    DeploymentFlow::ImportOptions options;
    options.projectId = loaded->projectId;
    options.referenceMaxModelLen = referenceMaxModelLen;
    if (loaded->read.parsed)
        loaded->imported = DeploymentFlow::fromLiveFlow(loaded->read.flow, options);
    return true;
}

QCommandLineOption helpOption()
{
    return QCommandLineOption({QStringLiteral("h"), QStringLiteral("help")}, tr("print this help"));
}

void runCheck(CliContext &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption help = helpOption();
    const QCommandLineOption json(QStringLiteral("json"), tr("print JSON"));
    const QCommandLineOption projectId(QStringLiteral("project-id"),
                                       tr("apolo-flow project id (default: the folder holding .apolo/)"),
                                       QStringLiteral("ID"));
    const QCommandLineOption maxModelLen(QStringLiteral("max-model-len"),
                                         tr("flag a different context length in the file"), QStringLiteral("TOKENS"));
    parser.addOptions({help, json, projectId, maxModelLen});
    parser.addPositionalArgument(QStringLiteral("FILE"), tr("the live.yml to check"));
    if (!parser.parse(arguments)) {
        context.usageError(parser.errorText());
        return;
    }
    if (parser.isSet(help) || parser.positionalArguments().size() != 2) {
        if (!parser.isSet(help)) {
            context.usageError(tr("Usage: apolo-deploy flow check FILE [--json]"));
            return;
        }
        context.out() << CliContext::helpText(parser, QStringLiteral("flow check"));
        context.finish(0);
        return;
    }
    const QString path = parser.positionalArguments().at(1);
    LoadedFlow loaded;
    if (!loadFlow(context, path, parser.value(projectId), parser.value(maxModelLen).toInt(), &loaded))
        return;
    const FlowReadResult &read = loaded.read;
    const DeploymentFlow::ImportResult &imported = loaded.imported;
    const bool errors = FlowChecker::hasErrors(read.issues);
    if (parser.isSet(json)) {
        QJsonObject document{{QStringLiteral("file"), path},
                             {QStringLiteral("valid"), !errors},
                             {QStringLiteral("issues"), issuesJson(read.issues)},
                             {QStringLiteral("recognisedDeployment"), imported.recognised}};
        if (imported.recognised) {
            document.insert(QStringLiteral("deployment"), imported.deployment.toJson());
            document.insert(QStringLiteral("importNotes"), issuesJson(imported.issues));
        }
        context.out() << QJsonDocument(document).toJson();
    } else {
        if (!read.issues.isEmpty())
            context.out() << FlowChecker::format(read.issues, path) << Qt::endl;
        if (imported.recognised)
            context.out() << FlowChecker::format(imported.issues, path) << Qt::endl
                          << tr("%1: a Ray + vLLM deployment of %2 (%3 node(s) x TP %4).")
                                 .arg(path, imported.deployment.model)
                                 .arg(imported.deployment.pipelineParallel)
                                 .arg(imported.deployment.tensorParallel)
                          << Qt::endl;
        context.out() << (errors ? tr("%1: apolo-flow would refuse this file.").arg(path)
                                 : tr("%1: OK for apolo-flow.").arg(path))
                      << Qt::endl;
    }
    context.finish(errors ? 1 : 0);
}

void runExport(CliContext &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption help = helpOption();
    const QCommandLineOption apoloRun(QStringLiteral("apolo-run"),
                                      tr("print the equivalent 'apolo run' commands instead"));
    parser.addOptions({help, apoloRun});
    const DeploymentOptions deploymentOptions;
    deploymentOptions.addTo(parser);
    if (!parser.parse(arguments)) {
        context.usageError(parser.errorText());
        return;
    }
    if (parser.isSet(help)) {
        context.out() << CliContext::helpText(parser, QStringLiteral("flow export"));
        context.finish(0);
        return;
    }
    Deployment deployment;
    QString error;
    if (!deploymentOptions.apply(parser, deployment, &error)) {
        context.usageError(error);
        return;
    }
    const QList<ValidationIssue> issues = DeploymentValidator().validate(deployment);
    if (!issues.isEmpty())
        context.err() << DeploymentValidator::format(issues) << Qt::endl;
    if (DeploymentValidator::hasErrors(issues)) {
        context.finish(2);
        return;
    }
    if (parser.isSet(apoloRun))
        context.out() << JobPreview::script(deployment);
    else
        context.out() << QString::fromUtf8(DeploymentFlow::exportYaml(deployment));
    context.finish(0);
}

void runImport(CliContext &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption help = helpOption();
    const QCommandLineOption projectId(QStringLiteral("project-id"), tr("apolo-flow project id"), QStringLiteral("ID"));
    parser.addOptions({help, projectId});
    if (!parser.parse(arguments) || parser.positionalArguments().size() != 2) {
        context.usageError(tr("Usage: apolo-deploy flow import FILE [--project-id ID]"));
        return;
    }
    const QString path = parser.positionalArguments().at(1);
    LoadedFlow loaded;
    if (!loadFlow(context, path, parser.value(projectId), 0, &loaded))
        return;
    const FlowReadResult &read = loaded.read;
    const DeploymentFlow::ImportResult &imported = loaded.imported;
    if (!read.issues.isEmpty() || !imported.issues.isEmpty())
        context.err() << FlowChecker::format(read.issues + imported.issues, path) << Qt::endl;
    if (!imported.recognised) {
        context.finish(1);
        return;
    }
    context.out() << QJsonDocument(imported.deployment.toJson()).toJson();
    context.finish(0);
}

void runRun(CliContext &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption help = helpOption();
    const QCommandLineOption projectId(QStringLiteral("project-id"),
                                       tr("apolo-flow project id (default: the folder holding .apolo/)"),
                                       QStringLiteral("ID"));
    parser.addOptions({help, projectId});
    if (!parser.parse(arguments) || parser.positionalArguments().size() < 3) {
        context.usageError(tr("Usage: apolo-deploy flow run FILE JOB... [--project-id ID]"));
        return;
    }
    const QString path = parser.positionalArguments().at(1);
    const QStringList jobIds = parser.positionalArguments().mid(2);
    LoadedFlow loaded;
    if (!loadFlow(context, path, parser.value(projectId), 0, &loaded))
        return;
    const FlowReadResult &read = loaded.read;
    if (FlowChecker::hasErrors(read.issues)) {
        context.err() << FlowChecker::format(read.issues, path) << Qt::endl
                      << tr("%1: apolo-flow would refuse this file; fix it first.").arg(path) << Qt::endl;
        context.finish(1);
        return;
    }
    const QString project = loaded.projectId;
    if (project.isEmpty()) {
        context.usageError(
            tr("%1 is not inside a .apolo/ folder: give the apolo-flow project id with --project-id.").arg(path));
        return;
    }
    auto *session = new PlatformSession({context.global(), false, nullptr}, QCoreApplication::instance());
    QObject::connect(session, &PlatformSession::failed, session, [&context](const ApoloError &error) {
        context.err() << tr("Cannot reach Apolo: %1").arg(error.toString()) << Qt::endl;
        context.finish(1);
    });
    const LiveFlow flow = read.flow;
    QObject::connect(session, &PlatformSession::ready, session, [&context, session, flow, project, jobIds] {
        auto *runner = new FlowJobRunner(session->client(), flow, project, session);
        QObject::connect(runner, &FlowJobRunner::progress, runner,
                         [&context](const QString &m) { context.out() << m << Qt::endl; });
        QObject::connect(runner, &FlowJobRunner::finished, runner, [&context](bool ok, const QString &message) {
            (ok ? context.out() : context.err()) << message << Qt::endl;
            context.finish(ok ? 0 : 1);
        });
        runner->run(jobIds);
    });
    session->connectToPlatform();
}

} // namespace

void runFlowCommand(CliContext &context)
{
    // The parsers take arguments[0] ("flow") as the program name, so the subcommand is the
    // first positional argument and the file the second.
    const QStringList &arguments = context.arguments(); // "flow", "check", options…
    const QString sub = arguments.value(1);
    if (sub == QLatin1String("check"))
        runCheck(context, arguments);
    else if (sub == QLatin1String("export"))
        runExport(context, arguments);
    else if (sub == QLatin1String("import"))
        runImport(context, arguments);
    else if (sub == QLatin1String("run"))
        runRun(context, arguments);
    else if (sub.isEmpty() || sub == QLatin1String("--help") || sub == QLatin1String("-h")) {
        context.out() << tr("Usage: apolo-deploy flow check FILE [--json] [--project-id ID] [--max-model-len N]\n"
                            "       apolo-deploy flow export [deployment options] [--apolo-run] > live.yml\n"
                            "       apolo-deploy flow import FILE [--project-id ID]\n"
                            "       apolo-deploy flow run FILE JOB... [--project-id ID]\n");
        context.finish(sub.isEmpty() ? 2 : 0);
    } else {
        context.usageError(tr("Unknown flow command '%1': use check, export, import or run.").arg(sub));
    }
}

} // namespace ApoloDeploy
