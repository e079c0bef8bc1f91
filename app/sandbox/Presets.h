// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace ApoloDeploy::Sandbox {

// A resource preset as the cluster config lists it. Order matters: the first one is the
// default when a job names none (the platform and the CLI both pick it).
struct Preset
{
    QString name;
    QString creditsPerHour; // decimal string, as the API sends it
    double cpu = 0;
    qint64 memoryBytes = 0;
    int gpuCount = 0;
    QString gpuModel;
    qint64 gpuMemoryBytes = 0;
    QString pool;

    QJsonObject toJson() const;
    double pricePerHour() const { return creditsPerHour.toDouble(); }
};

// A node type jobs are scheduled on; its size bounds how many jobs of a preset fit at once.
struct ResourcePool
{
    QString name;
    int maxNodes = 0;
    double cpu = 0;
    qint64 memoryBytes = 0;
    int gpusPerNode = 0;
    QString gpuModel;
    qint64 gpuMemoryBytes = 0;

    QJsonObject toJson() const;
};

class PresetCatalog
{
public:
    PresetCatalog();
    const QList<Preset> &presets() const { return m_presets; }
    const QList<ResourcePool> &pools() const { return m_pools; }
    const Preset *find(const QString &name) const;
    const ResourcePool *pool(const QString &name) const;
    QJsonArray presetsJson() const;
    QJsonArray poolsJson() const;

private:
    QList<Preset> m_presets;
    QList<ResourcePool> m_pools;
};

} // namespace ApoloDeploy::Sandbox
