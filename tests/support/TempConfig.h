// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTemporaryDir>

namespace ApoloDeploy::Test {

// Points APOLO_DEPLOY_CONFIG_DIR (settings) and XDG data/state folders at a fresh temporary
// directory for the lifetime of the object, so tests never read or write the user's files.
class TempConfig
{
public:
    TempConfig();
    ~TempConfig();
    QString path() const { return m_dir.path(); }
    // Every file below path(), for tests that scan what the app wrote.
    QStringList files() const;

private:
    QTemporaryDir m_dir;
    QByteArray m_oldConfigDir;
};

} // namespace ApoloDeploy::Test
