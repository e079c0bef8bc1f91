// SPDX-License-Identifier: GPL-3.0-or-later
// SliceScheduler: one budget per event-loop turn shared by all log streams, round-robin.

#include "logs/SliceScheduler.h"

#include <QElapsedTimer>
#include <QTest>
#include <QTimer>

#include <algorithm>

using namespace ApoloDeploy::Logs;

class TestSliceScheduler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void work_runsUntilItSaysDone()
    {
        QObject owner;
        int calls = 0;
        SliceScheduler::instance()->request(&owner, [&calls](const QDeadlineTimer &) { return ++calls < 3; });
        QTRY_COMPARE(calls, 3);
        QVERIFY(!SliceScheduler::instance()->isScheduled(&owner));
    }

    void greedyStreams_shareOneBudgetPerTurn_andTakeTurns()
    {
        // Four streams that each use all the time they get: with a budget each, a turn would
        // last four budgets. The event loop's longest gap (a 1 ms timer) shows what a turn took.
        QObject owners[4];
        QList<int> order;
        for (int i = 0; i < 4; ++i) {
            SliceScheduler::instance()->request(&owners[i], [&order, i](const QDeadlineTimer &deadline) {
                order << i;
                while (!deadline.hasExpired()) {
                }
                return order.size() < 12;
            });
        }
        QTimer tick;
        tick.setTimerType(Qt::PreciseTimer);
        QElapsedTimer sinceTick;
        qint64 worstGapMs = 0;
        connect(&tick, &QTimer::timeout, this, [&] { worstGapMs = qMax(worstGapMs, sinceTick.restart()); });
        sinceTick.start();
        tick.start(1);
        QTRY_VERIFY(std::none_of(std::begin(owners), std::end(owners),
                                 [](const QObject &o) { return SliceScheduler::instance()->isScheduled(&o); }));
        tick.stop();
        // One stream per turn (the others find the deadline passed), in rotation.
        QCOMPARE(order.mid(0, 8), (QList<int>{0, 1, 2, 3, 0, 1, 2, 3}));
        QVERIFY2(worstGapMs < 2 * SliceScheduler::budgetMs + 4, qPrintable(QString::number(worstGapMs)));
    }

    void cancel_duringAnotherOwnersWork_isRespected()
    {
        QObject a, b;
        int bCalls = 0;
        SliceScheduler *scheduler = SliceScheduler::instance();
        scheduler->request(&a, [&](const QDeadlineTimer &) {
            scheduler->cancel(&b);
            return false;
        });
        scheduler->request(&b, [&](const QDeadlineTimer &) { return ++bCalls, false; });
        QTRY_VERIFY(!scheduler->isScheduled(&a));
        QTest::qWait(20); // nothing is pending; b must stay cancelled
        QCOMPARE(bCalls, 0);
    }

    void requestDuringOwnWork_runsAgain()
    {
        // A stream that receives bytes while processing (it re-requests) must not be dropped.
        QObject owner;
        int calls = 0;
        SliceScheduler *scheduler = SliceScheduler::instance();
        std::function<bool(const QDeadlineTimer &)> work = [&](const QDeadlineTimer &) {
            if (++calls == 1)
                scheduler->request(&owner, work);
            return false;
        };
        scheduler->request(&owner, work);
        QTRY_COMPARE(calls, 2);
        QTRY_VERIFY(!scheduler->isScheduled(&owner));
    }
};

QTEST_GUILESS_MAIN(TestSliceScheduler)
#include "tst_slicescheduler.moc"
