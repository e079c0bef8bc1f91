// SPDX-License-Identifier: GPL-3.0-or-later
// Job-level failures the container log cannot show (apolo-api.md §3.5): the pod never started,
// or the platform ended it.
#include "logs/FailureDiagnoser.h"

#include <QCoreApplication>

namespace ApoloDeploy::Logs {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Logs", text);
}

Diagnosis make(const char *kind, QString title, QString hint, const QString &description, bool fatal = true)
{
    Diagnosis d;
    d.kind = QString::fromLatin1(kind);
    d.title = std::move(title);
    d.hint = std::move(hint);
    d.message = description;
    d.fatal = fatal;
    return d;
}

} // namespace

std::optional<Diagnosis> diagnoseJobStatus(const QString &status, const QString &reason, const QString &description,
                                           int exitCode)
{
    const QString detail = description.isEmpty() ? reason : description;
    if (reason == QLatin1String("ErrImagePull") || reason == QLatin1String("ImagePullBackOff") ||
        reason == QLatin1String("InvalidImageName") ||
        (reason == QLatin1String("Collected") && description.contains(QLatin1String("mage"))))
        return make("image_pull", tr("The platform cannot pull the container image (%1).").arg(detail),
                    tr("Check the image name and tag (e.g. vllm/vllm-openai:v0.7.2) and, for a private registry, "
                       "that the project can read it."),
                    detail, status == QLatin1String("failed"));
    if (reason == QLatin1String("OOMKilled"))
        return make(
            "container_oom", tr("The container ran out of host RAM and was killed."),
            tr("Pick a preset with more memory, or lower --swap-space (vLLM pins that much CPU memory per GPU)."),
            detail);
    if (reason == QLatin1String("ClusterScaleUpFailed") || reason == QLatin1String("NotFound"))
        return make("no_capacity", tr("The cluster had no free node for this preset (%1).").arg(detail),
                    tr("Try again later, pick another preset, or raise the schedule timeout."), detail,
                    status == QLatin1String("failed"));
    if (reason == QLatin1String("DiskUnavailable"))
        return make("disk_unavailable", tr("The job's disk could not be attached."),
                    tr("Check that the disk exists and is not used by another running job."), detail,
                    status == QLatin1String("failed"));
    if (reason == QLatin1String("QuotaExhausted"))
        return make("quota_exhausted", tr("The platform cancelled the job: no credits left."),
                    tr("Add credits to the organisation or project, then relaunch."), detail);
    if (reason == QLatin1String("LifeSpanEnded"))
        return make("life_span_ended", tr("The job reached its life span and was stopped."),
                    tr("Relaunch with a longer life span."), detail);
    if (reason == QLatin1String("ContainerCannotRun"))
        return make("container_cannot_run", tr("The container could not start: %1").arg(detail),
                    tr("Check the entrypoint and command of the job."), detail);
    if (status == QLatin1String("failed")) {
        return make(
            "job_failed",
            tr("The job failed (%1, exit code %2).").arg(reason.isEmpty() ? tr("no reason") : reason).arg(exitCode),
            tr("See the diagnosis of its log for the cause."), detail);
    }
    return std::nullopt;
}

} // namespace ApoloDeploy::Logs
