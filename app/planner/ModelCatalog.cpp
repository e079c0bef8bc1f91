// SPDX-License-Identifier: GPL-3.0-or-later
#include "planner/ModelCatalog.h"

#include "planner/PlannerLogging.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace ApoloDeploy::Planner {

ModelCatalog ModelCatalog::fromJson(const QByteArray &json, QString *error)
{
    ModelCatalog catalog;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        if (error)
            *error = QCoreApplication::translate("Planner", "model catalog is not valid JSON: %1")
                         .arg(parseError.errorString());
        return catalog;
    }
    for (const QJsonValue &value : document.object().value(QLatin1String("models")).toArray()) {
        const QJsonObject object = value.toObject();
        CatalogModel model;
        model.id = object.value(QLatin1String("id")).toString();
        model.name = object.value(QLatin1String("name")).toString(model.id);
        model.configJson =
            QJsonDocument(object.value(QLatin1String("config")).toObject()).toJson(QJsonDocument::Indented);
        const ModelConfigResult parsed = parseModelConfig(model.configJson);
        if (!parsed.config) {
            if (error)
                *error = QCoreApplication::translate("Planner", "catalog model %1: %2").arg(model.id, parsed.error);
            return {};
        }
        model.config = *parsed.config;
        const QJsonObject published = object.value(QLatin1String("published")).toObject();
        const QJsonObject computed = object.value(QLatin1String("computed")).toObject();
        model.publishedTotal = published.value(QLatin1String("params_total")).toDouble();
        model.publishedActive = published.value(QLatin1String("params_active")).toDouble();
        model.computedTotal = computed.value(QLatin1String("params_total")).toDouble();
        model.computedActive = computed.value(QLatin1String("params_active")).toDouble();
        model.countsSource = published.value(QLatin1String("source")).toString();
        model.diskEstimate = object.value(QLatin1String("disk")).toObject().value(QLatin1String("estimate")).toString();
        for (const QJsonValue &note : object.value(QLatin1String("notes")).toArray())
            model.notes << note.toString();
        for (const QJsonValue &field : object.value(QLatin1String("unconfirmed_fields")).toArray())
            model.unconfirmedFields << field.toString();
        catalog.m_models << model;
    }
    return catalog;
}

const ModelCatalog &ModelCatalog::builtIn()
{
    static const ModelCatalog catalog = [] {
        QFile file(QStringLiteral(":/planner/models/catalog.json"));
        if (!file.open(QIODevice::ReadOnly))
            qCCritical(lcPlanner) << "the bundled model catalog is missing";
        QString error;
        ModelCatalog parsed = fromJson(file.readAll(), &error);
        if (!error.isEmpty())
            qCCritical(lcPlanner) << error;
        return parsed;
    }();
    return catalog;
}

std::optional<CatalogModel> ModelCatalog::find(const QString &id) const
{
    for (const CatalogModel &model : m_models) {
        if (model.id.compare(id.trimmed(), Qt::CaseInsensitive) == 0)
            return model;
    }
    return std::nullopt;
}

QList<CatalogModel> ModelCatalog::search(const QString &text) const
{
    const QStringList words = text.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QList<CatalogModel> found;
    for (const CatalogModel &model : m_models) {
        bool all = true;
        for (const QString &word : words)
            all =
                all && (model.id.contains(word, Qt::CaseInsensitive) || model.name.contains(word, Qt::CaseInsensitive));
        if (all)
            found << model;
    }
    return found;
}

} // namespace ApoloDeploy::Planner
