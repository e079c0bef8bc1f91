// SPDX-License-Identifier: GPL-3.0-or-later
// Exact decimal credits: no binary floating point anywhere in the cost path.

#include "planner/CostEstimate.h"

#include <QTest>

using namespace ApoloDeploy::Planner;

class TestCostEstimate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void creditAmount_parsesAndPrintsExactly()
    {
        QCOMPARE(CreditAmount::parse(u"4.2")->toString(), QStringLiteral("4.2"));
        QCOMPARE(CreditAmount::parse(u"0.1")->operator+(*CreditAmount::parse(u"0.2")).toString(),
                 QStringLiteral("0.3"));
        QCOMPARE(CreditAmount::parse(u"-1.50")->toString(2), QStringLiteral("-1.50"));
        QCOMPARE(CreditAmount::parse(u"0.0000000015")->toString(),
                 QStringLiteral("0.000000002")); // half up at 9 digits
        QVERIFY(!CreditAmount::parse(u"1e3"));
        QVERIFY(!CreditAmount::parse(u"1,000"));
        QVERIFY(!CreditAmount::parse(u""));
        QVERIFY(!CreditAmount::parse(u"."));
        QVERIFY(!CreditAmount::parse(u"99999999999999999999"));
    }

    void creditAmount_overflowIsInvalidNotWrapped()
    {
        const CreditAmount big = *CreditAmount::parse(u"9000000000");
        QVERIFY(!(big * 2).isValid());
        QCOMPARE((big * 2).toString(), QStringLiteral("invalid"));
        QVERIFY(!CreditAmount::fromInt(1).dividedBy(CreditAmount()).isValid());
    }

    void flagship_twoDgxNodes()
    {
        CostInputs inputs;
        inputs.creditsPerHourPerNode = QStringLiteral("33.6");
        inputs.nodes = 2;
        inputs.lifeSpanHours = QStringLiteral("36.5");
        inputs.currencyPerCredit = QStringLiteral("1.1");
        inputs.outputTokensPerSecond = QStringLiteral("980");
        const CostEstimate cost = estimateCost(inputs);
        QVERIFY2(cost.isValid(), qPrintable(cost.error));
        QCOMPARE(cost.creditsPerHour.toString(), QStringLiteral("67.2"));
        QCOMPARE(cost.creditsPerDay.toString(), QStringLiteral("1612.8"));
        QCOMPARE(cost.creditsPerMonth.toString(), QStringLiteral("49056")); // 730 h
        QCOMPARE(cost.creditsForLifeSpan.toString(), QStringLiteral("2452.8"));
        QCOMPARE(cost.inCurrency(cost.creditsPerHour).toString(), QStringLiteral("73.92"));
        // 67.2 / (980 x 3600) x 1e6 = 19.047619047…
        QCOMPARE(cost.creditsPerMillionOutputTokens.toString(), QStringLiteral("19.047619048"));
        QCOMPARE(cost.creditsPerMillionOutputTokens.toString(4), QStringLiteral("19.0476"));
    }

    void sums_areExactWhereDoublesDrift()
    {
        // 0.1 credits/h over 10 nodes: doubles print 0.9999999999999999 for ten additions.
        CreditAmount total;
        for (int i = 0; i < 10; ++i)
            total = total + *CreditAmount::parse(u"0.1");
        QCOMPARE(total.toString(), QStringLiteral("1"));
    }

    void badInputs_sayWhichOne()
    {
        CostInputs inputs;
        inputs.creditsPerHourPerNode = QStringLiteral("four");
        QVERIFY(estimateCost(inputs).error.contains(QLatin1String("four")));
        inputs.creditsPerHourPerNode = QStringLiteral("4.2");
        inputs.outputTokensPerSecond = QStringLiteral("0");
        QVERIFY(estimateCost(inputs).error.contains(QLatin1String("throughput")));
        inputs.outputTokensPerSecond.clear();
        inputs.lifeSpanHours = QStringLiteral("3d");
        QVERIFY(estimateCost(inputs).error.contains(QLatin1String("life span")));
    }
};

QTEST_GUILESS_MAIN(TestCostEstimate)
#include "tst_costestimate.moc"
