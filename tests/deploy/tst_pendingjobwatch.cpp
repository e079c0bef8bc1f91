// SPDX-License-Identifier: GPL-3.0-or-later
// PendingJobWatch: a pending job's reason once per change, and one hint when it keeps waiting
// for a node.

#include "deploy/PendingJobWatch.h"

#include <QTest>

using namespace ApoloDeploy;

class TestPendingJobWatch : public QObject
{
    Q_OBJECT

    static Job job(JobStatus status, const QString &reason, const QString &description = QString())
    {
        Job j;
        j.id = QStringLiteral("job-1");
        j.name = QStringLiteral("r1-head");
        j.presetName = QStringLiteral("dgx");
        j.status = status;
        j.history.status = status;
        j.history.reason = reason;
        j.history.description = description;
        return j;
    }

private Q_SLOTS:
    void reason_isSaidOncePerChange()
    {
        PendingJobWatch watch(60000);
        QCOMPARE(watch.update(job(JobStatus::Pending, QStringLiteral("Creating")), 0),
                 QStringList{QStringLiteral("r1-head is pending: Creating")});
        QCOMPARE(watch.update(job(JobStatus::Pending, QStringLiteral("Creating")), 1000), QStringList());
        QCOMPARE(
            watch.update(job(JobStatus::Pending, QStringLiteral("Pulling"),
                             QStringLiteral("Pulling image \"vllm/vllm-openai:v0.7.2\"")),
                         2000),
            QStringList{QStringLiteral("r1-head is pending: Pulling (Pulling image \"vllm/vllm-openai:v0.7.2\")")});
        QCOMPARE(watch.update(job(JobStatus::Running, QString()), 3000), QStringList());
    }

    void waitingForANode_getsOneHintAfterTheDelay()
    {
        PendingJobWatch watch(60000);
        QCOMPARE(watch.update(job(JobStatus::Pending, QStringLiteral("Scheduling")), 0).size(), 1);
        QVERIFY(watch.update(job(JobStatus::Pending, QStringLiteral("Scheduling")), 59000).isEmpty());
        // Scaling up is still waiting for a node: the clock keeps running.
        QCOMPARE(watch.update(job(JobStatus::Pending, QStringLiteral("ClusterScalingUp")), 59500).size(), 1);
        const QStringList hint = watch.update(job(JobStatus::Pending, QStringLiteral("ClusterScalingUp")), 120000);
        QCOMPARE(hint.size(), 1);
        QVERIFY2(hint.first().contains(QLatin1String("waited 2 min for a node with dgx")), qPrintable(hint.first()));
        QVERIFY(hint.first().contains(QLatin1String("apolo-deploy presets")));
        QVERIFY(watch.update(job(JobStatus::Pending, QStringLiteral("ClusterScalingUp")), 600000).isEmpty());
    }

    void otherReasons_neverGetTheCapacityHint()
    {
        PendingJobWatch watch(1000);
        watch.update(job(JobStatus::Pending, QStringLiteral("Pulling")), 0);
        QVERIFY(watch.update(job(JobStatus::Pending, QStringLiteral("Pulling")), 3'600'000).isEmpty());
    }

    void aJobThatRanAndWaitsAgain_startsOver()
    {
        PendingJobWatch watch(1000);
        watch.update(job(JobStatus::Pending, QStringLiteral("Scheduling")), 0);
        QCOMPARE(watch.update(job(JobStatus::Pending, QStringLiteral("Scheduling")), 1000).size(), 1); // hint
        watch.update(job(JobStatus::Running, QString()), 2000);
        QCOMPARE(watch.update(job(JobStatus::Pending, QStringLiteral("Scheduling")), 3000),
                 QStringList{QStringLiteral("r1-head is pending: Scheduling")});
    }
};

QTEST_APPLESS_MAIN(TestPendingJobWatch)
#include "tst_pendingjobwatch.moc"
