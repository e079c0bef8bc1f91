// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "planner/DeploymentPlanner.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace ApoloDeploy {

// The planner's inputs: model (catalog with search, a local config.json, or a Hugging Face id),
// weight format, context length, concurrency, gpu_memory_utilization, KV cache dtype, eager mode
// and node count. Emits inputsChanged() on every edit; it never loads anything itself.
class PlannerInputsForm final : public QWidget
{
    Q_OBJECT

public:
    explicit PlannerInputsForm(QWidget *parent = nullptr);

    // Adds (or selects) a model that is not in the catalog, e.g. a loaded config.json.
    void addCustomModel(const QString &id, const QString &label);
    void selectModel(const QString &id);
    QString selectedModelId() const;
    // Fills everything but the model and the presets.
    void applyTo(Planner::PlanInputs &inputs) const;
    // The checkpoint format shown in the weights box ("Checkpoint (AWQ int4 g64)").
    void setCheckpointLabel(const QString &label);
    void setHubEnabled(bool enabled, const QString &reason = {});
    void setHubStatus(const QString &text, bool error);
    void setMaxContextHint(qint64 derivedMaxModelLen);

Q_SIGNALS:
    void inputsChanged();
    void modelChanged(const QString &id);
    void openConfigRequested();
    void hubFetchRequested(const QString &repoId);

private:
    void buildModelBox(QFormLayout *layout);
    void emitChanged();

    QComboBox *m_modelCombo = nullptr;
    QPushButton *m_openConfigButton = nullptr;
    QLineEdit *m_hubIdEdit = nullptr;
    QPushButton *m_fetchButton = nullptr;
    QLabel *m_hubStatusLabel = nullptr;
    QComboBox *m_quantCombo = nullptr;
    QSpinBox *m_contextSpin = nullptr;
    QSpinBox *m_concurrencySpin = nullptr;
    QDoubleSpinBox *m_utilizationSpin = nullptr;
    QComboBox *m_kvDtypeCombo = nullptr;
    QCheckBox *m_eagerCheck = nullptr;
    QSpinBox *m_nodesSpin = nullptr;
};

} // namespace ApoloDeploy
