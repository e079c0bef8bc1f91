// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/Presets.h"

namespace ApoloDeploy::Sandbox {

namespace {

constexpr qint64 kGiB = 1024LL * 1024 * 1024;

QJsonObject gpuJson(int count, const QString &model, qint64 memory)
{
    QJsonObject gpu{{QStringLiteral("count"), count}, {QStringLiteral("model"), model}};
    if (memory > 0)
        gpu.insert(QStringLiteral("memory"), memory);
    return gpu;
}

} // namespace

QJsonObject Preset::toJson() const
{
    QJsonObject json{{QStringLiteral("name"), name},
                     {QStringLiteral("credits_per_hour"), creditsPerHour},
                     {QStringLiteral("cpu"), cpu},
                     {QStringLiteral("memory"), memoryBytes},
                     {QStringLiteral("memory_mb"), memoryBytes / (1024 * 1024)},
                     {QStringLiteral("scheduler_enabled"), false},
                     {QStringLiteral("preemptible_node"), false},
                     {QStringLiteral("is_preemptible"), false},
                     {QStringLiteral("is_preemptible_node_required"), false},
                     {QStringLiteral("resource_pool_names"), QJsonArray{pool}},
                     {QStringLiteral("available_resource_pool_names"), QJsonArray{pool}}};
    if (gpuCount > 0)
        json.insert(QStringLiteral("nvidia_gpu"), gpuJson(gpuCount, gpuModel, gpuMemoryBytes));
    return json;
}

QJsonObject ResourcePool::toJson() const
{
    QJsonObject json{{QStringLiteral("name"), name},
                     {QStringLiteral("min_size"), 0},
                     {QStringLiteral("max_size"), maxNodes},
                     {QStringLiteral("idle_size"), 0},
                     {QStringLiteral("cpu"), cpu},
                     {QStringLiteral("available_cpu"), cpu - 2},
                     {QStringLiteral("memory"), memoryBytes},
                     {QStringLiteral("available_memory"), memoryBytes - 16 * kGiB},
                     {QStringLiteral("disk_size"), 2000 * kGiB},
                     {QStringLiteral("available_disk_size"), 1900 * kGiB},
                     {QStringLiteral("is_preemptible"), false}};
    if (gpusPerNode > 0)
        json.insert(QStringLiteral("nvidia_gpu"), gpuJson(gpusPerNode, gpuModel, gpuMemoryBytes));
    return json;
}

PresetCatalog::PresetCatalog()
{
    const QString h100 = QStringLiteral("nvidia-h100-80gb");
    const QString h200 = QStringLiteral("nvidia-h200-141gb");
    m_pools = {
        {QStringLiteral("cpu-pool"), 8, 32, 128 * kGiB, 0, {}, 0},
        {QStringLiteral("h100-pool"), 4, 224, 2048 * kGiB, 8, h100, 80 * kGiB},
        {QStringLiteral("h200-pool"), 2, 224, 2048 * kGiB, 8, h200, 141 * kGiB},
    };
    m_presets = {
        {QStringLiteral("cpu-small"), QStringLiteral("0.08"), 2.0, 8 * kGiB, 0, {}, 0, QStringLiteral("cpu-pool")},
        {QStringLiteral("cpu-large"), QStringLiteral("0.32"), 8.0, 32 * kGiB, 0, {}, 0, QStringLiteral("cpu-pool")},
        {QStringLiteral("gpu-h100x1"), QStringLiteral("4.2"), 15.0, 120 * kGiB, 1, h100, 80 * kGiB,
         QStringLiteral("h100-pool")},
        {QStringLiteral("dgx"), QStringLiteral("33.6"), 220.0, 1920 * kGiB, 8, h100, 80 * kGiB,
         QStringLiteral("h100-pool")},
        {QStringLiteral("gpu-h200x8"), QStringLiteral("50.4"), 220.0, 1920 * kGiB, 8, h200, 141 * kGiB,
         QStringLiteral("h200-pool")},
    };
}

const Preset *PresetCatalog::find(const QString &name) const
{
    for (const Preset &preset : m_presets) {
        if (preset.name == name)
            return &preset;
    }
    return nullptr;
}

const ResourcePool *PresetCatalog::pool(const QString &name) const
{
    for (const ResourcePool &pool : m_pools) {
        if (pool.name == name)
            return &pool;
    }
    return nullptr;
}

QJsonArray PresetCatalog::presetsJson() const
{
    QJsonArray array;
    for (const Preset &preset : m_presets)
        array.append(preset.toJson());
    return array;
}

QJsonArray PresetCatalog::poolsJson() const
{
    QJsonArray array;
    for (const ResourcePool &pool : m_pools)
        array.append(pool.toJson());
    return array;
}

} // namespace ApoloDeploy::Sandbox
