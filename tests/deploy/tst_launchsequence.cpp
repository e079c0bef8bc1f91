// SPDX-License-Identifier: GPL-3.0-or-later
// Launches against apolo-sandbox: to ready with 1, 2 and 3 nodes, the failure paths (each
// leaving no active job after teardown), an app restart in the middle of a launch, a saved
// launch whose jobs are gone, and a server log that keeps dropping.

#include "DeploymentSamples.h"
#include "SandboxPlatform.h"
#include "deploy/DeploymentState.h"
#include "deploy/LaunchSequence.h"
#include "deploy/Teardown.h"
#include "support/TempConfig.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>

using namespace ApoloDeploy;

namespace {

constexpr int launchTimeoutMs = 60000;

Deployment sandboxDeployment(int nodes, const QString &name)
{
    Deployment d = Test::deepSeekR1(nodes);
    d.name = name;
    return d;
}

LaunchSequence::Options fastOptions()
{
    LaunchSequence::Options options;
    options.pollIntervalMs = 200;
    options.healthIntervalMs = 200;
    return options;
}

} // namespace

class TestLaunchSequence : public QObject
{
    Q_OBJECT

private:
    // Tears the deployment down and checks the platform agrees nothing is left.
    void tearDownAndVerify(Test::SandboxPlatform &platform, const QString &name, const QStringList &knownIds)
    {
        Teardown teardown(&platform.client);
        teardown.setOptions({200, 30000});
        QSignalSpy finished(&teardown, &Teardown::finished);
        teardown.start(name, knownIds);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 40000);
        QVERIFY2(finished.constFirst().at(0).toBool(), qPrintable(finished.constFirst().at(1).toString()));
        QVERIFY(platform.activeJobs(QStringLiteral("deployment:") + name).isEmpty());
    }

    void startPlatform(Test::SandboxPlatform &platform)
    {
        QString error;
        QVERIFY2(platform.connect(&error), qPrintable(error));
    }

private Q_SLOTS:
    void launch_reachesReady_data()
    {
        QTest::addColumn<int>("nodes");
        QTest::addColumn<bool>("web");
        QTest::newRow("PP1") << 1 << false;
        QTest::newRow("PP2") << 2 << false;
        QTest::newRow("PP3") << 3 << false;
        QTest::newRow("PP2 + Open WebUI") << 2 << true;
    }
    void launch_reachesReady()
    {
        QFETCH(int, nodes);
        QFETCH(bool, web);
        Test::TempConfig config;
        Test::SandboxPlatform platform;
        startPlatform(platform);
        if (QTest::currentTestFailed())
            return;
        LaunchSequence launch(&platform.client);
        launch.setOptions(fastOptions());
        QSignalSpy ready(&launch, &LaunchSequence::ready);
        QSignalSpy failed(&launch, &LaunchSequence::failed);
        QStringList phases;
        connect(&launch, &LaunchSequence::phaseChanged, this, [&](LaunchPhase p) { phases << launchPhaseId(p); });
        const QString name = QStringLiteral("pp%1").arg(nodes) + (web ? QStringLiteral("-web") : QString());
        Deployment d = sandboxDeployment(nodes, name);
        d.openWebUi = web;
        launch.start(d);
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() || !failed.isEmpty(), launchTimeoutMs);
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
        QCOMPARE(launch.phase(), LaunchPhase::Ready);
        QVERIFY(launch.state().endpoint.isValid());
        const int jobs = nodes + (web ? 1 : 0);
        QCOMPARE(launch.state().jobs.size(), jobs);
        if (web) {
            // Open WebUI talks to the server inside the cluster, by its internal name.
            QVERIFY(phases.contains(QStringLiteral("starting_web")));
            const QList<Job> webJobs = platform.activeJobs(QStringLiteral("role:web"));
            QCOMPARE(webJobs.size(), 1);
            QCOMPARE(webJobs.constFirst().status, JobStatus::Running);
            QCOMPARE(webJobs.constFirst().container.env.value(QStringLiteral("OPENAI_API_BASE_URL")),
                     QStringLiteral("http://%1:8000/v1").arg(launch.state().serverHost));
        }
        if (nodes > 1)
            QVERIFY(phases.contains(QStringLiteral("waiting_for_head")));
        QVERIFY(phases.contains(QStringLiteral("loading_model")));
        QVERIFY(launch.serverLog().isReady());
        // The state survives on disk with the job ids.
        const std::optional<DeploymentState> saved = DeploymentStore::load(name);
        QVERIFY(saved);
        QCOMPARE(saved->phase, LaunchPhase::Ready);
        QCOMPARE(saved->jobIds(), launch.state().jobIds());
        QCOMPARE(platform.activeJobs(QStringLiteral("deployment:") + name).size(), jobs);
        tearDownAndVerify(platform, name, launch.state().jobIds());
    }

    void failures_stopWithReason_andTeardownLeavesNothing_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing image") << "image"
                                       << "Collected";
        QTest::newRow("KV cache too small") << "kv"
                                            << "KV";
        QTest::newRow("head lost") << "head"
                                   << "Ray head";
        QTest::newRow("server OOM-killed") << "oom"
                                           << "OOMKilled";
        QTest::newRow("quota exceeded") << "quota"
                                        << "quota";
        QTest::newRow("credits exhausted") << "credits"
                                           << "credits";
    }
    void failures_stopWithReason_andTeardownLeavesNothing()
    {
        QFETCH(QString, scenario);
        QFETCH(QString, expected);
        Test::TempConfig config;
        Test::SandboxPlatform platform;
        startPlatform(platform);
        if (QTest::currentTestFailed())
            return;
        Deployment d = sandboxDeployment(2, QStringLiteral("fail-") + scenario);
        if (scenario == QLatin1String("image"))
            d.image = QStringLiteral("vllm/vllm-openai:does-not-exist");
        else if (scenario == QLatin1String("kv")) {
            // The full 163840-token context with little memory left for the cache after the weights.
            d.maxModelLen = 163840;
            d.gpuMemoryUtilization = 0.4;
        } else if (scenario == QLatin1String("quota"))
            QVERIFY(platform.sandbox.setJobsQuota(1));
        else if (scenario == QLatin1String("credits"))
            QVERIFY(platform.sandbox.setBalance(QStringLiteral("0")));
        else if (scenario == QLatin1String("oom"))
            QVERIFY(platform.sandbox.setFaults(QStringLiteral("oom-kill=fail-oom-server")));
        LaunchSequence launch(&platform.client);
        launch.setOptions(fastOptions());
        QSignalSpy failed(&launch, &LaunchSequence::failed);
        QSignalSpy ready(&launch, &LaunchSequence::ready);
        if (scenario == QLatin1String("head")) {
            // Kill the head as soon as the server job exists.
            connect(&launch, &LaunchSequence::phaseChanged, this, [&](LaunchPhase phase) {
                if (phase == LaunchPhase::WaitingForServer || phase == LaunchPhase::LoadingModel) {
                    const CreatedJob *head = launch.state().job(JobRole::Head);
                    if (head && !head->id.isEmpty())
                        platform.sandbox.send("DELETE", QStringLiteral("jobs/") + head->id);
                }
            });
        }
        launch.start(d);
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty() || !ready.isEmpty(), launchTimeoutMs);
        QVERIFY2(ready.isEmpty(), "the launch should have failed");
        const QString reason =
            failed.constFirst().at(0).toString() + QLatin1Char(' ') + failed.constFirst().at(1).toString();
        qInfo("%s: %s", qPrintable(scenario), qPrintable(reason));
        QVERIFY2(reason.contains(expected, Qt::CaseInsensitive), qPrintable(reason));
        QVERIFY2(!failed.constFirst().at(1).toString().isEmpty(), "every failure says what to do next");
        QCOMPARE(launch.phase(), LaunchPhase::Failed);
        QCOMPARE(DeploymentStore::load(d.name)->phase, LaunchPhase::Failed);
        if (scenario == QLatin1String("quota"))
            QVERIFY(platform.sandbox.setJobsQuota(-1));
        tearDownAndVerify(platform, d.name, launch.state().jobIds());
    }

    void restart_midLaunch_resumesWithoutDuplicates()
    {
        Test::TempConfig config;
        Test::SandboxPlatform platform;
        startPlatform(platform);
        if (QTest::currentTestFailed())
            return;
        const Deployment d = sandboxDeployment(3, QStringLiteral("resume"));
        {
            LaunchSequence first(&platform.client);
            first.setOptions(fastOptions());
            first.start(d);
            // Stop once the head runs and a worker is being created: the app "quits" here.
            QTRY_VERIFY_WITH_TIMEOUT(first.state().job(JobRole::Worker, 1) != nullptr, launchTimeoutMs);
            first.stop();
        }
        const std::optional<DeploymentState> saved = DeploymentStore::load(d.name);
        QVERIFY(saved);
        QVERIFY(isLaunchActive(saved->phase));
        LaunchSequence second(&platform.client);
        second.setOptions(fastOptions());
        QSignalSpy ready(&second, &LaunchSequence::ready);
        QSignalSpy failed(&second, &LaunchSequence::failed);
        second.resume(*saved);
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() || !failed.isEmpty(), launchTimeoutMs);
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
        QCOMPARE(platform.activeJobs(QStringLiteral("deployment:resume")).size(), 3);
        QCOMPARE(second.state().jobIds().size(), 3);
        tearDownAndVerify(platform, d.name, second.state().jobIds());
    }

    // The platform forgot the saved launch's jobs (collected, or another cluster): the resumed
    // launch gives up with a hint instead of polling "no such job" forever.
    void resume_jobsGone_givesUpWithHint()
    {
        Test::TempConfig config;
        std::optional<DeploymentState> saved;
        const Deployment d = sandboxDeployment(2, QStringLiteral("gone"));
        {
            Test::SandboxPlatform first;
            startPlatform(first);
            if (QTest::currentTestFailed())
                return;
            LaunchSequence launch(&first.client);
            launch.setOptions(fastOptions());
            launch.start(d);
            QTRY_VERIFY_WITH_TIMEOUT(launch.phase() == LaunchPhase::WaitingForServer ||
                                         launch.phase() == LaunchPhase::LoadingModel,
                                     launchTimeoutMs);
            launch.stop();
            saved = DeploymentStore::load(d.name);
        } // that sandbox and every job in it are gone
        QVERIFY(saved);
        QCOMPARE(saved->jobIds().size(), 2);
        Test::SandboxPlatform platform;
        startPlatform(platform);
        if (QTest::currentTestFailed())
            return;
        LaunchSequence resumed(&platform.client);
        resumed.setOptions(fastOptions());
        QSignalSpy failed(&resumed, &LaunchSequence::failed);
        QSignalSpy created(&resumed, &LaunchSequence::jobUpdated);
        resumed.resume(*saved);
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 10000);
        const QString reason = failed.constFirst().at(0).toString();
        QVERIFY2(reason.contains(QLatin1String("None of the jobs of gone exists")), qPrintable(reason));
        QVERIFY2(failed.constFirst().at(1).toString().contains(QLatin1String("up --name gone")),
                 qPrintable(failed.constFirst().at(1).toString()));
        QCOMPARE(created.count(), 0); // nothing was created on the new platform
        QVERIFY(!resumed.isRunning());
        QCOMPARE(DeploymentStore::load(d.name)->phase, LaunchPhase::Failed);
        QVERIFY(platform.activeJobs(QStringLiteral("deployment:gone")).isEmpty());
    }

    // The API answers 503 for a while in the middle of a launch: the launch says so once, waits,
    // and carries on to ready when the platform is back.
    void platformOutage_midLaunch_waitsAndCarriesOn()
    {
        Test::TempConfig config;
        Test::SandboxPlatform platform;
        startPlatform(platform);
        if (QTest::currentTestFailed())
            return;
        LaunchSequence launch(&platform.client);
        launch.setOptions(fastOptions());
        QSignalSpy ready(&launch, &LaunchSequence::ready);
        QSignalSpy failed(&launch, &LaunchSequence::failed);
        QStringList messages;
        connect(&launch, &LaunchSequence::progress, this, [&](const QString &m) { messages << m; });
        bool outage = false;
        connect(&launch, &LaunchSequence::phaseChanged, this, [&](LaunchPhase phase) {
            if (phase == LaunchPhase::WaitingForHead && !outage) {
                outage = true;
                QVERIFY(platform.sandbox.setFaults(QStringLiteral("http5xx=1")));
            }
        });
        launch.start(sandboxDeployment(2, QStringLiteral("outage")));
        QTRY_VERIFY_WITH_TIMEOUT(launch.consecutiveFailedPolls() >= 3, 20000);
        QVERIFY(failed.isEmpty());
        QVERIFY(platform.sandbox.setFaults(QString()));
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() || !failed.isEmpty(), launchTimeoutMs);
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
        QVERIFY(messages.contains(QStringLiteral("The platform answers again.")));
        // Said once per outage minute, not once per poll.
        QVERIFY2(messages.filter(QStringLiteral("Could not read the jobs' status")).size() <= 2,
                 qPrintable(messages.join(QLatin1Char('\n'))));
        tearDownAndVerify(platform, QStringLiteral("outage"), launch.state().jobIds());
    }

    // The log socket drops every few KiB: the stream resumes where it was, so every line is
    // seen once and readiness is still recognised.
    void serverLog_keepsDropping_readyWithoutDuplicates()
    {
        Test::TempConfig config;
        Test::SandboxPlatform platform;
        startPlatform(platform);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(platform.sandbox.setFaults(QStringLiteral("drop-logs=16384")));
        LaunchSequence launch(&platform.client);
        launch.setOptions(fastOptions());
        QSignalSpy ready(&launch, &LaunchSequence::ready);
        QSignalSpy failed(&launch, &LaunchSequence::failed);
        QStringList messages;
        QList<qint64> numbers;
        QStringList texts;
        connect(&launch, &LaunchSequence::progress, this, [&](const QString &m) { messages << m; });
        connect(&launch, &LaunchSequence::serverLogLines, this, [&](const QList<Logs::LogLine> &lines) {
            for (const Logs::LogLine &line : lines) {
                numbers << line.number;
                texts << line.text;
            }
        });
        launch.start(sandboxDeployment(1, QStringLiteral("flaky")));
        QTRY_VERIFY2_WITH_TIMEOUT(!ready.isEmpty() || !failed.isEmpty(), qPrintable(messages.join(QLatin1Char('\n'))),
                                  launchTimeoutMs);
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
        QVERIFY2(messages.filter(QStringLiteral("log stream dropped")).size() > 0,
                 "the fault should have cut the stream");
        QCOMPARE(texts.filter(QStringLiteral("Application startup complete.")).size(), 1);
        for (qsizetype i = 1; i < numbers.size(); ++i)
            QCOMPARE(numbers.at(i), numbers.at(i - 1) + 1);
        QVERIFY(platform.sandbox.setFaults(QString()));
        tearDownAndVerify(platform, QStringLiteral("flaky"), launch.state().jobIds());
    }
};

QTEST_GUILESS_MAIN(TestLaunchSequence)
#include "tst_launchsequence.moc"
