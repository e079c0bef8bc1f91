// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apolo/ApoloError.h"
#include "apolo/PlatformTypes.h"

#include <QString>

// Platform URI normalisation exactly as the SDK's _normalize_uri (specs/apolo-api.md §6.1):
//   scheme:PATH      -> scheme://cluster/org/project/PATH   ("storage:" alone = project root)
//   scheme:/PATH     -> scheme://cluster/org/PATH           (org relative)
//   scheme://host/…  -> verbatim (host = cluster name; "storage://hf-cache" means cluster hf-cache)
// Refused: another scheme than expected, "~", "#", "?", user, password or port.
namespace ApoloDeploy::UriNormalizer {

// Schemes bound to a cluster: storage, image, job, secret, disk, blob, flow.
bool isPlatformScheme(const QString &scheme);

// `expectedScheme` e.g. "storage"; the scope must be complete for relative URIs.
ApoloResult<QString> normalize(const QString &uri, const QString &expectedScheme, const ProjectScope &scope);

// "secret:KEY" env values become secret_env entries (the CLI's -e NAME=secret:KEY rule).
bool isSecretReference(const QString &value);

} // namespace ApoloDeploy::UriNormalizer
