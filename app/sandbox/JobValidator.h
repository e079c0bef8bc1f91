// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandbox/SandboxJob.h"

#include <QJsonObject>
#include <QStringList>

namespace ApoloDeploy::Sandbox {

class PresetCatalog;
struct SandboxConfig;

// Checks a job-create payload the way platform-api does (trafaret validators, then the job
// request builder) and turns it into a SandboxJob. Errors carry the server's texts: a Python
// repr of trafaret's error dict for shape problems, plain sentences for the rest.
class JobValidator
{
public:
    JobValidator(const SandboxConfig &config, const PresetCatalog &presets);

    struct Result
    {
        int status = 0;        // 0 = valid; else the HTTP status to answer
        QJsonObject errorBody; // {"error": …} or {"missing": […]}
        SandboxJob job;        // filled when valid (no id, times or statuses yet)
        bool waitForJobsQuota = false;
    };
    // fromPreset: the flat `?from_preset` form; otherwise the nested `container` form.
    Result validate(const QJsonObject &payload, bool fromPreset) const;

    // True for images the sandbox can "pull" (documented rule, see ImageRules in the .cpp).
    static bool imageExists(const QString &image);
    static bool isValidImageName(const QString &image);
    static QString orgProjectHash(const QString &org, const QString &project);

private:
    const SandboxConfig &m_config;
    const PresetCatalog &m_presets;
};

} // namespace ApoloDeploy::Sandbox
