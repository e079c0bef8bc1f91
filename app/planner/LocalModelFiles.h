// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace ApoloDeploy::Planner {

struct LocalModelFiles
{
    QByteArray configJson;
    std::optional<qint64> checkpointBytes; // model.safetensors.index.json metadata.total_size
    QString error;
    bool isOk() const { return error.isEmpty(); }
};

// Reads config.json (a file, or a model directory holding config.json) and, next to it, the
// optional model.safetensors.index.json. File I/O only; parsing stays in the pure functions.
LocalModelFiles readLocalModelFiles(const QString &path);

} // namespace ApoloDeploy::Planner
