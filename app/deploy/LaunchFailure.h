// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "deploy/DeploymentState.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace ApoloDeploy {

struct ApoloError;
struct Job;

namespace Logs {
class LogClassifier;
}

// Why a launch stopped, in the words shown to people: what happened and what to do next.
// Pure functions over what the platform and the server's log said, so the wording is tested
// without a platform.
struct LaunchFailure
{
    QString reason;
    QString hint;

    // A job of the launch that stopped (failed, cancelled, collected) or cannot pull its
    // image; nullopt while the job is fine. The server's own log, when it knows why (KV cache,
    // OOM, NCCL…), wins over the platform's status.
    static std::optional<LaunchFailure> ofJob(const CreatedJob &created, const Job &job,
                                              const Logs::LogClassifier &serverLog);
    // A fatal line in the server's log while its job still runs.
    static std::optional<LaunchFailure> ofServerLog(const Logs::LogClassifier &serverLog);
    // The platform refused a request (quota, credits, bad request…) while doing `what`.
    static LaunchFailure ofRefusal(const ApoloError &error, const QString &what);
    // Saved jobs the platform answers "no such job" for; `all`: none of the launch's jobs is left.
    static LaunchFailure ofGoneJobs(const QString &deploymentName, const QStringList &goneJobs, bool all);
};

} // namespace ApoloDeploy
