// SPDX-License-Identifier: GPL-3.0-or-later
#include "LoopbackHttpServer.h"
#include "chat/ChatSession.h"
#include "chat/ConversationStore.h"
#include "chat/OpenAiClient.h"
#include "support/TempConfig.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace ApoloDeploy;
using Server = Test::LoopbackHttpServer;

namespace {

QByteArray contentChunk(const QString &text)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("choices"),
                                      QJsonArray{QJsonObject{
                                          {QStringLiteral("index"), 0},
                                          {QStringLiteral("delta"), QJsonObject{{QStringLiteral("content"), text}}}}}}})
        .toJson(QJsonDocument::Compact);
}

QByteArray finishChunk(const char *reason)
{
    return QByteArray(R"({"choices":[{"index":0,"delta":{},"finish_reason":")") + reason + R"("}]})";
}

// Inline thinking as vLLM 0.7.2 sends it without a reasoning parser and with R1's new template.
QList<QByteArray> r1InlineStream()
{
    return {
        Server::sse({contentChunk(QStringLiteral("Okay, compare ")), contentChunk(QStringLiteral("decimals.\n</th")),
                     contentChunk(QStringLiteral("ink>\n\n**9.8**")), contentChunk(QStringLiteral(" is larger.")),
                     finishChunk("stop"),
                     R"({"choices":[],"usage":{"prompt_tokens":14,"completion_tokens":20,"total_tokens":34}})"})};
}

} // namespace

class TestChatSession : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_network;

    struct Fixture
    {
        Test::TempConfig config;
        Server server;
        OpenAiClient client;
        ConversationStore store;
        ChatSession session;

        explicit Fixture(QNetworkAccessManager *network)
            : client(network)
            , session(&client, &store)
        {
            ChatEndpoint endpoint;
            endpoint.baseUrl = server.url(QStringLiteral("/v1"));
            client.setEndpoint(endpoint);
        }
    };

private Q_SLOTS:
    void r1Answer_isSplitMeasuredAndSaved()
    {
        Fixture f(&m_network);
        f.server.setResponse("/v1/chat/completions", {200, "OK", "text/event-stream", r1InlineStream(), 5, true});
        f.session.setModel(QStringLiteral("deepseek-r1"), QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ"));
        QSignalSpy finished(&f.session, &ChatSession::turnFinished);
        QVERIFY(f.session.send(QStringLiteral("Which is larger, 9.11 or 9.8?")));
        QVERIFY(f.session.isStreaming());
        QTRY_COMPARE(finished.count(), 1);
        const ChatMessage &answer = f.session.conversation().messages.at(1);
        QCOMPARE(answer.state, ChatMessage::State::Complete);
        QCOMPARE(answer.reasoning, QStringLiteral("Okay, compare decimals.\n"));
        QCOMPARE(answer.content, QStringLiteral("**9.8** is larger."));
        QCOMPARE(answer.metrics.completionTokens, 20);
        QVERIFY(!answer.metrics.tokensEstimated);
        QVERIFY(answer.metrics.timeToFirstTokenMs >= 0);
        QCOMPARE(answer.metrics.promptTokens, 14);

        // R1 defaults were sent, and no system prompt.
        const QJsonObject body = QJsonDocument::fromJson(f.server.requests().first().body).object();
        QCOMPARE(body.value(QLatin1String("temperature")).toDouble(), 0.6);
        QCOMPARE(body.value(QLatin1String("top_p")).toDouble(), 0.95);
        QCOMPARE(body.value(QLatin1String("stream")).toBool(), true);
        QCOMPARE(body.value(QLatin1String("stream_options")).toObject().value(QLatin1String("include_usage")).toBool(),
                 true);
        QCOMPARE(body.value(QLatin1String("messages")).toArray().size(), 1);

        const std::optional<Conversation> saved = f.store.load(f.session.conversation().id);
        QVERIFY(saved);
        QCOMPARE(saved->messages.at(1).content, answer.content);
    }

    void userChangedSampling_winsOverR1Defaults()
    {
        Fixture f(&m_network);
        f.server.setResponse("/v1/chat/completions", {200, "OK", "text/event-stream", r1InlineStream(), 0, true});
        f.session.setModel(QStringLiteral("deepseek-r1"));
        ChatParameters parameters;
        parameters.temperature = 1.0;
        f.session.setParameters(parameters);
        QSignalSpy finished(&f.session, &ChatSession::turnFinished);
        f.session.send(QStringLiteral("hi"));
        QTRY_COMPARE(finished.count(), 1);
        const QJsonObject body = QJsonDocument::fromJson(f.server.requests().first().body).object();
        QCOMPARE(body.value(QLatin1String("temperature")).toDouble(), 1.0);
        QCOMPARE(body.value(QLatin1String("top_p")).toDouble(), 0.95);
    }

    void extraFields_areSentButNeverReplaceTheRequest()
    {
        Fixture f(&m_network);
        f.server.setResponse("/v1/chat/completions", {200, "OK", "text/event-stream", r1InlineStream(), 0, true});
        f.session.setModel(QStringLiteral("llama"));
        ChatParameters parameters;
        parameters.extraFields = QJsonObject{{QStringLiteral("ignore_eos"), true},
                                             {QStringLiteral("top_k"), 20},
                                             {QStringLiteral("stream"), false},
                                             {QStringLiteral("model"), QStringLiteral("other")}};
        f.session.setParameters(parameters);
        QCOMPARE(ChatParameters::fromJson(parameters.toJson()), parameters); // saved with the conversation
        QSignalSpy finished(&f.session, &ChatSession::turnFinished);
        f.session.send(QStringLiteral("hi"));
        QTRY_COMPARE(finished.count(), 1);
        const QJsonObject body = QJsonDocument::fromJson(f.server.requests().first().body).object();
        QCOMPARE(body.value(QLatin1String("ignore_eos")).toBool(), true);
        QCOMPARE(body.value(QLatin1String("top_k")).toInt(), 20);
        QCOMPARE(body.value(QLatin1String("stream")).toBool(), true);
        QCOMPARE(body.value(QLatin1String("model")).toString(), QStringLiteral("llama"));
    }

    void stop_keepsPartialTextMarkedStopped()
    {
        Fixture f(&m_network);
        Server::Response endless{
            200, "OK", "text/event-stream", {Server::sse({contentChunk(QStringLiteral("partial"))}, false)}, 0, true};
        endless.keepOpen = true;
        f.server.setResponse("/v1/chat/completions", endless);
        f.session.setModel(QStringLiteral("llama"));
        QSignalSpy finished(&f.session, &ChatSession::turnFinished);
        f.session.send(QStringLiteral("hi"));
        QTRY_COMPARE(f.session.conversation().messages.at(1).content, QStringLiteral("partial"));
        f.session.stop();
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(f.session.conversation().messages.at(1).state, ChatMessage::State::Stopped);
        QCOMPARE(f.session.conversation().messages.at(1).content, QStringLiteral("partial"));
        QVERIFY(!f.session.isStreaming());
    }

    void crashMidStream_losesNothingAlreadySaved()
    {
        Fixture f(&m_network);
        Server::Response slow{200, "OK", "text/event-stream", {}, 20, true};
        for (int i = 0; i < 100; ++i)
            slow.chunks << Server::sse({contentChunk(QStringLiteral("word%1 ").arg(i))}, false);
        slow.keepOpen = true;
        f.server.setResponse("/v1/chat/completions", slow);
        f.session.setModel(QStringLiteral("llama"));
        f.session.send(QStringLiteral("write a lot"));
        const QString id = f.session.conversation().id;
        // The live save runs while the answer grows: wait until the file holds part of it.
        ConversationStore afterCrash(f.store.directory());
        QTRY_VERIFY_WITH_TIMEOUT(afterCrash.load(id) && afterCrash.load(id)->messages.size() == 2 &&
                                     afterCrash.load(id)->messages.at(1).content.contains(QLatin1String("word3 ")),
                                 10000);
        QVERIFY(f.session.isStreaming());
        // What a fresh process reads from disk now (the session is still streaming, as if killed).
        const Conversation reloaded = *afterCrash.load(id);
        QCOMPARE(reloaded.messages.at(1).state, ChatMessage::State::Interrupted);
        QVERIFY(reloaded.messages.at(1).content.startsWith(QLatin1String("word0 word1 word2 word3 ")));
        QVERIFY(f.session.conversation().messages.at(1).content.startsWith(reloaded.messages.at(1).content));
        f.session.stop();
    }

    void regenerate_replacesTheLastAnswer()
    {
        Fixture f(&m_network);
        f.server.setResponse("/v1/chat/completions",
                             {200,
                              "OK",
                              "text/event-stream",
                              {Server::sse({contentChunk(QStringLiteral("A")), finishChunk("stop")})},
                              0,
                              true});
        f.session.setModel(QStringLiteral("llama"));
        QSignalSpy finished(&f.session, &ChatSession::turnFinished);
        QSignalSpy removed(&f.session, &ChatSession::messagesRemoved);
        f.session.send(QStringLiteral("hi"));
        QTRY_COMPARE(finished.count(), 1);
        QVERIFY(f.session.regenerate());
        QTRY_COMPARE(finished.count(), 2);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(f.session.conversation().messages.size(), 2);
        QCOMPARE(f.server.requests().size(), 2);
    }

    void editAndResend_truncatesAndAsksAgain()
    {
        Fixture f(&m_network);
        f.server.setResponse("/v1/chat/completions",
                             {200,
                              "OK",
                              "text/event-stream",
                              {Server::sse({contentChunk(QStringLiteral("A")), finishChunk("stop")})},
                              0,
                              true});
        f.session.setModel(QStringLiteral("llama"));
        QSignalSpy finished(&f.session, &ChatSession::turnFinished);
        f.session.send(QStringLiteral("first"));
        QTRY_COMPARE(finished.count(), 1);
        f.session.send(QStringLiteral("second"));
        QTRY_COMPARE(finished.count(), 2);
        QVERIFY(!f.session.editAndResend(1, QStringLiteral("not a user message")));
        QVERIFY(f.session.editAndResend(0, QStringLiteral("first, edited")));
        QTRY_COMPARE(finished.count(), 3);
        QCOMPARE(f.session.conversation().messages.size(), 2);
        QCOMPARE(f.session.conversation().messages.at(0).content, QStringLiteral("first, edited"));
        const QJsonArray messages = QJsonDocument::fromJson(f.server.requests().last().body)
                                        .object()
                                        .value(QLatin1String("messages"))
                                        .toArray();
        QCOMPARE(messages.size(), 1);
    }

    void httpError_marksTheAnswerFailed()
    {
        Fixture f(&m_network);
        f.server.setResponse("/v1/chat/completions",
                             {401, "Unauthorized", "application/json", {R"({"error":"Unauthorized"})"}, 0, false});
        f.session.setModel(QStringLiteral("llama"));
        QSignalSpy problem(&f.session, &ChatSession::problem);
        f.session.send(QStringLiteral("hi"));
        QTRY_COMPARE(problem.count(), 1);
        QCOMPARE(f.session.conversation().messages.at(1).state, ChatMessage::State::Failed);
        QVERIFY(f.session.conversation().messages.at(1).error.contains(QLatin1String("Unauthorized")));
    }
};

QTEST_GUILESS_MAIN(TestChatSession)
#include "tst_chatsession.moc"
