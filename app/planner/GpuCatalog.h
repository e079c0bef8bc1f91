// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace ApoloDeploy::Planner {

struct GpuSpec
{
    QString model; // canonical platform-style name ("nvidia-h100-80gb")
    QString name;  // "NVIDIA H100 SXM5 80GB"
    QStringList aliases;
    qint64 visibleBytes = 0; // what CUDA reports; vLLM's total_gpu_memory
    int nominalGb = 0;
    int bandwidthGBps = 0;
    bool nvlink = false;
    bool confirmed = false; // false: planner.md marks the visible size UNCONFIRMED
    QString source;
};

// The GPU table compiled from resources/gpus.json. Lookup is forgiving about vendor prefixes,
// case and separators ("NVIDIA H100 80GB HBM3", "nvidia-h100-80gb", "H100").
class GpuCatalog
{
public:
    // Parses the JSON; an empty catalog and *error on malformed input.
    static GpuCatalog fromJson(const QByteArray &json, QString *error = nullptr);
    // The bundled table (":/planner/gpus.json").
    static const GpuCatalog &builtIn();

    const QList<GpuSpec> &gpus() const { return m_gpus; }
    std::optional<GpuSpec> find(const QString &modelName) const;
    // Model plus optional preset memory: the table entry when known, otherwise an estimate from the
    // nominal bytes the platform reports (CUDA sees ~99% of it, like H100 79.18 of 80 GiB).
    std::optional<GpuSpec> resolve(const QString &modelName, qint64 presetMemoryBytes) const;

private:
    QList<GpuSpec> m_gpus;
};

} // namespace ApoloDeploy::Planner
