// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/CliContext.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>

#include <cstdio>

namespace ApoloDeploy {

CliContext::CliContext(QStringList arguments, GlobalOptions global)
    : m_arguments(std::move(arguments))
    , m_global(std::move(global))
    , m_out(stdout)
    , m_err(stderr)
{}

void CliContext::usageError(const QString &message)
{
    m_err << message << Qt::endl;
    finish(2);
}

QString CliContext::helpText(const QCommandLineParser &parser, const QString &command)
{
    QString help = parser.helpText();
    static const QRegularExpression usage(QStringLiteral("^Usage: \\S+"));
    return help.replace(usage, QStringLiteral("Usage: apolo-deploy ") + command);
}

bool CliContext::parse(QCommandLineParser &parser, qsizetype maxPositional)
{
    parser.addHelpOption();
    if (!parser.parse(m_arguments)) {
        usageError(parser.errorText());
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        m_out << helpText(parser, m_arguments.value(0));
        finish(0);
        return false;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > maxPositional) {
        usageError(QCoreApplication::translate("Cli", "Unexpected argument '%1'. See '%2 --help'.")
                       .arg(positional.at(maxPositional), m_arguments.value(0)));
        return false;
    }
    return true;
}

void CliContext::finish(int exitCode)
{
    if (m_exitCode)
        return;
    m_out.flush();
    m_err.flush();
    m_exitCode = exitCode;
    if (m_onFinished)
        m_onFinished(exitCode);
}

} // namespace ApoloDeploy
