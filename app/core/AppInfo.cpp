// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/AppInfo.h"

#include "AdcVersion.h"

#include <QSysInfo>
#include <QtGlobal>

namespace ApoloDeploy::AppInfo {

QString version()
{
    return QStringLiteral(ADC_VERSION);
}

QString gitHash()
{
    return QStringLiteral(ADC_GIT_HASH);
}

QString versionLine()
{
    return QStringLiteral("%1 %2 (git %3)").arg(QLatin1String(applicationName), version(), gitHash());
}

QString buildInfo()
{
    // yaml-cpp and QtKeychain do not export a version macro on Debian 12; CMake passes the
    // versions it found so the About dialog reports what was really linked.
    return QStringLiteral("%1\nQt %2 (built with %3)\nyaml-cpp %4\nQtKeychain %5\n%6 %7 (%8)")
        .arg(versionLine(), QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR),
             QStringLiteral(ADC_YAML_CPP_VERSION), QStringLiteral(ADC_QTKEYCHAIN_VERSION),
             QSysInfo::prettyProductName(), QSysInfo::kernelVersion(), QSysInfo::currentCpuArchitecture());
}

} // namespace ApoloDeploy::AppInfo
