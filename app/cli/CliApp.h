// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cli/CliContext.h"

namespace ApoloDeploy::CliApp {

// Splits argv into global options and a subcommand without creating any QCoreApplication, so
// main() can decide between the GUI and the command line before choosing the application type.
struct Invocation
{
    GlobalOptions global;
    QStringList commandArguments; // empty: start the GUI
    bool showHelp = false;
    bool showVersion = false;
    QString error; // a usage error to print (exit 2)
};

Invocation parse(const QStringList &arguments);

// Runs a command line invocation to completion; needs a QCoreApplication. Returns the exit code.
int run(const Invocation &invocation);

QString helpText();

} // namespace ApoloDeploy::CliApp
