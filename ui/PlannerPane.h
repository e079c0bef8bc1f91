// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "planner/DeploymentPlanner.h"
#include "planner/HubClient.h"
#include "planner/PlannerPreset.h"

#include <QHash>
#include <QPointer>
#include <QWidget>

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace ApoloDeploy {

class ConcurrencyChart;
class PlannerInputsForm;
class PresetComparisonModel;
class RankMemoryChart;

// The Plan area: pick a model and the serving options, compare every preset (fits?, nodes,
// max context, credits/h), inspect the per-GPU memory of the chosen preset and the concurrency
// curve, and hand the plan to the launcher ("Use this plan"). Everything recomputes on each
// change; the engine is pure and takes well under a frame (tests/bench/bench_planner).
class PlannerPane final : public QWidget
{
    Q_OBJECT

public:
    // presets: live ones from the platform, or Planner::builtInPresets() (shown as examples).
    explicit PlannerPane(const QList<Planner::PlannerPreset> &presets, QWidget *parent = nullptr);

    void setPresets(const QList<Planner::PlannerPreset> &presets);
    // Enables the Hugging Face id field; the client (and its token) belong to the caller.
    void setHubClient(Planner::HubClient *client);
    // Adds a model from config.json bytes (file or hub) and selects it; false + message on bad config.
    bool addModel(const QString &id, const QByteArray &configJson, std::optional<qint64> checkpointBytes,
                  QString *error);
    void selectModel(const QString &id);
    void selectPreset(const QString &name);

    const Planner::DeploymentPlan &currentPlan() const { return m_plan; }
    PresetComparisonModel *comparisonModel() const { return m_comparison; }
    PlannerInputsForm *inputsForm() const { return m_form; }

Q_SIGNALS:
    // "Use this plan": the launcher builds the Ray/vLLM jobs from it.
    void planAccepted(const ApoloDeploy::Planner::DeploymentPlan &plan);

private:
    void scheduleRecompute();
    void recompute();
    void showPlan();
    void openConfigFile();
    void onHubFetched(const Planner::HubFetchResult &result);

    struct LoadedModel
    {
        Planner::ModelConfig config;
        std::optional<qint64> checkpointBytes;
    };

    QList<Planner::PlannerPreset> m_presets;
    QHash<QString, LoadedModel> m_loadedModels; // id -> config not in the catalog
    QString m_selectedPreset;                   // empty: the cheapest that fits
    QPointer<Planner::HubClient> m_hub;
    Planner::DeploymentPlan m_plan;
    bool m_recomputeQueued = false;

    PlannerInputsForm *m_form = nullptr;
    PresetComparisonModel *m_comparison = nullptr;
    QSortFilterProxyModel *m_sortedComparison = nullptr;
    QTableView *m_comparisonView = nullptr;
    RankMemoryChart *m_rankChart = nullptr;
    ConcurrencyChart *m_concurrencyChart = nullptr;
    QLabel *m_verdictLabel = nullptr;
    QLabel *m_detailsLabel = nullptr;
    QPushButton *m_usePlanButton = nullptr;
};

} // namespace ApoloDeploy
