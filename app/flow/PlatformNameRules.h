// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace ApoloDeploy::PlatformNameRules {

// Server-side rules of platform-api (validators.py) that apolo-flow files and deployments must
// respect before anything is created. Each check returns an empty string when the value is
// fine, otherwise a sentence saying what to change.

inline constexpr int jobNameMinLength = 3;
inline constexpr int jobNameMaxLength = 40;
inline constexpr int tagMaxLength = 256;
inline constexpr int maxTags = 16;

// 3-40 chars, ^[a-z](?:-?[a-z0-9])*$, not starting with "job-".
QString checkJobName(const QString &name);
// 1-256 chars without whitespace.
QString checkTag(const QString &tag);
// "storage:path", "storage:/project/path" or "storage://cluster/…" (also disk:), no "..", "?", "#".
QString checkVolumeUri(const QString &uri);
// Absolute container path without ':' (volume strings are split on ':').
QString checkMountPath(const QString &path);
// A platform secret key as used in "secret:NAME".
QString checkSecretName(const QString &name);
// An environment variable name.
QString checkEnvName(const QString &name);
// A container image reference ("vllm/vllm-openai:v0.7.2", "image:my/img:tag").
QString checkImage(const QString &image);

// Python str.isidentifier() for ASCII, and not ALL-CAPS: apolo-flow's rule for ids.
bool isFlowIdentifier(const QString &id);

// Bourne-shell single quoting, as Python's shlex.quote: safe words stay bare.
QString shellQuote(const QString &word);
QString shellJoin(const QStringList &words);
// shlex.split (POSIX mode, no comments). Returns false on an unterminated quote.
bool shellSplit(const QString &text, QStringList *words);

} // namespace ApoloDeploy::PlatformNameRules
