// SPDX-License-Identifier: GPL-3.0-or-later
#include "deploy/LaunchFailure.h"

#include "apolo/ApoloError.h"
#include "apolo/PlatformTypes.h"
#include "logs/FailureDiagnoser.h"
#include "logs/LogClassifier.h"

#include <QCoreApplication>

namespace ApoloDeploy {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("LaunchFailure", text);
}

// The platform keeps such a job pending and retries the pull for ever: it never starts.
bool isPullFailure(const QString &reason)
{
    return reason == QLatin1String("ErrImagePull") || reason == QLatin1String("ImagePullBackOff") ||
           reason == QLatin1String("InvalidImageName");
}

QString roleDisplayName(JobRole role)
{
    switch (role) {
    case JobRole::Head: return tr("The Ray head");
    case JobRole::Worker: return tr("A Ray worker");
    case JobRole::Server: return tr("The vLLM server");
    case JobRole::Web: return tr("Open WebUI");
    }
    return {};
}

// When neither the platform's reason nor the log explains it (e.g. a job killed from outside).
QString roleHint(JobRole role)
{
    switch (role) {
    case JobRole::Head:
        return tr("Without the Ray head the workers and the server lose their cluster: tear the deployment down and "
                  "launch it again.");
    case JobRole::Worker:
        return tr("The server needs every pipeline stage: tear the deployment down and launch it again.");
    case JobRole::Server: return tr("Open the server's log to see its last lines, then tear down and launch again.");
    case JobRole::Web: return tr("The model itself is unaffected; launch again with Open WebUI, or without it.");
    }
    return {};
}

} // namespace

std::optional<LaunchFailure> LaunchFailure::ofJob(const CreatedJob &created, const Job &job,
                                                  const Logs::LogClassifier &serverLog)
{
    const bool pullFailure = job.status == JobStatus::Pending && isPullFailure(job.history.reason);
    if (!isFinished(job.status) && !pullFailure)
        return std::nullopt;
    const std::optional<Logs::Diagnosis> diagnosis = Logs::diagnoseJobStatus(
        job.statusText, job.history.reason, job.history.description, job.history.exitCode.value_or(0));
    QString reason = tr("%1 (%2) is %3").arg(roleDisplayName(created.role), job.name, job.statusText);
    if (!job.history.reason.isEmpty())
        reason += QStringLiteral(": ") + job.history.reason;
    if (!job.history.description.isEmpty())
        reason += QStringLiteral(" (") + job.history.description + QLatin1Char(')');
    if (diagnosis && !diagnosis->title.isEmpty())
        reason += QStringLiteral(". ") + diagnosis->title;
    const std::optional<Logs::Diagnosis> &logFailure = serverLog.failure();
    if (created.role == JobRole::Server && logFailure)
        return LaunchFailure{reason + QStringLiteral(". ") + logFailure->title, logFailure->hint};
    const QString hint = diagnosis && !diagnosis->hint.isEmpty() ? diagnosis->hint : roleHint(created.role);
    return LaunchFailure{reason, hint};
}

std::optional<LaunchFailure> LaunchFailure::ofServerLog(const Logs::LogClassifier &serverLog)
{
    if (!serverLog.hasFatalFailure())
        return std::nullopt;
    return LaunchFailure{tr("The vLLM server failed: %1").arg(serverLog.failure()->title), serverLog.failure()->hint};
}

LaunchFailure LaunchFailure::ofRefusal(const ApoloError &error, const QString &what)
{
    QString hint = error.hint;
    if (error.kind == ApoloError::Kind::Quota && hint.isEmpty())
        hint = tr("Stop other jobs or ask your org admin for a larger running-jobs quota.");
    else if (error.kind == ApoloError::Kind::Credits && hint.isEmpty())
        hint = tr("Top up the credits of your org or project, then launch again.");
    return {tr("%1 failed: %2").arg(what, error.message.isEmpty() ? ApoloError::kindName(error.kind) : error.message),
            hint};
}

LaunchFailure LaunchFailure::ofGoneJobs(const QString &deploymentName, const QStringList &goneJobs, bool all)
{
    const QString jobs = goneJobs.join(QStringLiteral(", "));
    if (all) // nothing is left that could cost credits: the launch is over, not half-created
        return {tr("None of the jobs of %1 exists on the platform any more (%2: \"no such job\"); the launch cannot "
                   "continue.")
                    .arg(deploymentName, jobs),
                tr("They were removed or collected while the console was closed. Launch %1 again (the Launch button, "
                   "or 'apolo-deploy up --name %1 …').")
                    .arg(deploymentName)};
    return {tr("%1 of %2 no longer exist(s) on the platform (\"no such job\"); the launch cannot continue.")
                .arg(jobs, deploymentName),
            tr("Tear down the rest ('apolo-deploy down --name %1 --yes', or Tear down) and launch again.")
                .arg(deploymentName)};
}

} // namespace ApoloDeploy
