// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "deploy/Deployment.h"
#include "deploy/DeploymentValidator.h"

#include <QHash>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace ApoloDeploy {

// Every field of a Deployment, with the validator's message shown under the field it concerns.
class DeploymentForm final : public QWidget
{
    Q_OBJECT

public:
    explicit DeploymentForm(QWidget *parent = nullptr);

    Deployment deployment() const;
    void setDeployment(const Deployment &deployment);
    // Preset names offered in the combo box (the current cluster's); the text stays editable.
    void setPresets(const QStringList &presets);
    void showIssues(const QList<ValidationIssue> &issues);

Q_SIGNALS:
    void changed();

private:
    QWidget *field(const QString &name, QWidget *editor);
    void addRow(const QString &label, const QString &name, QWidget *editor);

    QFormLayout *m_layout;
    QHash<QString, QLabel *> m_messages;
    QLineEdit *m_name, *m_model, *m_servedName, *m_image, *m_extraArgs, *m_hfSecret, *m_cacheVolume, *m_cacheMount,
        *m_lifeSpan, *m_apiKeySecret, *m_networkInterface, *m_webPreset;
    QComboBox *m_preset, *m_dtype, *m_quantization, *m_kvDtype;
    QSpinBox *m_nodes, *m_tp, *m_maxModelLen;
    QDoubleSpinBox *m_gpuUtilization;
    QCheckBox *m_eager, *m_reasoning, *m_trustRemoteCode, *m_httpAuth, *m_web;
    QMap<QString, QString> m_extraEnv; // not editable here; kept from imports and plans
    bool m_loading = false;
};

} // namespace ApoloDeploy
