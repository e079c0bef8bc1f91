// SPDX-License-Identifier: GPL-3.0-or-later
// PyYAML's YAML 1.1 typing of plain scalars, which apolo-flow applies and yaml-cpp does not.

#include "flow/FlowDuration.h"
#include "flow/PlatformNameRules.h"
#include "flow/Yaml11Scalar.h"

#include <QTest>

using namespace ApoloDeploy;

class TestYaml11Scalar : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void resolvePlain_matchesPyYaml_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("python");
        QTest::newRow("yes") << "yes"
                             << "True";
        QTest::newRow("Off") << "Off"
                             << "False";
        QTest::newRow("ON") << "ON"
                            << "True";
        QTest::newRow("octal") << "010"
                               << "8";
        QTest::newRow("sexagesimal") << "12:30"
                                     << "750";
        QTest::newRow("hex") << "0x1F"
                             << "31";
        QTest::newRow("underscore") << "1_000"
                                    << "1000";
        QTest::newRow("negative") << "-1"
                                  << "-1";
        QTest::newRow("float") << "1.50"
                               << "1.5";
        QTest::newRow("dot-float") << ".5"
                                   << "0.5";
        QTest::newRow("exponent-without-dot-is-text") << "1e3"
                                                      << "1e3";
        QTest::newRow("null") << "~"
                              << "None";
        QTest::newRow("text") << "q4_0"
                              << "q4_0";
        QTest::newRow("y-is-text-in-pyyaml") << "y"
                                             << "y";
        QTest::newRow("binary") << "0b101"
                                << "5";
    }
    void resolvePlain_matchesPyYaml()
    {
        QFETCH(QString, text);
        QFETCH(QString, python);
        QCOMPARE(Yaml11Scalar::resolvePlain(text).pythonText, python);
        QCOMPARE(Yaml11Scalar::changesWhenLoaded(text), text != python);
    }

    void duration_followsApoloGrammar_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<double>("seconds");
        QTest::newRow("days") << "10d" << 864000.0;
        QTest::newRow("d+h") << "1d2h" << 93600.0;
        QTest::newRow("h+m") << "2h55m" << 10500.0;
        QTest::newRow("all") << "24d23h22m21s" << 2157741.0;
        QTest::newRow("bare seconds") << "90" << 90.0;
        QTest::newRow("fraction seconds") << "1.5" << 1.5;
        QTest::newRow("wrong order") << "30m1h" << -1.0;
        QTest::newRow("weeks") << "1w" << -1.0;
        QTest::newRow("space") << "1d 2h" << -1.0;
        QTest::newRow("empty") << "" << -1.0;
    }
    void duration_followsApoloGrammar()
    {
        QFETCH(QString, text);
        QFETCH(double, seconds);
        const auto parsed = FlowDuration::parseSeconds(text);
        if (seconds < 0)
            QVERIFY(!parsed);
        else
            QCOMPARE(*parsed, seconds);
    }

    void duration_formatIsShortestCanonical()
    {
        QCOMPARE(FlowDuration::format(864000), QStringLiteral("10d"));
        QCOMPARE(FlowDuration::format(93600), QStringLiteral("1d2h"));
        QCOMPARE(FlowDuration::toMaxRunTimeMinutes(119), qint64(1));
    }

    void jobName_platformRules()
    {
        QVERIFY(PlatformNameRules::checkJobName(QStringLiteral("ray-head")).isEmpty());
        QVERIFY(!PlatformNameRules::checkJobName(QStringLiteral("ray_head")).isEmpty());
        QVERIFY(!PlatformNameRules::checkJobName(QStringLiteral("job-abc")).isEmpty());
        QVERIFY(!PlatformNameRules::checkJobName(QStringLiteral("ab")).isEmpty());
        QVERIFY(!PlatformNameRules::checkJobName(QStringLiteral("a--b")).isEmpty());
        QVERIFY(!PlatformNameRules::checkJobName(QString(41, QLatin1Char('a'))).isEmpty());
    }

    void flowIdentifier_pythonRules()
    {
        QVERIFY(PlatformNameRules::isFlowIdentifier(QStringLiteral("ray_worker")));
        QVERIFY(PlatformNameRules::isFlowIdentifier(QStringLiteral("_x1")));
        QVERIFY(!PlatformNameRules::isFlowIdentifier(QStringLiteral("ray-worker")));
        QVERIFY(!PlatformNameRules::isFlowIdentifier(QStringLiteral("1abc")));
        QVERIFY(!PlatformNameRules::isFlowIdentifier(QStringLiteral("WEB")));
    }

    void shell_quoteAndSplitRoundTrip()
    {
        const QStringList words{QStringLiteral("-c"), QStringLiteral("ray start && echo 'it''s'"), QString(),
                                QStringLiteral("--x=1")};
        QStringList back;
        QVERIFY(PlatformNameRules::shellSplit(PlatformNameRules::shellJoin(words), &back));
        QCOMPARE(back, words);
        QVERIFY(!PlatformNameRules::shellSplit(QStringLiteral("-c 'unterminated"), &back));
    }
};

QTEST_GUILESS_MAIN(TestYaml11Scalar)
#include "tst_yaml11scalar.moc"
