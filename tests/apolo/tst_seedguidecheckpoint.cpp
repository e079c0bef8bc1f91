// SPDX-License-Identifier: GPL-3.0-or-later
// The integration checkpoint against apolo-sandbox, with the seed guide's exact flags:
// sign in with a token, create the Ray head and the serving worker, follow the worker's log to
// "Application startup complete.", kill both -> cancelled / UserRequested.
#include "ClientTestSupport.h"
#include "apolo/LogConnection.h"
#include "apolo/PlatformSession.h"
#include "support/SandboxFixture.h"
#include "support/TempConfig.h"

#include <QRegularExpression>
#include <QTest>

using namespace ApoloDeploy;
using namespace ApoloDeploy::Test;

namespace {

// apolo run --preset dgx --name ray-head --life-span 10d -v storage:hf-cache:/root/.cache/huggingface
//   -e HF_TOKEN=secret:HF_TOKEN --entrypoint ray vllm/vllm-openai:v0.7.2 -- start --block --head --port=6379
JobRequest rayHead()
{
    JobRequest request;
    request.presetName = QStringLiteral("dgx");
    request.name = QStringLiteral("ray-head");
    request.maxRunTimeMinutes = 10 * 24 * 60;
    request.volumes << StorageVolumeMount{QStringLiteral("storage:hf-cache"),
                                          QStringLiteral("/root/.cache/huggingface"), false};
    request.env.insert(QStringLiteral("HF_TOKEN"), QStringLiteral("secret:HF_TOKEN"));
    request.entrypoint = QStringLiteral("ray");
    request.image = QStringLiteral("vllm/vllm-openai:v0.7.2");
    request.command = QStringLiteral("start --block --head --port=6379");
    return request;
}

// apolo run --preset dgx --http-port 8000 --no-http-auth --name ray-worker -v storage:hf-cache:/root/.cache/huggingface
//   --entrypoint bash -e HF_TOKEN=secret:HF_TOKEN --life-span 10d vllm/vllm-openai:v0.7.2 -- -c '…'
JobRequest rayWorker(const QString &headHost)
{
    JobRequest request = rayHead();
    request.name = QStringLiteral("ray-worker");
    request.http = JobHttp{8000, false, {}};
    request.entrypoint = QStringLiteral("bash");
    request.command =
        QStringLiteral(
            "-c 'ray start --address=%1:6379; python3 -m vllm.entrypoints.openai.api_server "
            "--model cognitivecomputations/DeepSeek-R1-AWQ --tokenizer cognitivecomputations/DeepSeek-R1-AWQ "
            "--dtype=float16 --tensor-parallel-size=8 --pipeline-parallel-size=2 --trust-remote-code "
            "--max-model-len=128000 --enforce-eager'")
            .arg(headHost);
    return request;
}

} // namespace

class tst_SeedGuideCheckpoint : public QObject
{
    Q_OBJECT

private:
    Job waitForStatus(ApoloClient *client, const QString &id, JobStatus wanted, int timeoutMs)
    {
        Job last;
        (void)QTest::qWaitFor(
            [&] {
                ApoloResult<Job> job = awaitCall<Job>([&](QObject *c, auto done) { client->getJob(id, c, done); });
                if (job.ok())
                    last = job.value();
                return last.status == wanted || isFinished(last.status);
            },
            timeoutMs);
        return last;
    }

private Q_SLOTS:
    void deepSeekOnTwoNodes_startsServesAndIsKilled()
    {
        TempConfig config;
        SandboxFixture::Options options;
        options.speed = 200;
        SandboxFixture sandbox(options);
        QVERIFY2(sandbox.start(), qPrintable(sandbox.errorString()));

        // Sign in with a token (the scripted path: APOLO_DEPLOY_TOKEN, never argv).
        qputenv("APOLO_DEPLOY_TOKEN", sandbox.token());
        PlatformSession::Options sessionOptions;
        sessionOptions.global.apiUrl = sandbox.apiUrl();
        PlatformSession session(sessionOptions);
        bool ready = false;
        std::optional<ApoloError> failure;
        connect(&session, &PlatformSession::ready, this, [&] { ready = true; });
        connect(&session, &PlatformSession::failed, this, [&](const ApoloError &error) { failure = error; });
        session.connectToPlatform();
        QTRY_VERIFY_WITH_TIMEOUT(ready || failure, 10000);
        qunsetenv("APOLO_DEPLOY_TOKEN");
        QVERIFY2(!failure, qPrintable(failure ? failure->toString() : QString()));
        QCOMPARE(session.state(), PlatformSession::State::Platform);
        ApoloClient *client = session.client();

        ApoloResult<Secret> secret = awaitCall<Secret>(
            [&](QObject *c, auto done) { client->addSecret(QStringLiteral("HF_TOKEN"), "hf_sandbox_token", c, done); });
        QVERIFY2(secret.ok(), qPrintable(secret.error().toString()));

        ApoloResult<Job> head = awaitCall<Job>([&](QObject *c, auto done) { client->createJob(rayHead(), c, done); });
        QVERIFY2(head.ok(), qPrintable(head.error().toString()));
        QCOMPARE(head->container.secretEnv.value(QStringLiteral("HF_TOKEN")),
                 QStringLiteral("secret://default/acme/research/HF_TOKEN"));
        const Job runningHead = waitForStatus(client, head->id, JobStatus::Running, 20000);
        QCOMPARE(runningHead.status, JobStatus::Running);
        QVERIFY(!runningHead.internalHostnameNamed.isEmpty());

        ApoloResult<Job> worker = awaitCall<Job>(
            [&](QObject *c, auto done) { client->createJob(rayWorker(runningHead.internalHostnameNamed), c, done); });
        QVERIFY2(worker.ok(), qPrintable(worker.error().toString()));
        QVERIFY(worker->container.http && !worker->container.http->requiresAuth);

        // Follow the worker's log until vLLM is serving.
        ApoloError transportError;
        LogConnection *logs = client->createLogConnection(worker->id, QDateTime(), this, &transportError);
        QVERIFY2(logs, qPrintable(transportError.toString()));
        QByteArray text;
        QList<ApoloError> ends;
        connect(logs, &LogConnection::bytes, this, [&](const QByteArray &chunk) { text += chunk; });
        connect(logs, &LogConnection::finished, this, [&](const ApoloError &error) { ends << error; });
        logs->open();
        QTRY_VERIFY_WITH_TIMEOUT(text.contains("Application startup complete.") || !ends.isEmpty(), 60000);
        QVERIFY2(text.contains("Application startup complete."),
                 qPrintable(ends.isEmpty() ? QString::fromUtf8(text.right(2000)) : ends.first().toString()));
        QCOMPARE(logs->transport(), LogConnection::Transport::WebSocket);
        static const QRegularExpression stamped(
            QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{1,9}Z "));
        QVERIFY2(stamped.match(QString::fromUtf8(text.left(text.indexOf('\n')))).hasMatch(),
                 text.left(200).constData());

        for (const QString &id : {worker->id, head->id}) {
            ApoloResult<Done> killed = awaitCall<Done>([&](QObject *c, auto done) { client->killJob(id, c, done); });
            QVERIFY2(killed.ok(), qPrintable(killed.error().toString()));
        }
        for (const QString &id : {worker->id, head->id}) {
            const Job job = waitForStatus(client, id, JobStatus::Cancelled, 20000);
            QCOMPARE(job.status, JobStatus::Cancelled);
            QCOMPARE(job.reason, QStringLiteral("UserRequested"));
        }
        // The worker's log stream ends cleanly once its container is gone.
        QTRY_VERIFY_WITH_TIMEOUT(!ends.isEmpty(), 20000);
        QVERIFY2(!ends.first().isError(), qPrintable(ends.first().toString()));
        logs->close();
    }
};

QTEST_GUILESS_MAIN(tst_SeedGuideCheckpoint)
#include "tst_seedguidecheckpoint.moc"
