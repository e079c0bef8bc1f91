// SPDX-License-Identifier: GPL-3.0-or-later
#include "planner/LocalModelFiles.h"

#include "planner/ModelConfig.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

namespace ApoloDeploy::Planner {

LocalModelFiles readLocalModelFiles(const QString &path)
{
    LocalModelFiles files;
    const QFileInfo info(path);
    const QString configPath = info.isDir() ? info.filePath() + QLatin1String("/config.json") : info.filePath();
    QFile config(configPath);
    if (!config.open(QIODevice::ReadOnly)) {
        files.error =
            QCoreApplication::translate("Planner", "cannot read %1: %2").arg(configPath, config.errorString());
        return files;
    }
    constexpr qint64 kMaxConfigBytes = 4 << 20; // configs are a few KiB; refuse a wrong pick quickly
    if (config.size() > kMaxConfigBytes) {
        files.error = QCoreApplication::translate("Planner", "%1 is %2 bytes: that is not a config.json")
                          .arg(configPath)
                          .arg(config.size());
        return files;
    }
    files.configJson = config.readAll();
    QFile index(QFileInfo(configPath).absolutePath() + QLatin1String("/model.safetensors.index.json"));
    if (index.open(QIODevice::ReadOnly))
        files.checkpointBytes = parseSafetensorsIndexTotalSize(index.read(64 << 20));
    return files;
}

} // namespace ApoloDeploy::Planner
