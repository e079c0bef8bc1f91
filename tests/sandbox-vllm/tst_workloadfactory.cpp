// SPDX-License-Identifier: GPL-3.0-or-later
// createWorkload for containers other than the vLLM server: shell lists, builtins, Ray misuse,
// Open WebUI. The registry is an in-test stand-in; HTTP is real loopback.
#include "FakeWorkloadHost.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace ApoloDeploy::Sandbox;

class TestWorkloadFactory : public QObject
{
    Q_OBJECT

private:
    FakeWorkloadHost m_host;
    std::unique_ptr<Workload> m_workload;
    QByteArray m_output;
    int m_exitCode = -1;
    QString m_reason;
    QString m_message;

    void launch(const QString &image, const QString &entrypoint, const QString &command,
                const QHash<QString, QString> &env = {})
    {
        WorkloadSpec spec;
        spec.httpPort = 8080;
        spec.jobId = QStringLiteral("job-factory");
        spec.internalHostname = QStringLiteral("job-factory.platform-jobs");
        spec.image = image;
        spec.entrypoint = entrypoint;
        spec.command = command;
        spec.env = env;
        m_host.hostnameOfJob.insert(spec.jobId, spec.internalHostname);
        m_workload.reset(createWorkload(spec, &m_host, nullptr));
        connect(m_workload.get(), &Workload::output, this, [this](const QByteArray &bytes) { m_output += bytes; });
        connect(m_workload.get(), &Workload::exited, this,
                [this](int code, const QString &reason, const QString &message) {
                    m_exitCode = code;
                    m_reason = reason;
                    m_message = message;
                });
        m_workload->start();
    }

private Q_SLOTS:
    void init()
    {
        m_host = FakeWorkloadHost();
        m_workload.reset();
        m_output.clear();
        m_exitCode = -1;
        m_reason.clear();
        m_message.clear();
    }

    void shellList_followsBashExitStatusRules()
    {
        launch(QStringLiteral("ubuntu:22.04"), QStringLiteral("bash"),
               QStringLiteral("-c 'echo hi && false || echo recovered; sleep 10 && exit 3'"));
        QTRY_COMPARE_WITH_TIMEOUT(m_exitCode, 3, 5000);
        QCOMPARE(m_output, QByteArray("hi\nrecovered\n"));
        QCOMPARE(m_reason, QStringLiteral("Error"));
    }

    void unknownProgram_printsItsCommandAndKeepsRunning()
    {
        launch(QStringLiteral("ubuntu:22.04"), {}, QStringLiteral("python train.py --epochs 3"));
        QTRY_COMPARE_WITH_TIMEOUT(m_output, QByteArray("python train.py --epochs 3\n"), 5000);
        QCOMPARE(m_exitCode, -1);
        m_workload->injectOomKill();
        QCOMPARE(m_exitCode, 137);
        QCOMPARE(m_reason, QStringLiteral("OOMKilled"));
    }

    void unbalancedQuote_isABashSyntaxError()
    {
        launch(QStringLiteral("ubuntu:22.04"), QStringLiteral("bash"), QStringLiteral("-c \"echo 'oops\""));
        QTRY_COMPARE_WITH_TIMEOUT(m_exitCode, 2, 5000);
        QCOMPARE(m_message, QStringLiteral("bash: -c: line 1: unexpected EOF while looking for matching `''"));
    }

    void foldedFlowCommand_gluesRayAndVllmIntoOneBadRayCall()
    {
        // A YAML `cmd: >` that loses the line break turns two commands into one `ray start`.
        launch(QStringLiteral("vllm/vllm-openai:v0.7.2"), QStringLiteral("bash"),
               QStringLiteral("-c 'ray start --address=h.platform-jobs:6379 python3 -m "
                              "vllm.entrypoints.openai.api_server --model m/x'"));
        QTRY_COMPARE_WITH_TIMEOUT(m_exitCode, 2, 5000);
        QVERIFY(m_output.endsWith("Error: No such option: -m\n"));
    }

    void rayStatus_listsTheClusterGpus()
    {
        launch(QStringLiteral("vllm/vllm-openai:v0.7.2"), QStringLiteral("bash"),
               QStringLiteral("-c 'ray start --head --num-gpus=4 && ray status'"));
        QTRY_COMPARE_WITH_TIMEOUT(m_exitCode, 0, 5000);
        QVERIFY(m_output.contains("Ray runtime started."));
        QVERIFY(m_output.contains(" 0.0/4.0 GPU\n"));
        QVERIFY(!m_host.isRayHeadRunning(QStringLiteral("job-factory.platform-jobs"))); // the container ended
    }

    void openWebUi_servesAStandInPage()
    {
        launch(QStringLiteral("ghcr.io/open-webui/open-webui:v0.5.11"), {}, {},
               {{QStringLiteral("OPENAI_API_BASE_URL"),
                 QStringLiteral("http://ray-worker--0e1436ea6a.platform-jobs:8000/v1")}});
        QTRY_VERIFY_WITH_TIMEOUT(m_workload->servingPort() != 0, 5000);
        QVERIFY(m_output.contains("Uvicorn running on http://0.0.0.0:8080"));
        QNetworkAccessManager network;
        network.setProxy(QNetworkProxy::NoProxy);
        QNetworkReply *reply =
            network.get(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(m_workload->servingPort()))));
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(5000));
        const QByteArray page = reply->readAll();
        QVERIFY(page.contains("apolo-sandbox stand-in"));
        QVERIFY(page.contains("http://ray-worker--0e1436ea6a.platform-jobs:8000/v1"));
        reply->deleteLater();
    }
};

QTEST_GUILESS_MAIN(TestWorkloadFactory)
#include "tst_workloadfactory.moc"
