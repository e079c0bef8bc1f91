// SPDX-License-Identifier: GPL-3.0-or-later
// The vLLM server workload end to end over real loopback HTTP, with an in-test job registry.
#include "FakeWorkloadHost.h"
#include "sandbox/Workload.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace ApoloDeploy::Sandbox;

namespace {

struct Reply
{
    int status = 0;
    QByteArray body;
    QJsonDocument json() const { return QJsonDocument::fromJson(body); }
};

// One running container with its output collected.
struct Container
{
    std::unique_ptr<Workload> workload;
    QByteArray output;
    int exitCode = -1;
    QString reason;
};

} // namespace

class TestVllmServerWorkload : public QObject
{
    Q_OBJECT

private:
    FakeWorkloadHost m_host;
    QNetworkAccessManager m_network;

    static WorkloadSpec spec(const QString &jobId, const QString &entrypoint, const QString &command, int gpus)
    {
        WorkloadSpec s;
        s.jobId = jobId;
        s.jobName = jobId;
        s.internalHostname = jobId + QStringLiteral(".platform-jobs");
        s.image = QStringLiteral("vllm/vllm-openai:v0.7.2");
        s.entrypoint = entrypoint;
        s.command = command;
        s.secretEnv.insert(QStringLiteral("HF_TOKEN"), QStringLiteral("hf_test"));
        s.gpuCount = gpus;
        s.gpuModel = QStringLiteral("nvidia-h100-80gb");
        s.httpPort = 8000;
        return s;
    }

    std::unique_ptr<Container> launch(const WorkloadSpec &s)
    {
        m_host.hostnameOfJob.insert(s.jobId, s.internalHostname);
        auto container = std::make_unique<Container>();
        container->workload.reset(createWorkload(s, &m_host, nullptr));
        Container *raw = container.get();
        connect(raw->workload.get(), &Workload::output, this, [raw](const QByteArray &bytes) { raw->output += bytes; });
        connect(raw->workload.get(), &Workload::exited, this, [raw](int code, const QString &reason, const QString &) {
            raw->exitCode = code;
            raw->reason = reason;
        });
        raw->workload->start();
        return container;
    }

    Reply request(quint16 port, const QByteArray &method, const QString &path, const QByteArray &body = {},
                  const QByteArray &token = {})
    {
        QNetworkRequest req(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path)));
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        if (!token.isEmpty())
            req.setRawHeader("Authorization", "Bearer " + token);
        QNetworkReply *reply = m_network.sendCustomRequest(req, method, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!finished.wait(20000))
            qWarning("request timed out: %s", qPrintable(path));
        Reply result{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
        reply->deleteLater();
        return result;
    }

    static QList<QJsonObject> sseEvents(const QByteArray &body, bool *sawDone)
    {
        QList<QJsonObject> events;
        *sawDone = false;
        for (const QByteArray &event : body.split('\n')) {
            if (!event.startsWith("data: "))
                continue;
            if (event == "data: [DONE]")
                *sawDone = true;
            else
                events << QJsonDocument::fromJson(event.mid(6)).object();
        }
        return events;
    }

    static QByteArray chatBody(const QString &model, bool stream, int maxTokens = 0)
    {
        QJsonObject body{{QStringLiteral("model"), model},
                         {QStringLiteral("messages"),
                          QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                                 {QStringLiteral("content"), QStringLiteral("Is 9.11 > 9.8?")}}}},
                         {QStringLiteral("stream"), stream}};
        if (stream)
            body.insert(QStringLiteral("stream_options"), QJsonObject{{QStringLiteral("include_usage"), true}});
        if (maxTokens > 0)
            body.insert(QStringLiteral("max_tokens"), maxTokens);
        return QJsonDocument(body).toJson(QJsonDocument::Compact);
    }

private Q_SLOTS:
    void initTestCase() { m_network.setProxy(QNetworkProxy::NoProxy); }

    void init() { m_host = FakeWorkloadHost(); }

    void singleNode_servesTheApiWithReasoningContent()
    {
        const QString model = QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B");
        auto c = launch(spec(QStringLiteral("job-single"), {},
                             QStringLiteral("--model ") + model +
                                 QStringLiteral(" --max-model-len 8192 --enable-reasoning --reasoning-parser "
                                                "deepseek_r1 --api-key sk-test"),
                             1));
        QCOMPARE(c->workload->servingPort(), quint16(0));
        QTRY_VERIFY_WITH_TIMEOUT(c->workload->servingPort() != 0, 20000);
        QVERIFY(c->output.contains("INFO:     Application startup complete.\n"));
        QVERIFY(c->output.contains("Maximum concurrency for 8192 tokens per request: "));
        const quint16 port = c->workload->servingPort();

        const Reply health = request(port, "GET", QStringLiteral("/health"));
        QCOMPARE(health.status, 200);
        QVERIFY(health.body.isEmpty());
        QCOMPARE(request(port, "GET", QStringLiteral("/version")).body, QByteArray("{\"version\":\"0.7.2\"}"));
        const Reply unauthorized = request(port, "GET", QStringLiteral("/v1/models"));
        QCOMPARE(unauthorized.status, 401);
        QCOMPARE(unauthorized.body, QByteArray("{\"error\":\"Unauthorized\"}"));
        const Reply models = request(port, "GET", QStringLiteral("/v1/models"), {}, "sk-test");
        QCOMPARE(models.status, 200);
        const QJsonObject card = models.json()["data"][0].toObject();
        QCOMPARE(card.value(QStringLiteral("id")).toString(), model);
        QCOMPARE(card.value(QStringLiteral("max_model_len")).toInt(), 8192);
        QCOMPARE(card.value(QStringLiteral("owned_by")).toString(), QStringLiteral("vllm"));

        const Reply stream =
            request(port, "POST", QStringLiteral("/v1/chat/completions"), chatBody(model, true), "sk-test");
        QCOMPARE(stream.status, 200);
        bool done = false;
        const QList<QJsonObject> events = sseEvents(stream.body, &done);
        QVERIFY(done);
        QVERIFY(events.size() > 10);
        QCOMPARE(events.first()["choices"][0]["delta"]["role"].toString(), QStringLiteral("assistant"));
        QString reasoning, content, finish;
        for (const QJsonObject &event : events) {
            const QJsonObject delta = event["choices"][0]["delta"].toObject();
            reasoning += delta.value(QStringLiteral("reasoning_content")).toString();
            content += delta.value(QStringLiteral("content")).toString();
            if (event["choices"][0]["finish_reason"].isString())
                finish = event["choices"][0]["finish_reason"].toString();
        }
        QVERIFY(reasoning.contains(QLatin1String("apolo-sandbox")));
        QVERIFY(content.contains(QLatin1String("apolo-sandbox")));
        QVERIFY(!content.contains(QLatin1String("think>")));
        QCOMPARE(finish, QStringLiteral("stop"));
        const QJsonObject usage = events.last();
        QVERIFY(usage["choices"].toArray().isEmpty());
        QVERIFY(usage["usage"]["completion_tokens"].toInt() > 50);

        const Reply whole =
            request(port, "POST", QStringLiteral("/v1/chat/completions"), chatBody(model, false), "sk-test");
        QCOMPARE(whole.status, 200);
        QVERIFY(whole.json()["choices"][0]["message"]["reasoning_content"].isString());
        QVERIFY(whole.json()["choices"][0]["message"]["content"].toString().contains(QLatin1String("apolo-sandbox")));

        const Reply unknown = request(port, "POST", QStringLiteral("/v1/chat/completions"),
                                      chatBody(QStringLiteral("gpt-4"), false), "sk-test");
        QCOMPARE(unknown.status, 404);
        QCOMPARE(unknown.body, QByteArray("{\"object\":\"error\",\"message\":\"The model `gpt-4` does not exist.\","
                                          "\"type\":\"NotFoundError\",\"param\":null,\"code\":404}"));
        const Reply tooLong =
            request(port, "POST", QStringLiteral("/v1/chat/completions"), chatBody(model, false, 9000), "sk-test");
        QCOMPARE(tooLong.status, 400);
        QVERIFY(tooLong.json()["message"].toString().startsWith(
            QLatin1String("This model's maximum context length is 8192 tokens. However, you requested ")));

        const Reply completion = request(port, "POST", QStringLiteral("/v1/completions"),
                                         QByteArray("{\"model\":\"") + model.toUtf8() +
                                             "\",\"prompt\":\"San Francisco is a\",\"max_tokens\":5}",
                                         "sk-test");
        QCOMPARE(completion.json()["choices"][0]["finish_reason"].toString(), QStringLiteral("length"));
        QCOMPARE(completion.json()["usage"]["completion_tokens"].toInt(), 5);
        QCOMPARE(completion.json()["object"].toString(), QStringLiteral("text_completion"));

        const Reply tokens = request(port, "POST", QStringLiteral("/tokenize"),
                                     QByteArray("{\"model\":\"m\",\"prompt\":\"San Francisco is a\"}"));
        QVERIFY(tokens.json()["count"].toInt() > 3);
        QCOMPARE(tokens.json()["max_model_len"].toInt(), 8192);

        const QByteArray metrics = request(port, "GET", QStringLiteral("/metrics")).body;
        const QByteArray generated = "vllm:generation_tokens_total{model_name=\"" + model.toUtf8() + "\"} ";
        QVERIFY(metrics.contains(generated));
        const qsizetype at = metrics.indexOf(generated) + generated.size();
        QVERIFY(metrics.mid(at, metrics.indexOf('\n', at) - at).toDouble() > 100);
        QVERIFY(metrics.contains(
            QByteArray("vllm:time_to_first_token_seconds_count{model_name=\"" + model.toUtf8() + "\"} 3.0")));
        QVERIFY(metrics.contains("vllm:num_requests_running{model_name="));
        QVERIFY(c->output.contains("logger.py:39] Received request chatcmpl-"));
        QVERIFY(c->output.contains(" - \"POST /v1/chat/completions HTTP/1.1\" 200 OK\n"));
    }

    void noReasoningParser_keepsThinkingInlineWithoutTheOpeningTag()
    {
        const QString model = QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B");
        WorkloadSpec s = spec(QStringLiteral("job-inline"), {}, QStringLiteral("--model ") + model, 1);
        s.httpRequiresAuth = true; // the platform ingress wants an Apolo token first
        auto c = launch(s);
        QTRY_VERIFY_WITH_TIMEOUT(c->workload->servingPort() != 0, 20000);
        QCOMPARE(request(c->workload->servingPort(), "GET", QStringLiteral("/health")).status, 401);
        QCOMPARE(request(c->workload->servingPort(), "GET", QStringLiteral("/health"), {}, "platform-token").status,
                 200);
        const Reply stream = request(c->workload->servingPort(), "POST", QStringLiteral("/v1/chat/completions"),
                                     chatBody(model, true), "platform-token");
        bool done = false;
        QString content;
        for (const QJsonObject &event : sseEvents(stream.body, &done)) {
            QVERIFY(!event["choices"][0]["delta"].toObject().contains(QStringLiteral("reasoning_content")));
            content += event["choices"][0]["delta"]["content"].toString();
        }
        QVERIFY(done);
        QVERIFY(content.contains(QLatin1String("</think>")));
        QVERIFY(!content.contains(QLatin1String("<think>")));
    }

    void guideDeployment_workerWaitsForTheHeadThenServes()
    {
        m_host.scale = 100; // slow enough to see the worker retry before the head exists
        m_host.aliases.insert(QStringLiteral("ray-head--0e1436ea6a.platform-jobs"),
                              QStringLiteral("job-head.platform-jobs"));
        auto worker = launch(spec(
            QStringLiteral("job-worker"), QStringLiteral("bash"),
            QStringLiteral("-c 'ray start --address=ray-head--0e1436ea6a.platform-jobs:6379; python3 -m "
                           "vllm.entrypoints.openai.api_server --model cognitivecomputations/DeepSeek-R1-AWQ "
                           "--tokenizer cognitivecomputations/DeepSeek-R1-AWQ --dtype=float16 --tensor-parallel-size=8 "
                           "--pipeline-parallel-size=2 --trust-remote-code --max-model-len=128000 --enforce-eager'"),
            8));
        QTRY_VERIFY_WITH_TIMEOUT(worker->output.contains("Unable to connect to GCS (ray head) at "
                                                         "ray-head--0e1436ea6a.platform-jobs:6379."),
                                 5000);
        auto head = launch(spec(QStringLiteral("job-head"), QStringLiteral("ray"),
                                QStringLiteral("start --block --head --port=6379 --dashboard-host=0.0.0.0"), 8));
        QTRY_VERIFY_WITH_TIMEOUT(head->output.contains("This command will now block forever until terminated by a "
                                                       "signal."),
                                 5000);
        QVERIFY(head->output.contains("INFO scripts.py:912 --   ray start --address='"));
        QTRY_VERIFY_WITH_TIMEOUT(worker->output.contains("Ray runtime started."), 5000);
        m_host.scale = 5000;
        QTRY_VERIFY_WITH_TIMEOUT(worker->workload->servingPort() != 0, 20000);
        QCOMPARE(m_host.rayNodeGpus(QStringLiteral("job-head.platform-jobs")), (QList<int>{8, 8}));
        QVERIFY(worker->output.contains("Connecting to existing Ray cluster at address: "));
        QVERIFY(worker->output.contains(", ip="));
        QVERIFY(worker->output.contains("Maximum concurrency for 128000 tokens per request: "));
        QCOMPARE(worker->exitCode, -1);

        worker->workload->stop();
        QCOMPARE(m_host.rayNodeGpus(QStringLiteral("job-head.platform-jobs")), (QList<int>{8}));
        head->workload->stop();
        QVERIFY(!m_host.isRayHeadRunning(QStringLiteral("ray-head--0e1436ea6a.platform-jobs")));
    }

    void headWithoutBlock_completesAtOnce()
    {
        auto head = launch(spec(QStringLiteral("job-nb"), QStringLiteral("ray"), QStringLiteral("start --head"), 8));
        QTRY_COMPARE_WITH_TIMEOUT(head->exitCode, 0, 5000);
        QCOMPARE(head->reason, QStringLiteral("Completed"));
        QVERIFY(head->output.contains("Ray runtime started."));
        QVERIFY(!head->output.contains("block forever"));
        QVERIFY(!m_host.isRayHeadRunning(QStringLiteral("job-nb.platform-jobs"))); // the container ended
    }

    void workerWithoutHead_failsLikeRay()
    {
        auto worker = launch(spec(QStringLiteral("job-lost"), QStringLiteral("ray"),
                                  QStringLiteral("start --block --address=nowhere.platform-jobs:6379"), 8));
        QTRY_COMPARE_WITH_TIMEOUT(worker->exitCode, 1, 5000);
        QCOMPARE(worker->reason, QStringLiteral("Error"));
        QVERIFY(worker->output.contains("Failed to connect to GCS. Please check `gcs_server.out` for more details."));
    }

    void tooFewGpus_waitForPlacementThenFail()
    {
        auto c = launch(spec(QStringLiteral("job-pg"), {},
                             QStringLiteral("--model deepseek-ai/DeepSeek-R1-Distill-Qwen-7B -tp 2"), 1));
        QTRY_COMPARE_WITH_TIMEOUT(c->exitCode, 1, 10000);
        QVERIFY(c->output.contains("Started a local Ray instance."));
        QVERIFY(c->output.contains("Waiting for creating a placement group of specs for 10 seconds."));
        QVERIFY(c->output.contains("ValueError: Cannot provide a placement group of placement_group_specs="));
        QCOMPARE(c->workload->servingPort(), quint16(0));
    }

    void clientDisconnect_abortsTheRequest()
    {
        m_host.rate = 100;
        const QString model = QStringLiteral("meta-llama/Llama-3.1-8B-Instruct");
        auto c = launch(spec(QStringLiteral("job-abort"), {},
                             QStringLiteral("--model ") + model + QStringLiteral(" --max-model-len 8192"), 1));
        QTRY_VERIFY_WITH_TIMEOUT(c->workload->servingPort() != 0, 20000);
        QJsonObject body = QJsonDocument::fromJson(chatBody(model, true, 4000)).object();
        body.insert(QStringLiteral("ignore_eos"), true);
        QNetworkRequest req(
            QUrl(QStringLiteral("http://127.0.0.1:%1/v1/chat/completions").arg(c->workload->servingPort())));
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        QNetworkReply *reply = m_network.post(req, QJsonDocument(body).toJson(QJsonDocument::Compact));
        QSignalSpy data(reply, &QNetworkReply::readyRead);
        QVERIFY(data.wait(10000));
        reply->abort();
        reply->deleteLater();
        QTRY_VERIFY_WITH_TIMEOUT(c->output.contains("engine.py:289] Aborted request chatcmpl-"), 5000);
    }

    void serverOnAnotherPort_isNotReachableThroughTheJobPort()
    {
        auto c = launch(spec(QStringLiteral("job-port"), {},
                             QStringLiteral("--model deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B --port 8080"), 1));
        QTRY_VERIFY_WITH_TIMEOUT(c->output.contains("INFO:     Uvicorn running on http://0.0.0.0:8080 (Press CTRL+C to "
                                                    "quit)\n"),
                                 20000);
        QCOMPARE(c->workload->servingPort(), quint16(0));
        QCOMPARE(c->exitCode, -1);
    }

    void badArguments_exitWithArgparseStatus()
    {
        auto c = launch(spec(QStringLiteral("job-args"), {}, QStringLiteral("--model m/x --bogus"), 1));
        QTRY_COMPARE_WITH_TIMEOUT(c->exitCode, 2, 5000);
        QVERIFY(c->output.contains("api_server.py: error: unrecognized arguments: --bogus"));
    }

    void oomKill_endsTheContainer()
    {
        auto c = launch(spec(QStringLiteral("job-oom"), QStringLiteral("sleep"), QStringLiteral("infinity"), 0));
        c->workload->injectOomKill();
        QCOMPARE(c->exitCode, 137);
        QCOMPARE(c->reason, QStringLiteral("OOMKilled"));
    }
};

QTEST_GUILESS_MAIN(TestVllmServerWorkload)
#include "tst_vllmserverworkload.moc"
