// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "planner/CreditAmount.h"

#include <QString>

namespace ApoloDeploy::Planner {

struct CostInputs
{
    QString creditsPerHourPerNode; // the preset's decimal string
    int nodes = 1;
    QString lifeSpanHours;         // planned job life span, decimal hours; empty = none
    QString currencyPerCredit;     // optional rate ("0.85"); empty = credits only
    QString outputTokensPerSecond; // measured or expected throughput; empty = no per-token cost
};

// Exact decimal costs. A month is 730 hours (planner.md §5.2).
struct CostEstimate
{
    CreditAmount creditsPerHour;
    CreditAmount creditsPerDay;
    CreditAmount creditsPerMonth;
    CreditAmount creditsForLifeSpan;            // zero without a life span
    CreditAmount creditsPerMillionOutputTokens; // zero without a throughput
    bool hasLifeSpan = false;
    bool hasPerTokenCost = false;
    bool hasCurrency = false;
    CreditAmount currencyRate;
    QString error; // which input is malformed

    bool isValid() const { return error.isEmpty(); }
    // An amount in credits converted with the rate (identity without one).
    CreditAmount inCurrency(const CreditAmount &credits) const
    {
        return hasCurrency ? credits * currencyRate : credits;
    }
};

CostEstimate estimateCost(const CostInputs &inputs);

} // namespace ApoloDeploy::Planner
