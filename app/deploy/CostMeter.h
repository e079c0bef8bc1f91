// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apolo/Decimal.h"
#include "apolo/PlatformTypes.h"

#include <optional>

namespace ApoloDeploy {

// What a deployment costs, in the platform's own unit (credits) and with exact decimals:
// spent so far (sum of total_price_credits), the current burn rate (sum of
// price_credits_per_hour of the active jobs), and the projection to the end of the jobs' life
// spans. An optional budget turns into a warning, then into a teardown offer.
class CostMeter
{
public:
    enum class BudgetState { NoBudget, WithinBudget, ProjectedOver, Warning, Exceeded };

    struct Summary
    {
        Decimal spent;
        Decimal creditsPerHour;
        // Spent + rate x remaining life span of each active job; nullopt when an active job has
        // no life span (it would run, and cost, until killed).
        std::optional<Decimal> projectedTotal;
        int activeJobs = 0;
        BudgetState budgetState = BudgetState::NoBudget;
    };

    void setBudget(std::optional<Decimal> budget) { m_budget = budget; }
    std::optional<Decimal> budget() const { return m_budget; }
    // Share of the budget at which Warning starts (default 80 %).
    void setWarningPercent(int percent) { m_warningPercent = percent; }

    Summary summarize(const QList<Job> &jobs) const;

    // "12.3456 credits", "4.2 credits/h": four decimals as the apolo CLI prints costs.
    static QString formatCredits(const Decimal &credits);
    static QString formatRate(const Decimal &creditsPerHour);
    static QString budgetStateText(BudgetState state);

private:
    std::optional<Decimal> m_budget;
    int m_warningPercent = 80;
};

} // namespace ApoloDeploy
