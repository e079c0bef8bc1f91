// SPDX-License-Identifier: GPL-3.0-or-later
#include "planner/GpuCatalog.h"

#include "planner/PlannerLogging.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace ApoloDeploy::Planner {

namespace {

// "NVIDIA H100 80GB HBM3" -> "h10080gbhbm3": compare names without vendor, case or punctuation.
QString normalized(const QString &name)
{
    QString text = name.toLower();
    text.remove(QLatin1String("nvidia"));
    static const QRegularExpression separators(QStringLiteral("[^a-z0-9]"));
    text.remove(separators);
    return text;
}

} // namespace

GpuCatalog GpuCatalog::fromJson(const QByteArray &json, QString *error)
{
    GpuCatalog catalog;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        if (error)
            *error =
                QCoreApplication::translate("Planner", "GPU table is not valid JSON: %1").arg(parseError.errorString());
        return catalog;
    }
    for (const QJsonValue &value : document.object().value(QLatin1String("gpus")).toArray()) {
        const QJsonObject object = value.toObject();
        GpuSpec gpu;
        gpu.model = object.value(QLatin1String("model")).toString();
        gpu.name = object.value(QLatin1String("name")).toString();
        for (const QJsonValue &alias : object.value(QLatin1String("aliases")).toArray())
            gpu.aliases << alias.toString();
        gpu.nominalGb = object.value(QLatin1String("nominal_gb")).toInt();
        gpu.bandwidthGBps = object.value(QLatin1String("bandwidth_gbps")).toInt();
        gpu.nvlink = object.value(QLatin1String("nvlink")).toBool();
        gpu.confirmed = object.value(QLatin1String("confirmed")).toBool();
        gpu.source = object.value(QLatin1String("source")).toString();
        if (object.contains(QLatin1String("visible_bytes")))
            gpu.visibleBytes = object.value(QLatin1String("visible_bytes")).toInteger();
        else // a decimal string of GiB ("79.18"), converted once here
            gpu.visibleBytes =
                qint64(object.value(QLatin1String("visible_gib")).toString().toDouble() * double(1LL << 30));
        if (gpu.model.isEmpty() || gpu.visibleBytes <= 0) {
            if (error)
                *error = QCoreApplication::translate("Planner", "GPU table entry without model or memory: %1")
                             .arg(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
            return {};
        }
        catalog.m_gpus << gpu;
    }
    return catalog;
}

const GpuCatalog &GpuCatalog::builtIn()
{
    static const GpuCatalog catalog = [] {
        QFile file(QStringLiteral(":/planner/gpus.json"));
        if (!file.open(QIODevice::ReadOnly))
            qCCritical(lcPlanner) << "the bundled GPU table is missing";
        QString error;
        GpuCatalog parsed = fromJson(file.readAll(), &error);
        if (!error.isEmpty())
            qCCritical(lcPlanner) << error;
        return parsed;
    }();
    return catalog;
}

std::optional<GpuSpec> GpuCatalog::find(const QString &modelName) const
{
    const QString wanted = normalized(modelName);
    if (wanted.isEmpty())
        return std::nullopt;
    for (const GpuSpec &gpu : m_gpus) {
        if (normalized(gpu.model) == wanted || normalized(gpu.name) == wanted)
            return gpu;
        for (const QString &alias : gpu.aliases) {
            if (normalized(alias) == wanted)
                return gpu;
        }
    }
    return std::nullopt;
}

std::optional<GpuSpec> GpuCatalog::resolve(const QString &modelName, qint64 presetMemoryBytes) const
{
    if (std::optional<GpuSpec> known = find(modelName))
        return known;
    if (presetMemoryBytes <= 0)
        return std::nullopt;
    GpuSpec estimate;
    estimate.model = modelName;
    estimate.name = modelName;
    estimate.visibleBytes = qint64(double(presetMemoryBytes) * (79.18 / 80.0));
    estimate.source = QCoreApplication::translate("Planner", "estimated as 99% of the preset's GPU memory");
    return estimate;
}

} // namespace ApoloDeploy::Planner
