// SPDX-License-Identifier: GPL-3.0-or-later
#include "apolo/Decimal.h"

#include <QTest>

using namespace ApoloDeploy;

class tst_Decimal : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("shortest");
        QTest::newRow("price") << "4.2" << true << "4.2";
        QTest::newRow("trailing zeros") << "1.50" << true << "1.5";
        QTest::newRow("integer") << "12" << true << "12";
        QTest::newRow("negative") << "-0.5" << true << "-0.5";
        QTest::newRow("plus") << "+3" << true << "3";
        QTest::newRow("leading dot") << ".25" << true << "0.25";
        QTest::newRow("trailing dot") << "7." << true << "7";
        QTest::newRow("nine digits") << "0.123456789" << true << "0.123456789";
        QTest::newRow("rounded tenth digit") << "0.0000000015" << true << "0.000000002";
        QTest::newRow("zero") << "0.0000" << true << "0";
        QTest::newRow("empty") << "" << false << "";
        QTest::newRow("two dots") << "1.2.3" << false << "";
        QTest::newRow("exponent") << "1e-3" << false << "";
        QTest::newRow("letters") << "abc" << false << "";
        QTest::newRow("sign only") << "-" << false << "";
        QTest::newRow("overflow") << "99999999999999999999" << false << "";
    }
    void parse()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(QString, shortest);
        const std::optional<Decimal> value = Decimal::parse(text);
        QCOMPARE(value.has_value(), valid);
        if (valid)
            QCOMPARE(value->toString(), shortest);
    }

    void arithmetic_staysExact()
    {
        // 0.1 + 0.2 is the classic double failure.
        const Decimal sum = *Decimal::parse(u"0.1") + *Decimal::parse(u"0.2");
        QCOMPARE(sum.toString(), QStringLiteral("0.3"));
        QCOMPARE((*Decimal::parse(u"4.2") * Decimal::fromInt(16)).toString(), QStringLiteral("67.2"));
        QCOMPARE((*Decimal::parse(u"10") - *Decimal::parse(u"10.5")).toString(), QStringLiteral("-0.5"));
    }

    void scaled_pricesARunTime()
    {
        // 33.6125 credits/h for 90 minutes = 50.41875
        const Decimal price = *Decimal::parse(u"33.6125");
        QCOMPARE(price.scaled(5400, 3600).toString(), QStringLiteral("50.41875"));
        QCOMPARE(price.scaled(1, 0).toString(), QStringLiteral("0"));
    }

    void toString_roundsHalfAwayFromZero()
    {
        QCOMPARE(Decimal::parse(u"4.2")->toString(2), QStringLiteral("4.20"));
        QCOMPARE(Decimal::parse(u"0.00005")->toString(4), QStringLiteral("0.0001"));
        QCOMPARE(Decimal::parse(u"-0.00005")->toString(4), QStringLiteral("-0.0001"));
        QCOMPARE(Decimal::parse(u"2.5")->toString(0), QStringLiteral("3"));
        QCOMPARE(Decimal::parse(u"-1.25")->toString(1), QStringLiteral("-1.3"));
    }

    void compare_ordersValues()
    {
        QVERIFY(*Decimal::parse(u"0.05") < *Decimal::parse(u"4.2"));
        QVERIFY(*Decimal::parse(u"1.50") == *Decimal::parse(u"1.5"));
        QVERIFY(Decimal::parse(u"-1")->isNegative());
    }
};

QTEST_GUILESS_MAIN(tst_Decimal)
#include "tst_decimal.moc"
