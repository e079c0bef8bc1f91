// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/jobs/CostMeterWidget.h"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>

namespace ApoloDeploy {

CostMeterWidget::CostMeterWidget(QWidget *parent)
    : QWidget(parent)
    , m_spent(new QLabel)
    , m_rate(new QLabel)
    , m_projected(new QLabel)
    , m_budgetState(new QLabel)
    , m_budget(new QLineEdit)
    , m_tearDown(new QPushButton(tr("Tear down now")))
{
    setObjectName(QStringLiteral("costMeterWidget"));
    m_spent->setObjectName(QStringLiteral("spentLabel"));
    m_rate->setObjectName(QStringLiteral("rateLabel"));
    m_projected->setObjectName(QStringLiteral("projectedLabel"));
    m_budgetState->setObjectName(QStringLiteral("budgetStateLabel"));
    m_budgetState->setWordWrap(true);
    m_budget->setObjectName(QStringLiteral("budgetLineEdit"));
    m_budget->setAccessibleName(tr("Budget in credits"));
    m_budget->setPlaceholderText(tr("no budget"));
    // Decimal credits as the platform writes them; parsed exactly, never as a float.
    m_budget->setValidator(
        new QRegularExpressionValidator(QRegularExpression(QStringLiteral("^\\d{0,9}(\\.\\d{0,4})?$")), m_budget));
    m_tearDown->setObjectName(QStringLiteral("budgetTearDownPushButton"));
    m_tearDown->setVisible(false);
    auto *layout = new QFormLayout(this);
    layout->addRow(tr("Spent"), m_spent);
    layout->addRow(tr("Burn rate"), m_rate);
    layout->addRow(tr("By end of life span"), m_projected);
    layout->addRow(tr("&Budget (credits)"), m_budget);
    layout->addRow(m_budgetState);
    layout->addRow(m_tearDown);
    connect(m_budget, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_meter.setBudget(text.isEmpty() ? std::nullopt : Decimal::parse(text));
        refresh();
    });
    connect(m_tearDown, &QPushButton::clicked, this, [this] { Q_EMIT tearDownRequested(m_deployment); });
    refresh();
}

void CostMeterWidget::setJobs(const QString &deployment, const QList<Job> &jobs)
{
    m_deployment = deployment;
    m_jobs = jobs;
    refresh();
}

void CostMeterWidget::refresh()
{
    const CostMeter::Summary summary = m_meter.summarize(m_jobs);
    m_spent->setText(CostMeter::formatCredits(summary.spent));
    m_rate->setText(CostMeter::formatRate(summary.creditsPerHour));
    m_projected->setText(summary.projectedTotal ? CostMeter::formatCredits(*summary.projectedTotal)
                                                : tr("unbounded (a job has no life span)"));
    m_budgetState->setText(CostMeter::budgetStateText(summary.budgetState));
    const bool alarming = summary.budgetState == CostMeter::BudgetState::Exceeded ||
                          summary.budgetState == CostMeter::BudgetState::Warning;
    m_budgetState->setStyleSheet(alarming ? QStringLiteral("color: #c62828; font-weight: bold;")
                                 : summary.budgetState == CostMeter::BudgetState::ProjectedOver
                                     ? QStringLiteral("color: #b26a00;")
                                     : QString());
    m_tearDown->setVisible(alarming && !m_deployment.isEmpty() && summary.activeJobs > 0);
}

} // namespace ApoloDeploy
