// SPDX-License-Identifier: GPL-3.0-or-later
#include "planner/CostEstimate.h"

#include <QCoreApplication>

namespace ApoloDeploy::Planner {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Planner", text);
}

} // namespace

CostEstimate estimateCost(const CostInputs &inputs)
{
    CostEstimate cost;
    const std::optional<CreditAmount> perNode = CreditAmount::parse(inputs.creditsPerHourPerNode);
    if (!perNode) {
        cost.error = tr("credits per hour \"%1\" is not a decimal number").arg(inputs.creditsPerHourPerNode);
        return cost;
    }
    if (inputs.nodes < 1) {
        cost.error = tr("the number of nodes must be at least 1");
        return cost;
    }
    cost.creditsPerHour = *perNode * inputs.nodes;
    cost.creditsPerDay = cost.creditsPerHour * 24;
    cost.creditsPerMonth = cost.creditsPerHour * 730;
    if (!inputs.lifeSpanHours.trimmed().isEmpty()) {
        const std::optional<CreditAmount> hours = CreditAmount::parse(inputs.lifeSpanHours);
        if (!hours || hours->units() < 0) {
            cost.error = tr("life span \"%1\" must be a number of hours, e.g. 24 or 1.5").arg(inputs.lifeSpanHours);
            return cost;
        }
        cost.creditsForLifeSpan = cost.creditsPerHour * *hours;
        cost.hasLifeSpan = true;
    }
    if (!inputs.currencyPerCredit.trimmed().isEmpty()) {
        const std::optional<CreditAmount> rate = CreditAmount::parse(inputs.currencyPerCredit);
        if (!rate || rate->units() < 0) {
            cost.error = tr("currency rate \"%1\" must be a non-negative decimal").arg(inputs.currencyPerCredit);
            return cost;
        }
        cost.currencyRate = *rate;
        cost.hasCurrency = true;
    }
    if (!inputs.outputTokensPerSecond.trimmed().isEmpty()) {
        const std::optional<CreditAmount> rate = CreditAmount::parse(inputs.outputTokensPerSecond);
        if (!rate || rate->units() <= 0) {
            cost.error = tr("throughput \"%1\" must be a positive number of output tokens per second")
                             .arg(inputs.outputTokensPerSecond);
            return cost;
        }
        // credits/h / (tok/s x 3600 s/h) x 1e6 tokens, divided once at the end.
        cost.creditsPerMillionOutputTokens = (cost.creditsPerHour * 1'000'000).dividedBy(*rate * 3600);
        cost.hasPerTokenCost = true;
    }
    if (!cost.creditsPerMonth.isValid() || !cost.creditsForLifeSpan.isValid() ||
        !cost.creditsPerMillionOutputTokens.isValid())
        cost.error = tr("the cost is too large to compute exactly");
    return cost;
}

} // namespace ApoloDeploy::Planner
