// SPDX-License-Identifier: GPL-3.0-or-later
#include "deploy/CostMeter.h"

#include <QCoreApplication>

namespace ApoloDeploy {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CostMeter", text);
}

Decimal parseOrZero(const QString &text)
{
    return Decimal::parse(text).value_or(Decimal());
}

} // namespace

CostMeter::Summary CostMeter::summarize(const QList<Job> &jobs) const
{
    Summary summary;
    Decimal projectedExtra;
    bool unbounded = false;
    for (const Job &job : jobs) {
        summary.spent = summary.spent + parseOrZero(job.totalPriceCredits);
        if (!isActive(job.status))
            continue;
        ++summary.activeJobs;
        const Decimal rate = parseOrZero(job.priceCreditsPerHour);
        summary.creditsPerHour = summary.creditsPerHour + rate;
        if (!job.maxRunTimeMinutes) {
            unbounded = unbounded || !rate.isZero();
            continue;
        }
        const qint64 remainingSeconds =
            qMax<qint64>(0, qint64(*job.maxRunTimeMinutes) * 60 - qint64(job.runTimeSeconds()));
        projectedExtra = projectedExtra + rate.scaled(remainingSeconds, 3600);
    }
    if (!unbounded)
        summary.projectedTotal = summary.spent + projectedExtra;
    if (!m_budget) {
        summary.budgetState = BudgetState::NoBudget;
    } else if (summary.spent >= *m_budget) {
        summary.budgetState = BudgetState::Exceeded;
    } else if (summary.spent >= m_budget->scaled(m_warningPercent, 100)) {
        summary.budgetState = BudgetState::Warning;
    } else if (!summary.projectedTotal || *summary.projectedTotal > *m_budget) {
        summary.budgetState = summary.activeJobs > 0 ? BudgetState::ProjectedOver : BudgetState::WithinBudget;
    } else {
        summary.budgetState = BudgetState::WithinBudget;
    }
    return summary;
}

QString CostMeter::formatCredits(const Decimal &credits)
{
    return tr("%1 credits").arg(credits.toString(4));
}

QString CostMeter::formatRate(const Decimal &creditsPerHour)
{
    // Prices read as the platform writes them ("33.60", "0.0125"): two decimals unless that
    // would round the price.
    const QString twoDecimals = creditsPerHour.toString(2);
    const bool exact = Decimal::parse(twoDecimals) == creditsPerHour;
    return tr("%1 credits/h").arg(exact ? twoDecimals : creditsPerHour.toString());
}

QString CostMeter::budgetStateText(BudgetState state)
{
    switch (state) {
    case BudgetState::NoBudget: return tr("No budget set");
    case BudgetState::WithinBudget: return tr("Within budget");
    case BudgetState::ProjectedOver: return tr("Projected to exceed the budget before the life span ends");
    case BudgetState::Warning: return tr("Most of the budget is spent");
    case BudgetState::Exceeded: return tr("Budget exceeded: tear the deployment down?");
    }
    return {};
}

} // namespace ApoloDeploy
