// SPDX-License-Identifier: GPL-3.0-or-later
// ResumeFilter: replays after a reconnect are dropped exactly, shared timestamps included.

#include "logs/LineNormalizer.h"
#include "logs/ResumeFilter.h"

#include <QTest>

using namespace ApoloDeploy::Logs;

namespace {

// 2021-08-13T09:23:00Z plus a number of microseconds, as ns.
constexpr qint64 base = Q_INT64_C(1628846580000000000);
constexpr qint64 us(qint64 micros)
{
    return base + micros * 1000;
}

} // namespace

class TestResumeFilter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void replay_dropsOnlyWhatWasKept()
    {
        // Lines (timestamp): a(1) b(2) c(2) | cut | d(2) e(3). The server resumes at 2 and sends b c d e.
        ResumeFilter filter;
        QVERIFY(filter.accept(us(1)));
        QVERIFY(filter.accept(us(2)));
        QVERIFY(filter.accept(us(2)));
        filter.beginReconnect();
        QVERIFY(!filter.accept(us(2))); // b again
        QVERIFY(!filter.accept(us(2))); // c again
        QVERIFY(filter.accept(us(2)));  // d is new though it shares the timestamp
        QVERIFY(filter.accept(us(3)));
        QCOMPARE(filter.dropped(), 2);
    }

    void replay_fromEarlierThanLast_dropsOlderLines()
    {
        ResumeFilter filter;
        for (qint64 t : {10, 20, 30})
            QVERIFY(filter.accept(us(t)));
        filter.beginReconnect();
        QVERIFY(!filter.accept(us(10)));
        QVERIFY(!filter.accept(us(20)));
        QVERIFY(!filter.accept(us(30)));
        QVERIFY(filter.accept(us(31)));
    }

    void manyReconnects_withoutNewLines_keepCounting()
    {
        ResumeFilter filter;
        QVERIFY(filter.accept(us(5)));
        QVERIFY(filter.accept(us(5)));
        for (int i = 0; i < 10; ++i) {
            filter.beginReconnect();
            QVERIFY(!filter.accept(us(5)));
            QVERIFY(!filter.accept(us(5)));
        }
        filter.beginReconnect();
        QVERIFY(!filter.accept(us(5)));
        QVERIFY(!filter.accept(us(5)));
        QVERIFY(filter.accept(us(5)));
        QCOMPARE(filter.keptAtLastTimestamp(), 3);
    }

    void liveNanoseconds_thenArchiveMicroseconds_nothingLostOrRepeated()
    {
        // Live kube lines carry up to 9 fraction digits; after a reconnect the same lines may come
        // back from the archive with 6. a and b were received live, the cut lost c.
        const qint64 a = LineNormalizer::parsePlatformTimestamp(u"2021-08-13T09:23:00.123456100Z");
        const qint64 b = LineNormalizer::parsePlatformTimestamp(u"2021-08-13T09:23:00.1234567Z");
        const qint64 archived = LineNormalizer::parsePlatformTimestamp(u"2021-08-13T09:23:00.123456Z");
        const qint64 later = LineNormalizer::parsePlatformTimestamp(u"2021-08-13T09:23:00.123457Z");
        QVERIFY(a > archived && b > a);
        ResumeFilter filter;
        QVERIFY(filter.accept(a));
        QVERIFY(filter.accept(b));
        filter.beginReconnect();
        QVERIFY(!filter.accept(archived)); // a
        QVERIFY(!filter.accept(archived)); // b
        QVERIFY(filter.accept(archived));  // c: older than b's ns timestamp, but new
        QVERIFY(filter.accept(later));
    }

    void linesWithoutTimestamp_followTheLineBefore()
    {
        ResumeFilter filter;
        QVERIFY(filter.accept(0)); // nothing before it: kept
        QVERIFY(filter.accept(us(7)));
        QVERIFY(filter.accept(0)); // the rest of a long line that was kept
        QCOMPARE(filter.lastTimestampNs(), us(7));
        filter.beginReconnect();
        QVERIFY(!filter.accept(us(7)));
        QVERIFY(!filter.accept(0)); // the same long line again: its rest too
        QVERIFY(filter.accept(us(8)));
        QVERIFY(filter.accept(0));
        QCOMPARE(filter.dropped(), 2);
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
