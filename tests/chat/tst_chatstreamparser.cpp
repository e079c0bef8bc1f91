// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/ChatStreamParser.h"

#include <QJsonDocument>
#include <QTest>

using namespace ApoloDeploy;

namespace {

ChatChunk parse(const char *data, const char *type = "message")
{
    SseEvent event;
    event.data = QString::fromUtf8(data);
    event.type = QString::fromLatin1(type);
    return ChatStreamParser::parseEvent(event);
}

} // namespace

class TestChatStreamParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roleChunk_hasRoleAndEmptyContent()
    {
        const ChatChunk chunk = parse(
            R"({"id":"chatcmpl-1","object":"chat.completion.chunk","model":"deepseek-r1","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]})");
        QCOMPARE(chunk.kind, ChatChunk::Kind::Delta);
        QCOMPARE(chunk.role, QStringLiteral("assistant"));
        QVERIFY(chunk.content.isEmpty());
        QCOMPARE(chunk.model, QStringLiteral("deepseek-r1"));
        QVERIFY(chunk.finishReason.isEmpty());
        QVERIFY(!chunk.usage);
    }

    void reasoningContent_isReasoning()
    {
        const ChatChunk chunk = parse(R"({"choices":[{"index":0,"delta":{"reasoning_content":"Okay, the user"}}]})");
        QCOMPARE(chunk.reasoning, QStringLiteral("Okay, the user"));
        QVERIFY(chunk.content.isEmpty());
    }

    void reasoningField_isReasoning()
    {
        const ChatChunk chunk = parse(R"({"choices":[{"index":0,"delta":{"reasoning":"Hmm"}}]})");
        QCOMPARE(chunk.reasoning, QStringLiteral("Hmm"));
    }

    void reasoningAndAlias_areNotCountedTwice()
    {
        const ChatChunk chunk =
            parse(R"({"choices":[{"index":0,"delta":{"reasoning":"Hmm","reasoning_content":"Hmm"}}]})");
        QCOMPARE(chunk.reasoning, QStringLiteral("Hmm"));
    }

    void chunkWithBothFields_keepsBoth()
    {
        const ChatChunk chunk =
            parse(R"({"choices":[{"index":0,"delta":{"reasoning_content":"done.","content":"9.8"}}]})");
        QCOMPARE(chunk.reasoning, QStringLiteral("done."));
        QCOMPARE(chunk.content, QStringLiteral("9.8"));
    }

    void nullFields_areEmpty()
    {
        const ChatChunk chunk = parse(
            R"({"choices":[{"index":0,"delta":{"content":null,"reasoning_content":null},"finish_reason":null}],"usage":null})");
        QCOMPARE(chunk.kind, ChatChunk::Kind::Delta);
        QVERIFY(chunk.content.isEmpty());
        QVERIFY(chunk.reasoning.isEmpty());
        QVERIFY(!chunk.usage);
    }

    void finalChunk_hasFinishAndStopReason()
    {
        const ChatChunk chunk = parse(
            R"({"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop","stop_reason":151643}]})");
        QCOMPARE(chunk.finishReason, QStringLiteral("stop"));
        QCOMPARE(chunk.stopReason, QStringLiteral("151643"));
    }

    void usageChunk_hasEmptyChoices()
    {
        const ChatChunk chunk =
            parse(R"({"id":"x","choices":[],"usage":{"prompt_tokens":14,"total_tokens":412,"completion_tokens":398}})");
        QCOMPARE(chunk.kind, ChatChunk::Kind::Delta);
        QVERIFY(chunk.usage);
        QCOMPARE(chunk.usage->promptTokens, 14);
        QCOMPARE(chunk.usage->completionTokens, 398);
        QCOMPARE(chunk.usage->totalTokens, 412);
        QCOMPARE(chunk.usage->reasoningTokens, -1);
    }

    void usageReasoningDetails_areRead()
    {
        const ChatChunk chunk = parse(
            R"({"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":9,"total_tokens":10,"completion_tokens_details":{"reasoning_tokens":5}}})");
        QCOMPARE(chunk.usage->reasoningTokens, 5);
    }

    void completionChunk_usesText()
    {
        const ChatChunk chunk = parse(
            R"({"id":"cmpl-1","object":"text_completion","choices":[{"index":0,"text":" world","logprobs":null,"finish_reason":null,"stop_reason":null}]})");
        QCOMPARE(chunk.content, QStringLiteral(" world"));
    }

    void otherChoiceIndex_isIgnored()
    {
        QCOMPARE(parse(R"({"choices":[{"index":1,"delta":{"content":"x"}}]})").kind, ChatChunk::Kind::Ignored);
    }

    void contentParts_areJoined()
    {
        const ChatChunk chunk = parse(
            R"({"choices":[{"index":0,"delta":{"content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}}]})");
        QCOMPARE(chunk.content, QStringLiteral("ab"));
    }

    void done_isDone()
    {
        QCOMPARE(parse("[DONE]").kind, ChatChunk::Kind::Done);
        QCOMPARE(parse(" [DONE] ").kind, ChatChunk::Kind::Done);
    }

    void midStreamErrors_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QString>("message");
        QTest::newRow("vllm-0.7")
            << QByteArray(
                   R"({"error": {"object":"error","message":"Engine loop is not running.","type":"InternalServerError","param":null,"code":500}})")
            << QStringLiteral("Engine loop is not running.");
        QTest::newRow("vllm-0.10")
            << QByteArray(R"({"error": {"message":"bad","type":"BadRequestError","param":null,"code":400}})")
            << QStringLiteral("bad");
        QTest::newRow("flat-string") << QByteArray(R"({"error":"Unauthorized"})") << QStringLiteral("Unauthorized");
        QTest::newRow("flat-object") << QByteArray(R"({"object":"error","message":"m","code":400})")
                                     << QStringLiteral("m");
    }

    void midStreamErrors()
    {
        QFETCH(QByteArray, data);
        QFETCH(QString, message);
        const ChatChunk chunk = parse(data.constData());
        QCOMPARE(chunk.kind, ChatChunk::Kind::Error);
        QCOMPARE(chunk.error.message, message);
        QCOMPARE(chunk.error.httpStatus, 0);
    }

    void errorEventType_isAnErrorEvenWithoutJson()
    {
        const ChatChunk chunk = parse("upstream timed out", "error");
        QCOMPARE(chunk.kind, ChatChunk::Kind::Error);
        QCOMPARE(chunk.error.message, QStringLiteral("upstream timed out"));
    }

    void nonJson_isMalformed()
    {
        const ChatChunk chunk = parse("{not json");
        QCOMPARE(chunk.kind, ChatChunk::Kind::Malformed);
        QCOMPARE(chunk.malformedText, QStringLiteral("{not json"));
    }

    void otherEventTypes_areIgnored() { QCOMPARE(parse("{}", "ping").kind, ChatChunk::Kind::Ignored); }

    void nonStreamedResponse_readsMessage()
    {
        const QJsonObject body =
            QJsonDocument::fromJson(
                R"({"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","reasoning_content":"think","content":"answer"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}})")
                .object();
        const ChatChunk chunk = ChatStreamParser::parseObject(body);
        QCOMPARE(chunk.reasoning, QStringLiteral("think"));
        QCOMPARE(chunk.content, QStringLiteral("answer"));
        QCOMPARE(chunk.finishReason, QStringLiteral("stop"));
        QCOMPARE(chunk.usage->totalTokens, 5);
    }

    void llamaCppTimings_areRead()
    {
        const ChatChunk chunk =
            parse(R"({"choices":[{"index":0,"delta":{"content":"x"}}],"timings":{"predicted_per_second":42.5}})");
        QCOMPARE(chunk.serverTokensPerSecond, 42.5);
    }
};

QTEST_GUILESS_MAIN(TestChatStreamParser)
#include "tst_chatstreamparser.moc"
