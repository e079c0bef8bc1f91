// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apolo/ApoloError.h"
#include "apolo/PlatformSession.h"
#include "cli/CliContext.h"

#include <functional>

namespace ApoloDeploy::PlatformCli {

// Connects a PlatformSession for a command (--sandbox, --api-url, APOLO_DEPLOY_TOKEN or the
// keychain) and calls `ready` once it is usable. On failure prints the error and finishes with 1.
// The session lives until the process exits (it stops an embedded sandbox then).
void withSession(CliContext &context, std::function<void(PlatformSession &session)> ready);
// A session that is not connected yet (for login/logout).
PlatformSession &createSession(CliContext &context);

// Prints "error: <message>", the missing permissions and the hint to stderr and finishes with 1.
void fail(CliContext &context, const ApoloError &error);

// Left-aligned text columns separated by two spaces; the header row comes first.
QString formatTable(const QList<QStringList> &rows);

// "1.2 TiB", "128 GiB", "512 MiB".
QString formatBytes(qint64 bytes);

} // namespace ApoloDeploy::PlatformCli
