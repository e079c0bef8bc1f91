// SPDX-License-Identifier: GPL-3.0-or-later
// Running a live.yml's jobs as written against apolo-sandbox, like `apolo-flow run`: the seed
// guide's Ray head, then its worker, whose command inspects the head's internal hostname.

#include "SandboxPlatform.h"
#include "deploy/FlowJobRunner.h"
#include "flow/FlowChecker.h"
#include "support/TempConfig.h"

#include <QFile>
#include <QSignalSpy>

using namespace ApoloDeploy;

namespace {

LiveFlow seedFlow()
{
    QFile file(QStringLiteral(ADC_TEST_DATA_DIR "/flow/seed-guide-live.yml"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing seed flow");
    return FlowChecker::readAndCheck(file.readAll()).flow;
}

} // namespace

class TestFlowJobRunner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void seedHeadThenWorker_resolvesInspectJobAndVolumes()
    {
        Test::TempConfig config;
        Test::SandboxPlatform platform;
        QString error;
        QVERIFY2(platform.connect(&error), qPrintable(error));
        FlowJobRunner runner(&platform.client, seedFlow(), QStringLiteral("openwebui"));
        QSignalSpy finished(&runner, &FlowJobRunner::finished);
        QList<Job> started;
        connect(&runner, &FlowJobRunner::jobStarted, this, [&](const Job &job) { started << job; });
        runner.run({QStringLiteral("ray_head"), QStringLiteral("ray_worker"), QStringLiteral("web")});
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 30000);
        QVERIFY2(finished.constFirst().at(0).toBool(), qPrintable(finished.constFirst().at(1).toString()));
        QCOMPARE(started.size(), 3);

        const Job &head = started.at(0);
        QCOMPARE(head.name, QStringLiteral("ray-head")); // the file's own name: wins over the generated one
        for (const QString &tag :
             FlowJobRunner::systemTags(QStringLiteral("openwebui"), QStringLiteral("live"), QStringLiteral("ray_head")))
            QVERIFY2(head.tags.contains(tag), qPrintable(head.tags.join(u' ')));

        // The worker's command names the head by the hostname the platform gave it.
        const Job &worker = started.at(1);
        const QList<Job> heads = platform.activeJobs(QStringLiteral("job:ray-head"));
        QCOMPARE(heads.size(), 1);
        QVERIFY2(worker.container.command.contains(heads.constFirst().internalHostnameNamed + QStringLiteral(":6379")),
                 qPrintable(worker.container.command));
        QVERIFY2(!worker.container.command.contains(QLatin1String("${{")), qPrintable(worker.container.command));
        // $[[ flow.project_id ]] in the volume became the project id.
        bool cacheMounted = false;
        for (const StorageVolumeMount &volume : worker.container.volumes)
            cacheMounted = cacheMounted || volume.srcStorageUri.contains(QLatin1String("openwebui/cache"));
        QVERIFY(cacheMounted);

        // Open WebUI: no name in the file, so apolo-flow's generated one; its inspect_job('ray-worker')
        // (a job name where an id belongs, the seed's pitfall) still finds the worker by tag.
        const Job &web = started.at(2);
        QCOMPARE(web.name, FlowJobRunner::generatedName(QStringLiteral("openwebui"), QStringLiteral("web")));
        const QList<Job> workers = platform.activeJobs(QStringLiteral("job:ray-worker"));
        QCOMPARE(workers.size(), 1);
        QCOMPARE(web.container.env.value(QStringLiteral("OPENAI_API_BASE_URL")),
                 QStringLiteral("http://%1:8000/v1").arg(workers.constFirst().internalHostnameNamed));
    }

    void unknownJob_isRefusedBeforeAnythingRuns()
    {
        Test::TempConfig config;
        Test::SandboxPlatform platform;
        QString error;
        QVERIFY2(platform.connect(&error), qPrintable(error));
        FlowJobRunner runner(&platform.client, seedFlow(), QStringLiteral("openwebui"));
        QSignalSpy finished(&runner, &FlowJobRunner::finished);
        runner.run({QStringLiteral("ray_head"), QStringLiteral("nope")});
        QCOMPARE(finished.count(), 1);
        QVERIFY(!finished.constFirst().at(0).toBool());
        QVERIFY(finished.constFirst().at(1).toString().contains(QLatin1String("no job 'nope'")));
        QVERIFY(platform.activeJobs(QStringLiteral("project:openwebui")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestFlowJobRunner)
#include "tst_flowjobrunner.moc"
