// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/CliContext.h"

#include <QtGlobal>

namespace ApoloDeploy {

// Each command's runner is defined in its own <Name>Command.cpp.
// (Add one declaration and one table row per command; keep the table sorted by name.)
void runChatCommand(CliContext &context);
void runDiagnoseCommand(CliContext &context);
void runDownCommand(CliContext &context);
void runFlowCommand(CliContext &context);
void runHfTokenCommand(CliContext &context);
void runJobsCommand(CliContext &context);
void runKillCommand(CliContext &context);
void runLoginCommand(CliContext &context);
void runLogoutCommand(CliContext &context);
void runLogsCommand(CliContext &context);
void runPlanCommand(CliContext &context);
void runPresetsCommand(CliContext &context);
void runStatusCommand(CliContext &context);
void runUpCommand(CliContext &context);
void runUseCommand(CliContext &context);
void runWhoamiCommand(CliContext &context);

const QList<CommandSpec> &commandTable()
{
    static const QList<CommandSpec> table = {
        {"chat",
         QT_TRANSLATE_NOOP("Cli", "chat with a deployed model or any OpenAI-compatible endpoint (streams the answer)"),
         runChatCommand},
        {"diagnose",
         QT_TRANSLATE_NOOP("Cli", "explain a saved vLLM/Ray log: phases, memory, readiness, failure and fix"),
         runDiagnoseCommand},
        {"down", QT_TRANSLATE_NOOP("Cli", "tear a deployment down: kill all its jobs and check that none is left"),
         runDownCommand},
        {"flow", QT_TRANSLATE_NOOP("Cli", "apolo-flow live.yml: check, export, import, run jobs"), runFlowCommand},
        {"hf-token",
         QT_TRANSLATE_NOOP("Cli", "keep a Hugging Face token (stdin) in the keychain for gated models' configs"),
         runHfTokenCommand},
        {"jobs", QT_TRANSLATE_NOOP("Cli", "list your jobs in the current project (--all: also finished ones)"),
         runJobsCommand},
        {"kill", QT_TRANSLATE_NOOP("Cli", "cancel jobs by name or id"), runKillCommand},
        {"login", QT_TRANSLATE_NOOP("Cli", "sign in to Apolo (browser, token on stdin, or the apolo CLI's login)"),
         runLoginCommand},
        {"logout", QT_TRANSLATE_NOOP("Cli", "sign out: remove the token from the keychain"), runLogoutCommand},
        {"logs",
         QT_TRANSLATE_NOOP("Cli", "print a job's log; --follow resumes after dropped connections until the job ends"),
         runLogsCommand},
        {"plan", QT_TRANSLATE_NOOP("Cli", "plan GPU memory, context length, parallelism and cost for a model"),
         runPlanCommand},
        {"presets", QT_TRANSLATE_NOOP("Cli", "list the cluster's resource presets with GPUs, price and availability"),
         runPresetsCommand},
        {"status", QT_TRANSLATE_NOOP("Cli", "show a deployment's jobs, endpoint and cost (--json)"), runStatusCommand},
        {"up", QT_TRANSLATE_NOOP("Cli", "launch a model (Ray head, workers, vLLM server) and wait until it serves"),
         runUpCommand},
        {"use", QT_TRANSLATE_NOOP("Cli", "list your projects, or switch the current cluster / org / project"),
         runUseCommand},
        {"whoami", QT_TRANSLATE_NOOP("Cli", "show the signed-in user, cluster, org, project and credits"),
         runWhoamiCommand},
    };
    return table;
}

} // namespace ApoloDeploy
