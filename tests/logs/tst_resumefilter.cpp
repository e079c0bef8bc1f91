// SPDX-License-Identifier: GPL-3.0-or-later
// ResumeFilter: replays after a reconnect are dropped exactly, shared timestamps included.

#include "logs/ResumeFilter.h"

#include <QTest>

using namespace ApoloDeploy::Logs;

class TestResumeFilter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void replay_dropsOnlyWhatWasKept()
    {
        // Lines (timestamp): a(1) b(2) c(2) | cut | d(2) e(3). The server resumes at 2 and sends b c d e.
        ResumeFilter filter;
        QVERIFY(filter.accept(1));
        QVERIFY(filter.accept(2));
        QVERIFY(filter.accept(2));
        filter.beginReconnect();
        QVERIFY(!filter.accept(2)); // b again
        QVERIFY(!filter.accept(2)); // c again
        QVERIFY(filter.accept(2));  // d is new though it shares the timestamp
        QVERIFY(filter.accept(3));
        QCOMPARE(filter.dropped(), 2);
    }

    void replay_fromEarlierThanLast_dropsOlderLines()
    {
        ResumeFilter filter;
        for (qint64 t : {10, 20, 30})
            QVERIFY(filter.accept(t));
        filter.beginReconnect();
        QVERIFY(!filter.accept(10));
        QVERIFY(!filter.accept(20));
        QVERIFY(!filter.accept(30));
        QVERIFY(filter.accept(31));
    }

    void manyReconnects_withoutNewLines_keepCounting()
    {
        ResumeFilter filter;
        QVERIFY(filter.accept(5));
        QVERIFY(filter.accept(5));
        for (int i = 0; i < 10; ++i) {
            filter.beginReconnect();
            QVERIFY(!filter.accept(5));
            QVERIFY(!filter.accept(5));
        }
        filter.beginReconnect();
        QVERIFY(!filter.accept(5));
        QVERIFY(!filter.accept(5));
        QVERIFY(filter.accept(5));
        QCOMPARE(filter.keptAtLastTimestamp(), 3);
    }

    void linesWithoutTimestamp_areKept()
    {
        ResumeFilter filter;
        QVERIFY(filter.accept(0));
        QVERIFY(filter.accept(7));
        QVERIFY(filter.accept(0));
        QCOMPARE(filter.lastTimestampNs(), 7);
    }

    void resumeSince_roundsDownToMilliseconds()
    {
        ResumeFilter filter;
        QVERIFY(!filter.resumeSince().isValid());
        filter.accept(Q_INT64_C(1628846580123456789));
        QCOMPARE(filter.resumeSince().toMSecsSinceEpoch(), Q_INT64_C(1628846580123));
        QCOMPARE(filter.resumeSince().timeSpec(), Qt::UTC);
    }
};

QTEST_GUILESS_MAIN(TestResumeFilter)
#include "tst_resumefilter.moc"
