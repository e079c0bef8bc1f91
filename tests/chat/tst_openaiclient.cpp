// SPDX-License-Identifier: GPL-3.0-or-later
// OpenAiClient and ChatStream over a real loopback socket.
#include "LoopbackHttpServer.h"
#include "chat/ChatStream.h"
#include "chat/OpenAiClient.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace ApoloDeploy;
using Server = Test::LoopbackHttpServer;

namespace {

struct Collected
{
    QString content;
    QString reasoning;
    std::optional<ChatStreamResult> result;
};

void collect(ChatStream *stream, Collected *into)
{
    QObject::connect(stream, &ChatStream::chunkReceived, stream, [into](const ChatChunk &chunk, qint64) {
        into->content += chunk.content;
        into->reasoning += chunk.reasoning;
    });
    QObject::connect(stream, &ChatStream::finished, stream,
                     [into](const ChatStreamResult &result) { into->result = result; });
}

QList<QByteArray> slices(const QByteArray &bytes, int size)
{
    QList<QByteArray> parts;
    for (qsizetype i = 0; i < bytes.size(); i += size)
        parts << bytes.mid(i, size);
    return parts;
}

const QByteArray r1Stream = Server::sse({
    R"({"id":"chatcmpl-1","object":"chat.completion.chunk","model":"deepseek-r1","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]})",
    R"({"id":"chatcmpl-1","object":"chat.completion.chunk","model":"deepseek-r1","choices":[{"index":0,"delta":{"reasoning_content":"Okay, Привет 🙂"},"logprobs":null,"finish_reason":null}]})",
    R"({"id":"chatcmpl-1","object":"chat.completion.chunk","model":"deepseek-r1","choices":[{"index":0,"delta":{"content":"9.8 is larger."},"logprobs":null,"finish_reason":null}]})",
    R"({"id":"chatcmpl-1","object":"chat.completion.chunk","model":"deepseek-r1","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop","stop_reason":null}]})",
    R"({"id":"chatcmpl-1","object":"chat.completion.chunk","model":"deepseek-r1","choices":[],"usage":{"prompt_tokens":14,"total_tokens":412,"completion_tokens":398}})",
});

} // namespace

class TestOpenAiClient : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_network;

    std::unique_ptr<OpenAiClient> clientFor(const Server &server, const QString &path = QStringLiteral("/v1"))
    {
        auto client = std::make_unique<OpenAiClient>(&m_network);
        ChatEndpoint endpoint;
        endpoint.baseUrl = server.url(path);
        client->setEndpoint(endpoint);
        return client;
    }

private Q_SLOTS:
    void listModels_readsServedNamesAndLength_data()
    {
        QTest::addColumn<QString>("basePath");
        QTest::newRow("root") << QString();
        QTest::newRow("root-slash") << QStringLiteral("/");
        QTest::newRow("v1") << QStringLiteral("/v1");
        QTest::newRow("v1-slash") << QStringLiteral("/v1/");
    }

    void listModels_readsServedNamesAndLength()
    {
        QFETCH(QString, basePath);
        Server server;
        server.setResponse(
            "/v1/models",
            {200,
             "OK",
             "application/json",
             {R"({"object":"list","data":[{"id":"deepseek-r1","object":"model","root":"/models/DeepSeek-R1","parent":null,"max_model_len":32768}]})"},
             0,
             false});
        auto client = clientFor(server, basePath);
        std::optional<ModelListResult> result;
        client->listModels(this, [&result](const ModelListResult &r) { result = r; });
        QTRY_VERIFY(result);
        QVERIFY2(result->error.isNull(), qPrintable(result->error.summary()));
        QCOMPARE(result->models.size(), 1);
        QCOMPARE(result->models.first().id, QStringLiteral("deepseek-r1"));
        QCOMPARE(result->models.first().root, QStringLiteral("/models/DeepSeek-R1"));
        QCOMPARE(result->models.first().maxModelLen, 32768);
        QCOMPARE(server.requests().first().path, QByteArray("/v1/models"));
    }

    void apiKey_isSentAsBearer()
    {
        Server server;
        server.setResponse("/v1/models", {200, "OK", "application/json", {R"({"data":[{"id":"m"}]})"}, 0, false});
        auto client = clientFor(server);
        ChatEndpoint endpoint = client->endpoint();
        endpoint.credential = ChatEndpoint::Credential::ApiKey;
        endpoint.bearer = [](BearerReady ready) { ready(QStringLiteral("sk-test")); };
        client->setEndpoint(endpoint);
        bool done = false;
        client->listModels(this, [&done](const ModelListResult &) { done = true; });
        QTRY_VERIFY(done);
        QCOMPARE(server.requests().first().headers.value("authorization"), QByteArray("Bearer sk-test"));
    }

    void platformToken_isNeverSentOverPlainHttpToAnotherHost()
    {
        OpenAiClient client(&m_network);
        ChatEndpoint endpoint;
        endpoint.baseUrl = QUrl(QStringLiteral("http://job.example.invalid"));
        endpoint.credential = ChatEndpoint::Credential::PlatformToken;
        bool asked = false;
        endpoint.bearer = [&asked](BearerReady ready) {
            asked = true;
            ready(QStringLiteral("apolo-token"));
        };
        client.setEndpoint(endpoint);
        Collected collected;
        collect(client.streamChat({}, this), &collected);
        QTRY_VERIFY(collected.result);
        QCOMPARE(collected.result->status, ChatStreamResult::Status::Failed);
        QVERIFY(collected.result->error.message.contains(QLatin1String("https")));
        QVERIFY(!asked);
    }

    void stream_assemblesChunksSplitAnywhere_data()
    {
        QTest::addColumn<int>("sliceSize");
        for (int size : {1, 3, 7, 64, 100000})
            QTest::addRow("slices-of-%d", size) << size;
    }

    void stream_assemblesChunksSplitAnywhere()
    {
        QFETCH(int, sliceSize);
        Server server;
        server.setResponse("/v1/chat/completions",
                           {200, "OK", "text/event-stream", slices(r1Stream, sliceSize), 0, true});
        auto client = clientFor(server);
        Collected collected;
        collect(client->streamChat(QJsonObject{{QStringLiteral("model"), QStringLiteral("deepseek-r1")}}, this),
                &collected);
        QTRY_VERIFY(collected.result);
        QCOMPARE(collected.result->status, ChatStreamResult::Status::Completed);
        QCOMPARE(collected.reasoning, QStringLiteral("Okay, Привет 🙂"));
        QCOMPARE(collected.content, QStringLiteral("9.8 is larger."));
        QCOMPARE(collected.result->finishReason, QStringLiteral("stop"));
        QVERIFY(collected.result->usage);
        QCOMPARE(collected.result->usage->completionTokens, 398);
        QVERIFY(collected.result->firstChunkMs >= 0);
        const Server::Request &request = server.requests().first();
        QCOMPARE(request.headers.value("accept"), QByteArray("text/event-stream"));
        QCOMPARE(QJsonDocument::fromJson(request.body).object().value(QLatin1String("model")).toString(),
                 QStringLiteral("deepseek-r1"));
    }

    void httpErrors_showTheServersMessage_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("message");
        QTest::newRow("401-string") << 401 << QByteArray(R"({"error":"Unauthorized"})")
                                    << QStringLiteral("Unauthorized");
        QTest::newRow("404-nested")
            << 404
            << QByteArray(R"({"error":{"message":"The model `x` does not exist.","type":"NotFoundError","code":404}})")
            << QStringLiteral("The model `x` does not exist.");
        QTest::newRow("400-flat")
            << 400 << QByteArray(R"({"object":"error","message":"bad request","type":"BadRequestError","code":400})")
            << QStringLiteral("bad request");
        QTest::newRow("502-html") << 502 << QByteArray("<html><body>Bad gateway</body></html>")
                                  << QStringLiteral("Bad gateway");
        QTest::newRow("503-empty") << 503 << QByteArray() << QStringLiteral("Reason");
    }

    void httpErrors_showTheServersMessage()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(QString, message);
        Server server;
        server.setResponse("/v1/chat/completions", {status, "Reason", "application/json", {body}, 0, false});
        auto client = clientFor(server);
        Collected collected;
        collect(client->streamChat({}, this), &collected);
        QTRY_VERIFY(collected.result);
        QCOMPARE(collected.result->status, ChatStreamResult::Status::Failed);
        QCOMPARE(collected.result->error.httpStatus, status);
        QCOMPARE(collected.result->error.message, message);
    }

    void errorEventMidStream_failsAndKeepsPartialText()
    {
        Server server;
        server.setResponse(
            "/v1/chat/completions",
            {200,
             "OK",
             "text/event-stream",
             {Server::sse(
                 {R"({"choices":[{"index":0,"delta":{"content":"partial"}}]})",
                  R"({"error": {"object":"error","message":"Engine loop is not running.","type":"InternalServerError","param":null,"code":500}})"})},
             0,
             true});
        auto client = clientFor(server);
        Collected collected;
        collect(client->streamChat({}, this), &collected);
        QTRY_VERIFY(collected.result);
        QCOMPARE(collected.result->status, ChatStreamResult::Status::Failed);
        QCOMPARE(collected.result->error.message, QStringLiteral("Engine loop is not running."));
        QCOMPARE(collected.content, QStringLiteral("partial"));
    }

    void userStop_abortsAndIsNotATimeout()
    {
        Server server;
        server.setResponse("/v1/chat/completions",
                           {200,
                            "OK",
                            "text/event-stream",
                            {Server::sse({R"({"choices":[{"index":0,"delta":{"content":"hello"}}]})"}, false)},
                            0,
                            true,
                            true});
        auto client = clientFor(server);
        client->setInactivityTimeoutMs(60000);
        Collected collected;
        ChatStream *stream = client->streamChat({}, this);
        collect(stream, &collected);
        QTRY_COMPARE(collected.content, QStringLiteral("hello"));
        stream->stop();
        QTRY_VERIFY(collected.result);
        QCOMPARE(collected.result->status, ChatStreamResult::Status::Stopped);
        QVERIFY(collected.result->error.isNull());
        QTRY_VERIFY(server.clientDisconnected()); // the server sees the abort and frees the GPU
    }

    void silence_timesOutAndIsNotAStop()
    {
        Server server;
        server.setResponse("/v1/chat/completions",
                           {200,
                            "OK",
                            "text/event-stream",
                            {Server::sse({R"({"choices":[{"index":0,"delta":{"content":"hello"}}]})"}, false)},
                            0,
                            true,
                            true});
        auto client = clientFor(server);
        client->setInactivityTimeoutMs(300);
        Collected collected;
        collect(client->streamChat({}, this), &collected);
        QTRY_VERIFY(collected.result);
        QCOMPARE(collected.result->status, ChatStreamResult::Status::TimedOut);
        QVERIFY(!collected.result->error.message.isEmpty());
        QCOMPARE(collected.content, QStringLiteral("hello"));
    }

    void cutConnection_failsWithPartialText()
    {
        Server server;
        Server::Response response{200,
                                  "OK",
                                  "text/event-stream",
                                  {Server::sse({R"({"choices":[{"index":0,"delta":{"content":"half"}}]})"}, false)},
                                  0,
                                  true};
        response.cutAfterChunks = true;
        server.setResponse("/v1/chat/completions", response);
        auto client = clientFor(server);
        Collected collected;
        collect(client->streamChat({}, this), &collected);
        QTRY_VERIFY(collected.result);
        QCOMPARE(collected.result->status, ChatStreamResult::Status::Failed);
        QCOMPARE(collected.content, QStringLiteral("half"));
    }

    void nonStreamedAnswer_isAccepted()
    {
        Server server;
        server.setResponse(
            "/v1/chat/completions",
            {200,
             "OK",
             "application/json",
             {R"({"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"whole"},"finish_reason":"stop"}]})"},
             0,
             false});
        auto client = clientFor(server);
        Collected collected;
        collect(client->streamChat({}, this), &collected);
        QTRY_VERIFY(collected.result);
        QCOMPARE(collected.result->status, ChatStreamResult::Status::Completed);
        QCOMPARE(collected.content, QStringLiteral("whole"));
    }

    void tokenize_countsOrReportsUnsupported()
    {
        Server server;
        server.setResponse(
            "/tokenize",
            {200, "OK", "application/json", {R"({"count":42,"max_model_len":128000,"tokens":[1,2]})"}, 0, false});
        auto client = clientFor(server);
        std::optional<TokenCountResult> counted;
        client->countPromptTokens({}, this, [&counted](const TokenCountResult &r) { counted = r; });
        QTRY_VERIFY(counted);
        QCOMPARE(counted->count, 42);
        QCOMPARE(counted->maxModelLen, 128000);

        Server bare;
        auto other = clientFor(bare);
        std::optional<TokenCountResult> missing;
        other->countPromptTokens({}, this, [&missing](const TokenCountResult &r) { missing = r; });
        QTRY_VERIFY(missing);
        QVERIFY(missing->unsupported);
        QVERIFY(missing->error.isNull());
    }

    void callbacks_areNotCalledAfterTheContextDied()
    {
        Server server;
        server.setResponse("/v1/models", {200, "OK", "application/json", {R"({"data":[{"id":"m"}]})"}, 0, false});
        auto client = clientFor(server);
        auto context = std::make_unique<QObject>();
        bool called = false;
        client->listModels(context.get(), [&called](const ModelListResult &) { called = true; });
        context.reset();
        // A sentinel request queued after it: once it answered, the first one would have too.
        bool sentinel = false;
        client->listModels(this, [&sentinel](const ModelListResult &) { sentinel = true; });
        QTRY_VERIFY(sentinel);
        QVERIFY(!called);
    }
};

QTEST_GUILESS_MAIN(TestOpenAiClient)
#include "tst_openaiclient.moc"
