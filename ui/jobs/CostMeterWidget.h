// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "deploy/CostMeter.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;

namespace ApoloDeploy {

// Spent, credits/h and the projection for one deployment, with an optional budget: past it the
// widget turns red and offers the teardown.
class CostMeterWidget final : public QWidget
{
    Q_OBJECT

public:
    explicit CostMeterWidget(QWidget *parent = nullptr);
    void setJobs(const QString &deployment, const QList<Job> &jobs);

Q_SIGNALS:
    void tearDownRequested(const QString &deployment);

private:
    void refresh();

    CostMeter m_meter;
    QString m_deployment;
    QList<Job> m_jobs;
    QLabel *m_spent;
    QLabel *m_rate;
    QLabel *m_projected;
    QLabel *m_budgetState;
    QLineEdit *m_budget;
    QPushButton *m_tearDown;
};

} // namespace ApoloDeploy
