// SPDX-License-Identifier: GPL-3.0-or-later
// Deployment <-> live.yml: exports apolo-flow accepts, round trips, and the seed guide's flow.

#include "DeploymentSamples.h"
#include "deploy/DeploymentFlow.h"
#include "deploy/DeploymentValidator.h"
#include "flow/FlowChecker.h"

#include <QFile>
#include <QTest>

using namespace ApoloDeploy;

Q_DECLARE_METATYPE(ApoloDeploy::Deployment)

namespace {

QByteArray seedFlow()
{
    QFile file(QStringLiteral(ADC_TEST_DATA_DIR "/flow/seed-guide-live.yml"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing seed flow");
    return file.readAll();
}

bool hasCode(const QList<FlowIssue> &issues, const char *code)
{
    return std::any_of(issues.cbegin(), issues.cend(),
                       [code](const FlowIssue &i) { return i.code == QLatin1String(code); });
}

} // namespace

class TestDeploymentFlow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void export_passesTheChecker_andRoundTrips_data()
    {
        QTest::addColumn<Deployment>("deployment");
        QTest::newRow("flagship PP2") << Test::deepSeekR1(2);
        QTest::newRow("single node") << Test::deepSeekR1(1);
        Deployment full = Test::deepSeekR1(4);
        full.openWebUi = true;
        full.apiKeySecret = QStringLiteral("VLLM_KEY");
        full.servedModelName = QStringLiteral("deepseek-r1");
        full.gpuMemoryUtilization = 0.95;
        full.kvCacheDtype = QStringLiteral("fp8");
        full.quantization = QStringLiteral("awq_marlin");
        full.reasoningParser = true;
        full.httpAuth = false;
        full.networkInterface = QStringLiteral("eth0");
        full.extraEnv.insert(QStringLiteral("FLAG"), QStringLiteral("yes"));
        full.extraVllmArgs = {QStringLiteral("--max-num-seqs"), QStringLiteral("8"),
                              QStringLiteral("--disable-log-requests")};
        full.lifeSpan = QStringLiteral("1d12h");
        QTest::newRow("everything PP4 + web") << full;
    }
    void export_passesTheChecker_andRoundTrips()
    {
        QFETCH(Deployment, deployment);
        const QByteArray yaml = DeploymentFlow::exportYaml(deployment);
        const FlowReadResult read = FlowChecker::readAndCheck(yaml);
        QVERIFY2(read.parsed, yaml.constData());
        QVERIFY2(!FlowChecker::hasErrors(read.issues),
                 qPrintable(FlowChecker::format(read.issues, QStringLiteral("export")) + QLatin1Char('\n') +
                            QString::fromUtf8(yaml)));
        QVERIFY2(!hasCode(read.issues, "seed-no-separator") && !hasCode(read.issues, "yaml11-retyped") &&
                     !hasCode(read.issues, "seed-inspect-job-name") && !hasCode(read.issues, "seed-pp-node-count"),
                 qPrintable(FlowChecker::format(read.issues, QStringLiteral("export"))));
        const auto imported = DeploymentFlow::fromLiveFlow(read.flow, {});
        QVERIFY(imported.recognised);
        QCOMPARE(imported.deployment.toJson(), deployment.toJson());
        QCOMPARE(imported.deployment, deployment);
        // What apolo-flow needs: env values quoted, real booleans, && between the two commands.
        QVERIFY(yaml.contains("HF_TOKEN: \"secret:HF_TOKEN\""));
        QVERIFY(yaml.contains("detach: true"));
        if (deployment.pipelineParallel > 1) {
            QVERIFY(yaml.contains(":6379 && python3 -m vllm.entrypoints.openai.api_server"));
            QVERIFY(yaml.contains("inspect_job('ray_head').internal_hostname_named"));
        }
    }

    void seedFlow_importsWithItsWarnings()
    {
        const FlowReadResult read = FlowChecker::readAndCheck(seedFlow());
        DeploymentFlow::ImportOptions options;
        options.projectId = QStringLiteral("openwebui");
        options.referenceMaxModelLen = 128000; // the guide's CLI section
        const auto imported = DeploymentFlow::fromLiveFlow(read.flow, options);
        QVERIFY(imported.recognised);
        QCOMPARE(imported.serverJobId, QStringLiteral("ray_worker"));
        QCOMPARE(imported.headJobId, QStringLiteral("ray_head"));
        QCOMPARE(imported.webJobId, QStringLiteral("web"));
        const Deployment &d = imported.deployment;
        QCOMPARE(d.name, QStringLiteral("ray"));
        QCOMPARE(d.model, QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ"));
        QCOMPARE(d.tensorParallel, 8);
        QCOMPARE(d.pipelineParallel, 2);
        QCOMPARE(d.maxModelLen, 100000);
        QCOMPARE(d.dtype, QStringLiteral("float16"));
        QVERIFY(d.enforceEager);
        QVERIFY(d.trustRemoteCode);
        QVERIFY(d.extraVllmArgs.isEmpty()); // --tokenizer equal to --model is dropped
        QCOMPARE(d.preset, QStringLiteral("dgx"));
        QCOMPARE(d.lifeSpan, QStringLiteral("10d"));
        QVERIFY(!d.httpAuth);
        QCOMPARE(d.hfTokenSecret, QStringLiteral("HF_TOKEN"));
        QCOMPARE(d.hfCacheVolume, QStringLiteral("storage:openwebui/cache"));
        QVERIFY(d.openWebUi);
        QCOMPARE(d.webImage, QStringLiteral("ghcr.io/open-webui/open-webui:v0.5.11"));
        QVERIFY(hasCode(imported.issues, "seed-context-mismatch"));
        QVERIFY(hasCode(read.issues, "seed-inspect-job-name"));
        QVERIFY(hasCode(read.issues, "seed-no-separator"));
        QVERIFY(!DeploymentValidator::hasErrors(DeploymentValidator().validate(d)));
    }

    void seedFlow_withoutProjectId_warnsAndKeepsDefaultCache()
    {
        const FlowReadResult read = FlowChecker::readAndCheck(seedFlow());
        const auto imported = DeploymentFlow::fromLiveFlow(read.flow, {});
        QVERIFY(hasCode(imported.issues, "import-project-id"));
        QCOMPARE(imported.deployment.hfCacheVolume, QStringLiteral("storage:hf-cache"));
    }

    void unrelatedFlow_isNotRecognised()
    {
        const FlowReadResult read =
            FlowChecker::readAndCheck("kind: live\njobs:\n  shell:\n    image: ubuntu\n    cmd: sleep 1\n");
        const auto imported = DeploymentFlow::fromLiveFlow(read.flow, {});
        QVERIFY(!imported.recognised);
        QVERIFY(hasCode(imported.issues, "import-not-recognised"));
    }

    // resources/flows holds the exporter's output for the flagship; it must stay current and
    // pass the checker. ADC_UPDATE_FLOW_EXAMPLES=1 rewrites it.
    void exampleFlow_matchesExporter()
    {
        const QString path = QStringLiteral(ADC_SOURCE_DIR "/resources/flows/deepseek-r1-awq-2x8.live.yml");
        const QByteArray expected = DeploymentFlow::exportYaml(Test::deepSeekR1(2));
        if (qEnvironmentVariableIsSet("ADC_UPDATE_FLOW_EXAMPLES")) {
            QFile out(path);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(expected);
        }
        QFile file(path);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
        const QByteArray actual = file.readAll();
        QCOMPARE(QString::fromUtf8(actual), QString::fromUtf8(expected));
        QVERIFY(!FlowChecker::hasErrors(FlowChecker::readAndCheck(actual).issues));
    }

    void projectId_fromWorkspaceFolder()
    {
        QCOMPARE(DeploymentFlow::projectIdForPath(QStringLiteral("/home/u/mlops-open-webui/.apolo/live.yml")),
                 QStringLiteral("mlops_open_webui"));
        QVERIFY(DeploymentFlow::projectIdForPath(QStringLiteral("/tmp/live.yml")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestDeploymentFlow)
#include "tst_deploymentflow.moc"
