// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace ApoloDeploy::Sandbox {

// One simple command of a shell list and how it is joined to the one before it.
struct ShellStep
{
    enum class Join {
        First,      // the first command
        Always,     // after ";" or a newline
        IfSuccess,  // after "&&"
        IfFailure,  // after "||"
        Background, // the previous command was started with "&"
    };
    QStringList argv;
    Join join = Join::First;
};

struct ShellParse
{
    QList<ShellStep> steps;
    QString error; // bash's own wording, e.g. "unexpected EOF while looking for matching `''"
};

// POSIX shell word splitting (quotes, backslashes; no expansion) like shlex.split.
QStringList splitShellWords(const QString &text, QString *error = nullptr);
// A command list: words split as above, commands separated by ; && || & and newlines.
ShellParse parseShellList(const QString &script);
// The container's process: the image entrypoint (or its override) followed by the command; a
// `bash -c '…'` / `sh -c '…'` wrapper is unfolded into its command list.
ShellParse containerSteps(const QStringList &imageEntrypoint, const QString &entrypointOverride,
                          const QString &command);

} // namespace ApoloDeploy::Sandbox
