// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QUrl>

namespace ApoloDeploy {

// Options given before any subcommand; they apply to the GUI and to every command.
struct GlobalOptions
{
    QUrl apiUrl;          // --api-url; empty = the configured one
    bool sandbox = false; // --sandbox: start and use the embedded apolo-sandbox
};

} // namespace ApoloDeploy
