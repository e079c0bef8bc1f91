// SPDX-License-Identifier: GPL-3.0-or-later
// Credits spent, burn rate, projection and budget, in exact decimals.

#include "deploy/CostMeter.h"

#include <QTest>

using namespace ApoloDeploy;

namespace {

Job job(JobStatus status, const char *total, const char *perHour, std::optional<int> maxMinutes, double runSeconds)
{
    Job j;
    j.status = status;
    j.totalPriceCredits = QString::fromLatin1(total);
    j.priceCreditsPerHour = QString::fromLatin1(perHour);
    j.maxRunTimeMinutes = maxMinutes;
    j.history.runTimeSeconds = runSeconds;
    return j;
}

Decimal dec(const char *text)
{
    return *Decimal::parse(QString::fromLatin1(text));
}

} // namespace

class TestCostMeter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void summarize_sumsExactly()
    {
        // 0.1 + 0.2 must be 0.3, not 0.30000000000000004.
        const QList<Job> jobs{job(JobStatus::Running, "0.1", "4.2", 600, 1800),
                              job(JobStatus::Running, "0.2", "4.2", 600, 1800),
                              job(JobStatus::Cancelled, "1.05", "4.2", 600, 60)};
        const CostMeter::Summary s = CostMeter().summarize(jobs);
        QCOMPARE(s.spent.toString(), QStringLiteral("1.35"));
        QCOMPARE(s.creditsPerHour.toString(), QStringLiteral("8.4"));
        QCOMPARE(s.activeJobs, 2);
        // 2 jobs x 4.2/h x (600 min - 30 min) = 2 x 4.2 x 9.5 h = 79.8, plus 1.35 spent.
        QVERIFY(s.projectedTotal);
        QCOMPARE(s.projectedTotal->toString(), QStringLiteral("81.15"));
        QCOMPARE(CostMeter::formatCredits(s.spent), QStringLiteral("1.3500 credits"));
        QCOMPARE(CostMeter::formatRate(s.creditsPerHour), QStringLiteral("8.40 credits/h"));
        QCOMPARE(CostMeter::formatRate(Decimal::parse(u"0.0125").value()), QStringLiteral("0.0125 credits/h"));
    }

    void noLifeSpan_meansNoProjection()
    {
        const CostMeter::Summary s = CostMeter().summarize({job(JobStatus::Running, "1", "2", std::nullopt, 10)});
        QVERIFY(!s.projectedTotal);
    }

    void budget_states()
    {
        CostMeter meter;
        meter.setBudget(dec("10"));
        QCOMPARE(meter.summarize({job(JobStatus::Running, "1", "1", 60, 0)}).budgetState,
                 CostMeter::BudgetState::WithinBudget);
        QCOMPARE(meter.summarize({job(JobStatus::Running, "1", "100", 60, 0)}).budgetState,
                 CostMeter::BudgetState::ProjectedOver);
        QCOMPARE(meter.summarize({job(JobStatus::Running, "8", "1", 600, 0)}).budgetState,
                 CostMeter::BudgetState::Warning);
        QCOMPARE(meter.summarize({job(JobStatus::Running, "10", "1", 600, 0)}).budgetState,
                 CostMeter::BudgetState::Exceeded);
        QCOMPARE(CostMeter().summarize({}).budgetState, CostMeter::BudgetState::NoBudget);
    }
};

QTEST_GUILESS_MAIN(TestCostMeter)
#include "tst_costmeter.moc"
