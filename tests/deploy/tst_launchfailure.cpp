// SPDX-License-Identifier: GPL-3.0-or-later
// What a stopped launch tells people: the reason from the platform or the server's log, and a
// next step, for every way a launch ends early.

#include "apolo/ApoloError.h"
#include "apolo/PlatformTypes.h"
#include "deploy/LaunchFailure.h"
#include "logs/LogClassifier.h"

#include <QTest>

using namespace ApoloDeploy;

namespace {

Job jobIn(JobStatus status, const QString &statusText, const QString &reason, const QString &description = {})
{
    Job job;
    job.id = QStringLiteral("job-1");
    job.name = QStringLiteral("demo-head");
    job.status = status;
    job.statusText = statusText;
    job.history.reason = reason;
    job.history.description = description;
    return job;
}

} // namespace

class TestLaunchFailure : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void runningAndPendingJobs_areFine()
    {
        const CreatedJob head{JobRole::Head, 0, QStringLiteral("demo-head"), QStringLiteral("job-1")};
        const Logs::LogClassifier log;
        QVERIFY(!LaunchFailure::ofJob(head, jobIn(JobStatus::Running, QStringLiteral("running"), {}), log));
        QVERIFY(!LaunchFailure::ofJob(
            head, jobIn(JobStatus::Pending, QStringLiteral("pending"), QStringLiteral("Pulling")), log));
        QVERIFY(!LaunchFailure::ofServerLog(log));
    }

    void imagePullBackOff_stopsWhilePending()
    {
        const CreatedJob head{JobRole::Head, 0, QStringLiteral("demo-head"), QStringLiteral("job-1")};
        const auto failure =
            LaunchFailure::ofJob(head,
                                 jobIn(JobStatus::Pending, QStringLiteral("pending"), QStringLiteral("ErrImagePull"),
                                       QStringLiteral("no such image")),
                                 Logs::LogClassifier());
        QVERIFY(failure);
        QVERIFY2(failure->reason.contains(QLatin1String("ErrImagePull")), qPrintable(failure->reason));
        QVERIFY(!failure->hint.isEmpty());
    }

    void headKilledFromOutside_saysWhatToDo()
    {
        const CreatedJob head{JobRole::Head, 0, QStringLiteral("demo-head"), QStringLiteral("job-1")};
        const auto failure = LaunchFailure::ofJob(
            head, jobIn(JobStatus::Cancelled, QStringLiteral("cancelled"), QStringLiteral("UserRequested")),
            Logs::LogClassifier());
        QVERIFY(failure);
        QVERIFY(failure->reason.startsWith(QLatin1String("The Ray head (demo-head) is cancelled")));
        QVERIFY2(failure->hint.contains(QLatin1String("launch it again")), qPrintable(failure->hint));
    }

    void refusals_haveAHintEvenWithoutTheServers()
    {
        ApoloError quota;
        quota.kind = ApoloError::Kind::Quota;
        quota.message = QStringLiteral("Jobs limit quota exceeded");
        LaunchFailure failure = LaunchFailure::ofRefusal(quota, QStringLiteral("Creating demo-server"));
        QCOMPARE(failure.reason, QStringLiteral("Creating demo-server failed: Jobs limit quota exceeded"));
        QVERIFY(failure.hint.contains(QLatin1String("quota")));
        ApoloError credits;
        credits.kind = ApoloError::Kind::Credits;
        credits.hint = QStringLiteral("Add credits.");
        failure = LaunchFailure::ofRefusal(credits, QStringLiteral("Creating demo-head"));
        QCOMPARE(failure.hint, QStringLiteral("Add credits.")); // the server's own hint wins
        QVERIFY(!failure.reason.endsWith(QLatin1String(": "))); // no message: the kind is named
    }

    void goneJobs_allOrSome()
    {
        LaunchFailure all =
            LaunchFailure::ofGoneJobs(QStringLiteral("demo"), {QStringLiteral("demo-head (job-1)")}, true);
        QVERIFY(all.reason.contains(QLatin1String("None of the jobs of demo")));
        QVERIFY(all.hint.contains(QLatin1String("up --name demo")));
        LaunchFailure some =
            LaunchFailure::ofGoneJobs(QStringLiteral("demo"), {QStringLiteral("demo-head (job-1)")}, false);
        QVERIFY(some.reason.startsWith(QLatin1String("demo-head (job-1) of demo")));
        QVERIFY(some.hint.contains(QLatin1String("down --name demo --yes")));
    }
};

QTEST_GUILESS_MAIN(TestLaunchFailure)
#include "tst_launchfailure.moc"
