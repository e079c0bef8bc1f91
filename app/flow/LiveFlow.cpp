// SPDX-License-Identifier: GPL-3.0-or-later
#include "flow/LiveFlow.h"

namespace ApoloDeploy {

FlowScalar FlowJob::scalar(QAnyStringView key) const
{
    for (const auto &[name, value] : scalars) {
        if (QAnyStringView(name) == key)
            return value;
    }
    return {};
}

void FlowJob::set(const QString &key, const FlowScalar &value)
{
    for (auto &entry : scalars) {
        if (entry.first == key) {
            entry.second = value;
            return;
        }
    }
    scalars.append({key, value});
}

QString FlowJob::envValue(QStringView name) const
{
    for (const auto &[key, value] : env) {
        if (key == name)
            return value.text;
    }
    return {};
}

const FlowJob *LiveFlow::job(QStringView jobId) const
{
    for (const FlowJob &job : jobs) {
        if (job.id == jobId)
            return &job;
    }
    return nullptr;
}

const FlowVolume *LiveFlow::volume(QStringView volumeId) const
{
    for (const FlowVolume &volume : volumes) {
        if (volume.id == volumeId)
            return &volume;
    }
    return nullptr;
}

QString flowSeverityName(FlowIssue::Severity severity)
{
    switch (severity) {
    case FlowIssue::Severity::Error: return QStringLiteral("error");
    case FlowIssue::Severity::Warning: return QStringLiteral("warning");
    case FlowIssue::Severity::Info: return QStringLiteral("info");
    }
    return {};
}

} // namespace ApoloDeploy
