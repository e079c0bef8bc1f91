// SPDX-License-Identifier: GPL-3.0-or-later
// apolo-deploy diagnose FILE|- [--json]: phases, readiness, memory numbers and the failure with its
// fix, read from a saved vLLM / Ray log (the same classifier as the live log pane).

#include "cli/CliContext.h"
#include "logs/LogClassifier.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>

#include <cstdio>

namespace ApoloDeploy {

namespace {

using namespace Logs;

QString tr(const char *text)
{
    return QCoreApplication::translate("Cli", text);
}

QString describeValue(const QVariant &value)
{
    return value.typeId() == QMetaType::Double ? QString::number(value.toDouble(), 'f', 2) : value.toString();
}

void printReport(QTextStream &out, const LogClassifier &classifier)
{
    out << tr("Lines read: %1").arg(classifier.linesSeen()) << '\n';
    for (const PhaseRecord &record : classifier.phases()) {
        QStringList values;
        for (auto it = record.values.constBegin(); it != record.values.constEnd(); ++it)
            values << it.key() + QLatin1Char('=') + describeValue(it.value());
        out << QStringLiteral("  %1  %2")
                   .arg(QString::number(record.firstLine).rightJustified(7), phaseDisplayName(record.phase));
        if (!values.isEmpty())
            out << QStringLiteral("  (") << values.join(QStringLiteral(", ")).left(160) << ')';
        out << '\n';
    }
    if (classifier.loadingPercent() && *classifier.loadingPercent() < 100)
        out << tr("Weight loading: %1%, ETA %2").arg(*classifier.loadingPercent()).arg(classifier.loadingEta()) << '\n';
    const QVariantMap metrics = classifier.metrics();
    if (!metrics.isEmpty()) {
        out << tr("Measured:") << '\n';
        for (auto it = metrics.constBegin(); it != metrics.constEnd(); ++it)
            out << QStringLiteral("  %1 = %2").arg(it.key(), describeValue(it.value())) << '\n';
    }
    for (const Diagnosis &warning : classifier.warnings())
        out << tr("Warning (line %1): %2").arg(warning.line).arg(warning.title) << '\n'
            << tr("  Fix: %1").arg(warning.hint) << '\n';
    if (const auto &failure = classifier.failure()) {
        out << tr("FAILED (line %1, %2): %3").arg(failure->line).arg(failure->kind, failure->title) << '\n'
            << tr("  Log: %1").arg(failure->message.left(300)) << '\n'
            << tr("  Fix: %1").arg(failure->hint) << '\n';
    }
    out << (classifier.isReady() ? tr("Ready: the server accepts requests.")
                                 : tr("Not ready: the log ends before \"Application startup complete.\""))
        << '\n';
}

} // namespace

void runDiagnoseCommand(CliContext &context)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Explain a saved vLLM/Ray log: launch phases, memory numbers, readiness, "
                                        "and the failure with its fix."));
    parser.addHelpOption();
    const QCommandLineOption json(QStringLiteral("json"), tr("print a JSON document instead of text"));
    parser.addOption(json);
    parser.addPositionalArgument(QStringLiteral("FILE"), tr("the log file, or - for standard input"));
    if (!parser.parse(context.arguments()))
        return context.usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        context.out() << CliContext::helpText(parser, QStringLiteral("diagnose"));
        return context.finish(0);
    }
    const QStringList files = parser.positionalArguments();
    if (files.size() != 1)
        return context.usageError(tr("diagnose needs exactly one FILE (or - for standard input). "
                                     "Example: apolo-deploy diagnose vllm.log"));

    QFile file;
    const bool opened = files.constFirst() == QLatin1String("-")
                            ? file.open(stdin, QIODevice::ReadOnly)
                            : (file.setFileName(files.constFirst()), file.open(QIODevice::ReadOnly));
    if (!opened)
        return context.usageError(tr("Cannot read %1: %2").arg(files.constFirst(), file.errorString()));

    // Line by line, so a multi-gigabyte log needs no more memory than its longest line.
    LogClassifier classifier;
    qint64 number = 0;
    while (!file.atEnd()) {
        QByteArray raw = file.readLine();
        if (raw.endsWith('\n'))
            raw.chop(1);
        classifier.classify(QString::fromUtf8(raw), ++number);
    }
    if (file.error() != QFileDevice::NoError)
        return context.usageError(tr("Reading %1 failed: %2").arg(files.constFirst(), file.errorString()));

    if (parser.isSet(json))
        context.out() << QJsonDocument(classifier.toJson()).toJson(QJsonDocument::Indented);
    else
        printReport(context.out(), classifier);
    context.finish(classifier.hasFatalFailure() ? 1 : 0);
}

} // namespace ApoloDeploy
