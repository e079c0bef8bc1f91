// SPDX-License-Identifier: GPL-3.0-or-later
// The jobs of a deployment as they will be created, and the equivalent `apolo run` preview.

#include "DeploymentSamples.h"
#include "deploy/JobPlan.h"
#include "deploy/JobPreview.h"
#include "flow/PlatformNameRules.h"

#include <QTest>

using namespace ApoloDeploy;

class TestJobPlan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void twoNodes_headAndServer()
    {
        const JobPlanBuilder builder(Test::deepSeekR1(2));
        const QList<PlannedJob> jobs =
            builder.allJobs(QStringLiteral("demo-head--0e1436ea6a.platform-jobs"), QString());
        QCOMPARE(jobs.size(), 2);
        const JobRequest &head = jobs.at(0).request;
        QCOMPARE(head.name, QStringLiteral("demo-head"));
        QCOMPARE(head.entrypoint, QStringLiteral("ray"));
        QCOMPARE(head.command, QStringLiteral("start --block --head --port=6379 --dashboard-host=0.0.0.0"));
        QVERIFY(!head.http); // nothing serves HTTP on the head (seed bug 7)
        QCOMPARE(head.tags, (QStringList{QStringLiteral("deployment:demo"), QStringLiteral("role:head"),
                                         QStringLiteral("managed-by:apolo-deploy")}));
        QCOMPARE(head.env.value(QStringLiteral("HF_TOKEN")), QStringLiteral("secret:HF_TOKEN"));
        QCOMPARE(head.volumes.size(), 1);
        QCOMPARE(head.volumes.constFirst().dstPath, QStringLiteral("/root/.cache/huggingface"));
        QVERIFY(!head.volumes.constFirst().readOnly);
        QCOMPARE(head.maxRunTimeMinutes, std::optional<int>(14400));
        QVERIFY(head.shm);

        const PlannedJob &server = jobs.at(1);
        QCOMPARE(server.request.name, QStringLiteral("demo-server"));
        QCOMPARE(server.request.entrypoint, QStringLiteral("bash"));
        QCOMPARE(server.argv.size(), 2);
        QCOMPARE(server.argv.at(0), QStringLiteral("-c"));
        QVERIFY(server.argv.at(1).startsWith(
            QLatin1String("ray start --address=demo-head--0e1436ea6a.platform-jobs:6379 && python3 -m "
                          "vllm.entrypoints.openai.api_server --model cognitivecomputations/DeepSeek-R1-AWQ")));
        QVERIFY(server.argv.at(1).contains(QLatin1String("--tensor-parallel-size=8 --pipeline-parallel-size=2 "
                                                         "--max-model-len=100000 --dtype=float16")));
        QVERIFY(server.argv.at(1).contains(QLatin1String("--enforce-eager --trust-remote-code")));
        // The platform shlex-splits the command: bash must get exactly "-c" and the script.
        QStringList split;
        QVERIFY(PlatformNameRules::shellSplit(server.request.command, &split));
        QCOMPARE(split, server.argv);
        QCOMPARE(server.request.http->port, 8000);
        QVERIFY(server.request.http->requiresAuth);
    }

    void threeNodes_addsOneWorker_andWeb()
    {
        Deployment d = Test::deepSeekR1(3);
        d.openWebUi = true;
        d.apiKeySecret = QStringLiteral("VLLM_KEY");
        const QList<PlannedJob> jobs = JobPlanBuilder(d).allJobs(QStringLiteral("H"), QStringLiteral("S"));
        QCOMPARE(jobs.size(), 4);
        QCOMPARE(jobs.at(1).role, JobRole::Worker);
        QCOMPARE(jobs.at(1).request.name, QStringLiteral("demo-worker-1"));
        QCOMPARE(jobs.at(1).request.command, QStringLiteral("start --block --address=H:6379"));
        QCOMPARE(jobs.at(2).request.env.value(QStringLiteral("VLLM_API_KEY")), QStringLiteral("secret:VLLM_KEY"));
        QVERIFY(!jobs.at(2).request.command.contains(QLatin1String("api-key")));
        const JobRequest &web = jobs.at(3).request;
        QCOMPARE(web.name, QStringLiteral("demo-web"));
        QCOMPARE(web.env.value(QStringLiteral("OPENAI_API_BASE_URL")), QStringLiteral("http://S:8000/v1"));
        QCOMPARE(web.env.value(QStringLiteral("OPENAI_API_KEY")), QStringLiteral("secret:VLLM_KEY"));
        QCOMPARE(web.http->port, 8080);
        for (const PlannedJob &job : jobs)
            QVERIFY2(PlatformNameRules::checkJobName(job.request.name).isEmpty(), qPrintable(job.request.name));
    }

    void oneNode_runsServerWithoutRay()
    {
        Deployment d = Test::deepSeekR1(1);
        d.gpuMemoryUtilization = 0.95;
        d.reasoningParser = true;
        const QList<PlannedJob> jobs = JobPlanBuilder(d).allJobs(QString(), QString());
        QCOMPARE(jobs.size(), 1);
        QCOMPARE(jobs.constFirst().request.entrypoint, QStringLiteral("python3 -m vllm.entrypoints.openai.api_server"));
        QVERIFY(!jobs.constFirst().request.command.contains(QLatin1String("ray")));
        QVERIFY(!jobs.constFirst().request.command.contains(QLatin1String("pipeline")));
        QVERIFY(jobs.constFirst().request.command.contains(QLatin1String("--gpu-memory-utilization=0.95")));
        QVERIFY(jobs.constFirst().request.command.endsWith(
            QLatin1String("--enable-reasoning --reasoning-parser deepseek_r1")));
    }

    void lifeSpanZero_meansNoLimit()
    {
        Deployment d = Test::deepSeekR1(1);
        d.lifeSpan = QStringLiteral("0");
        QVERIFY(!JobPlanBuilder(d).maxRunTimeMinutes());
        d.lifeSpan = QStringLiteral("1d12h");
        QCOMPARE(JobPlanBuilder(d).maxRunTimeMinutes(), std::optional<int>(2160));
    }

    void preview_isApoloRunWithSecretReferences()
    {
        Deployment d = Test::deepSeekR1(2);
        d.apiKeySecret = QStringLiteral("VLLM_KEY");
        const QString script = JobPreview::script(d);
        QVERIFY2(
            script.contains(QLatin1String(
                "apolo run --detach --preset dgx --name demo-head --description 'demo: Ray head (node 1 of 2)' "
                "--tag deployment:demo --tag role:head --tag managed-by:apolo-deploy --life-span 10d --http-port 0 "
                "--extshm --volume storage:hf-cache:/root/.cache/huggingface:rw --env HF_TOKEN=secret:HF_TOKEN "
                "--entrypoint ray vllm/vllm-openai:v0.7.2 -- start --block --head --port=6379 "
                "--dashboard-host=0.0.0.0")),
            qPrintable(script));
        QVERIFY(script.contains(QLatin1String("--http-port 8000 --http-auth")));
        QVERIFY(script.contains(QLatin1String("--env VLLM_API_KEY=secret:VLLM_KEY")));
        QVERIFY(script.contains(QLatin1String("-- -c 'ray start --address=HEAD_HOST_DEMO:6379 && python3 -m")));
        QVERIFY(script.contains(QLatin1String("apolo kill demo-head demo-server")));
    }
};

QTEST_GUILESS_MAIN(TestJobPlan)
#include "tst_jobplan.moc"
