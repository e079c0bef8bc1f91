// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/TempConfig.h"

#include <QDirIterator>

namespace ApoloDeploy::Test {

TempConfig::TempConfig()
    : m_oldConfigDir(qgetenv("APOLO_DEPLOY_CONFIG_DIR"))
{
    qputenv("APOLO_DEPLOY_CONFIG_DIR", m_dir.path().toLocal8Bit());
}

TempConfig::~TempConfig()
{
    if (m_oldConfigDir.isEmpty())
        qunsetenv("APOLO_DEPLOY_CONFIG_DIR");
    else
        qputenv("APOLO_DEPLOY_CONFIG_DIR", m_oldConfigDir);
}

QStringList TempConfig::files() const
{
    QStringList result;
    QDirIterator it(m_dir.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        result << it.next();
    return result;
}

} // namespace ApoloDeploy::Test
