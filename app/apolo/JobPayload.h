// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apolo/ApoloError.h"
#include "apolo/PlatformTypes.h"

#include <QJsonObject>

namespace ApoloDeploy::JobPayload {

// The flat POST /jobs?from_preset body (§3.2) for a request, as `apolo run` builds it:
// storage:/secret:/disk: URIs normalised against `scope` (the request's own scope fields win),
// env values "secret:KEY" moved to secret_env, image:NAME[:TAG] expanded with `registryHost`
// (e.g. "registry.c1.org.apolo.us"), resources {"shm": true}. Checks what the server would
// refuse (name and tag syntax, absolute unique mount paths) so the user hears it before sending.
ApoloResult<QJsonObject> build(const JobRequest &request, const ProjectScope &scope,
                               const QString &registryHost = QString());

// The server's job name rule: 3-40 chars, ^[a-z](?:-?[a-z0-9])*$, not starting with "job-".
// Returns an empty string when valid, else why not.
QString checkJobName(const QString &name);

} // namespace ApoloDeploy::JobPayload
