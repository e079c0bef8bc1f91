// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/CliContext.h"

#include <QtGlobal>

namespace ApoloDeploy {

// Each command's runner is defined in its own <Name>Command.cpp.
// (Add one declaration and one table row per command; keep the table sorted by name.)
void runChatCommand(CliContext &context);
void runPlanCommand(CliContext &context);

const QList<CommandSpec> &commandTable()
{
    static const QList<CommandSpec> table = {
        {"chat", QT_TRANSLATE_NOOP("Cli", "chat with a deployed model or any OpenAI-compatible endpoint (streams the answer)"), runChatCommand},
        {"plan", QT_TRANSLATE_NOOP("Cli", "plan GPU memory, context length, parallelism and cost for a model"), runPlanCommand},
    };
    return table;
}

} // namespace ApoloDeploy
