// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apolo/ApoloError.h"
#include "apolo/Credentials.h"
#include "apolo/PlatformTypes.h"

#include <QUrl>

namespace ApoloDeploy {

// "Use my apolo CLI login": a read-only import of the apolo CLI's own sign-in (specs §2.4).
//
// The folder is $APOLO_CONFIG, else ~/.apolo, else the legacy $NEUROMATION_CONFIG or ~/.neuro
// when it holds a `db`. Like the SDK, it refuses a folder that is not 0700 or a db that is not
// 0600 (someone else could have planted or read it). The SQLite file is opened read-only and
// immutable (file:…?mode=ro&immutable=1), so nothing is ever written or locked: a login still
// sitting in the write-ahead log (db-wal) is not seen until the CLI checkpoints it.
// Reads a few hundred bytes from a local file: quick enough to call on the GUI thread.
struct ApoloCliLogin
{
    QString databasePath;
    QUrl apiUrl;
    Credentials credentials;
    ProjectScope scope; // the CLI's current cluster / org / project (may be partial)
};

namespace ApoloCliImport {

// The folder that would be read (without checking it).
QString configDirectory();
ApoloResult<ApoloCliLogin> import(const QString &configDirectoryOverride = QString());

} // namespace ApoloCliImport

} // namespace ApoloDeploy
