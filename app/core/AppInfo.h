// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace ApoloDeploy::AppInfo {

// Identity used for QCoreApplication, settings paths, the single-instance socket and packaging.
inline constexpr auto organizationName = "Apolo";
inline constexpr auto applicationName = "apolo-deploy";
inline constexpr auto displayName = "Apolo Deploy Console";
inline constexpr auto desktopFileName = "us.apolo.DeployConsole";

QString version();
QString gitHash();
// "apolo-deploy 0.1.0 (git abc123)": what --version prints and the About dialog copies.
QString versionLine();
// Library versions (Qt at build and run time, yaml-cpp, QtKeychain) and the OS, one per line.
QString buildInfo();

} // namespace ApoloDeploy::AppInfo
