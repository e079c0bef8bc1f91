// SPDX-License-Identifier: GPL-3.0-or-later
// Entry point: the console window when no subcommand is given, otherwise the command line.

#include "cli/CliApp.h"
#include "core/AppInfo.h"
#include "ui/GuiApp.h"

#include <QCoreApplication>
#include <QLoggingCategory>

int main(int argc, char *argv[])
{
    using namespace ApoloDeploy;
    QStringList arguments;
    arguments.reserve(argc);
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);

    const CliApp::Invocation invocation = CliApp::parse(arguments);
    const bool commandLine = !invocation.commandArguments.isEmpty() || invocation.showHelp || invocation.showVersion ||
                             !invocation.error.isEmpty();
    if (!commandLine)
        return GuiApp::run(argc, argv, invocation.global);

    // The command line's output is its result: module chatter stays off unless asked for with
    // QT_LOGGING_RULES (warnings still reach stderr).
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("adc.*.debug=false\nadc.*.info=false"));
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QLatin1String(AppInfo::organizationName));
    QCoreApplication::setApplicationName(QLatin1String(AppInfo::applicationName));
    QCoreApplication::setApplicationVersion(AppInfo::version());
    return CliApp::run(invocation);
}
