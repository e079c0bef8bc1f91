// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "planner/ModelConfig.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace ApoloDeploy::Planner {

struct CatalogModel
{
    QString id; // Hugging Face repo id
    QString name;
    QByteArray configJson; // the config.json fields, as served by the sandbox hub
    ModelConfig config;
    double publishedTotal = 0;  // parameters, as published (or computed in planner.md when more precise)
    double publishedActive = 0; // 0 for dense models
    double computedTotal = 0;   // planner.md's own computation, 0 when absent
    double computedActive = 0;
    QString countsSource;
    QString diskEstimate;
    QStringList notes;
    QStringList unconfirmedFields; // values planner.md marks UNCONFIRMED or does not quote
};

// The bundled catalog (resources/models/catalog.json) of configs the planner knows offline.
class ModelCatalog
{
public:
    static ModelCatalog fromJson(const QByteArray &json, QString *error = nullptr);
    static const ModelCatalog &builtIn();

    const QList<CatalogModel> &models() const { return m_models; }
    // Exact repo id match, case-insensitive (Hugging Face ids are).
    std::optional<CatalogModel> find(const QString &id) const;
    // Ids whose id or name contain every word of `text`.
    QList<CatalogModel> search(const QString &text) const;

private:
    QList<CatalogModel> m_models;
};

} // namespace ApoloDeploy::Planner
