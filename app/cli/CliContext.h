// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/GlobalOptions.h"

#include <QStringList>
#include <QTextStream>
#include <QUrl>
#include <QtGlobal>

#include <functional>
#include <optional>

class QCommandLineParser;

namespace ApoloDeploy {

// What a subcommand gets. A command either finishes synchronously (calls finish() before
// returning) or starts asynchronous work and calls finish() later from the event loop.
// Exit codes: 0 success, 1 failure reported by the platform or the model, 2 usage error.
class CliContext
{
public:
    CliContext(QStringList arguments, GlobalOptions global);

    // arguments()[0] is the subcommand name, ready for QCommandLineParser::parse().
    const QStringList &arguments() const { return m_arguments; }
    const GlobalOptions &global() const { return m_global; }

    QTextStream &out() { return m_out; }
    QTextStream &err() { return m_err; }

    // Prints the message to stderr and finishes with code 2.
    void usageError(const QString &message);
    // The shared front of every command: adds --help, parses arguments(), answers --help (exit 0)
    // and parse errors (exit 2), and refuses positional arguments beyond maxPositional. Returns
    // false when the command has already finished.
    // The parser's help with "Usage: apolo-deploy <command>" (QCommandLineParser names the
    // binary's full path, and Qt 6.4 has no placeholder for it).
    static QString helpText(const QCommandLineParser &parser, const QString &command);
    bool parse(QCommandLineParser &parser, qsizetype maxPositional = 0);
    void finish(int exitCode);
    std::optional<int> exitCode() const { return m_exitCode; }

    // Called once when finish() is first called; CliApp uses it to leave the event loop.
    void setFinishedHandler(std::function<void(int)> handler) { m_onFinished = std::move(handler); }

private:
    QStringList m_arguments;
    GlobalOptions m_global;
    QTextStream m_out;
    QTextStream m_err;
    std::optional<int> m_exitCode;
    std::function<void(int)> m_onFinished;
};

using CommandRunner = void (*)(CliContext &context);

struct CommandSpec
{
    const char *name;
    const char *summary; // translated through QCoreApplication::translate("Cli", summary)
    CommandRunner run;
};

const QList<CommandSpec> &commandTable();

} // namespace ApoloDeploy
