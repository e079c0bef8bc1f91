// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "deploy/DeploymentState.h"

#include <QListWidget>

namespace ApoloDeploy {

// The launch phases in order: done ones ticked, the current one highlighted, a failure marked.
class PhaseListWidget final : public QListWidget
{
    Q_OBJECT

public:
    explicit PhaseListWidget(QWidget *parent = nullptr);
    // Which phases apply: no head/workers on one node, no Open WebUI unless enabled.
    void configure(int nodes, bool openWebUi);
    void setPhase(LaunchPhase phase);

private:
    QList<LaunchPhase> m_phases;
    LaunchPhase m_lastActive = LaunchPhase::Pending;
};

} // namespace ApoloDeploy
