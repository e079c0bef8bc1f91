// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/vllm/SseFormatter.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace ApoloDeploy::Sandbox;

class TestSseFormatter : public QObject
{
    Q_OBJECT

private:
    const ResponseIdentity m_id{QStringLiteral("chatcmpl-8f1c"), 1739180000, QStringLiteral("deepseek-r1")};

    static Generation r1Generation(bool prefilled)
    {
        Generation generation;
        if (!prefilled)
            generation.tokens << GeneratedToken{QStringLiteral("<think>"), true, true};
        generation.tokens << GeneratedToken{QStringLiteral("\nOkay"), true, false}
                          << GeneratedToken{QStringLiteral("</think>"), true, true}
                          << GeneratedToken{QStringLiteral("\n\n"), false, false}
                          << GeneratedToken{QStringLiteral("9.8 is larger."), false, false};
        generation.finishReason = QStringLiteral("stop");
        return generation;
    }

private Q_SLOTS:
    void chatChunks_matchVllmBytes()
    {
        QCOMPARE(
            SseFormatter::event(SseFormatter::chatRoleChunk(m_id, 0)),
            QByteArray("data: {\"id\":\"chatcmpl-8f1c\",\"object\":\"chat.completion.chunk\",\"created\":1739180000,"
                       "\"model\":\"deepseek-r1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                       "\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n"));
        ShapedDelta reasoning;
        reasoning.reasoning = QStringLiteral("Okay, the user");
        QCOMPARE(SseFormatter::chatDeltaChunk(m_id, 0, reasoning, QStringLiteral("reasoning_content")),
                 QByteArray("{\"id\":\"chatcmpl-8f1c\",\"object\":\"chat.completion.chunk\",\"created\":1739180000,"
                            "\"model\":\"deepseek-r1\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":"
                            "\"Okay, the user\"},\"logprobs\":null,\"finish_reason\":null}]}"));
        QCOMPARE(SseFormatter::chatFinishChunk(m_id, 0, QStringLiteral("stop"), {}),
                 QByteArray("{\"id\":\"chatcmpl-8f1c\",\"object\":\"chat.completion.chunk\",\"created\":1739180000,"
                            "\"model\":\"deepseek-r1\",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,"
                            "\"finish_reason\":\"stop\",\"stop_reason\":null}]}"));
        QCOMPARE(SseFormatter::usageChunk(m_id, "chat.completion.chunk", TokenUsage{14, 398}),
                 QByteArray("{\"id\":\"chatcmpl-8f1c\",\"object\":\"chat.completion.chunk\",\"created\":1739180000,"
                            "\"model\":\"deepseek-r1\",\"choices\":[],\"usage\":{\"prompt_tokens\":14,"
                            "\"total_tokens\":412,\"completion_tokens\":398}}"));
        QCOMPARE(SseFormatter::done(), QByteArray("data: [DONE]\n\n"));
    }

    void strings_areEscapedOnlyWhereJsonRequires()
    {
        QCOMPARE(SseFormatter::jsonString(QStringLiteral("a\"b\\c\nd\te\x01 ünï")),
                 QByteArray("\"a\\\"b\\\\c\\nd\\te\\u0001 ") + QStringLiteral("ünï\"").toUtf8());
        ShapedDelta content;
        content.content = QStringLiteral("```python\nprint(\"hi\")\n```");
        const QJsonDocument parsed =
            QJsonDocument::fromJson(SseFormatter::chatDeltaChunk(m_id, 2, content, QStringLiteral("reasoning")));
        QCOMPARE(parsed["choices"][0]["delta"]["content"].toString(), *content.content);
        QCOMPARE(parsed["choices"][0]["index"].toInt(), 2);
    }

    void completionChunks_carryTextAndStopReason()
    {
        const ResponseIdentity id{QStringLiteral("cmpl-1"), 1, QStringLiteral("m")};
        QCOMPARE(SseFormatter::completionChunk(id, 0, QStringLiteral(" world")),
                 QByteArray("{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"m\","
                            "\"choices\":[{\"index\":0,\"text\":\" world\",\"logprobs\":null,\"finish_reason\":null,"
                            "\"stop_reason\":null}]}"));
        const QJsonDocument last = QJsonDocument::fromJson(
            SseFormatter::completionChunk(id, 0, {}, QStringLiteral("stop"), QStringLiteral("\n\n")));
        QCOMPARE(last["choices"][0]["finish_reason"].toString(), QStringLiteral("stop"));
        QCOMPARE(last["choices"][0]["stop_reason"].toString(), QStringLiteral("\n\n"));
    }

    void errors_haveTheVersionedShapes()
    {
        QCOMPARE(SseFormatter::errorBody(false, QStringLiteral("The model `x` does not exist."),
                                         QStringLiteral("NotFoundError"), 404),
                 QByteArray("{\"object\":\"error\",\"message\":\"The model `x` does not exist.\",\"type\":"
                            "\"NotFoundError\",\"param\":null,\"code\":404}"));
        QCOMPARE(
            SseFormatter::errorBody(true, QStringLiteral("bad"), QStringLiteral("BadRequestError"), 400),
            QByteArray("{\"error\":{\"message\":\"bad\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}}"));
        QCOMPARE(SseFormatter::streamError(false, QStringLiteral("bad"), QStringLiteral("BadRequestError"), 400),
                 QByteArray("{\"error\":{\"object\":\"error\",\"message\":\"bad\",\"type\":\"BadRequestError\","
                            "\"param\":null,\"code\":400}}"));
    }

    void reasoningParser_movesThinkingIntoItsField()
    {
        const ReasoningShaper shaper({ReasoningOutput::ParserField, QStringLiteral("reasoning_content")});
        const Generation generation = r1Generation(true);
        QVERIFY(shaper.streamDelta(generation.tokens.at(1)).isEmpty()); // "</think>" itself
        QCOMPARE(shaper.streamDelta(generation.tokens.at(0)).reasoning.value_or(QString()), QStringLiteral("\nOkay"));
        QCOMPARE(shaper.streamDelta(generation.tokens.at(3)).content.value_or(QString()),
                 QStringLiteral("9.8 is larger."));
        const ShapedMessage message = shaper.message(generation);
        QCOMPARE(message.reasoning.value_or(QString()), QStringLiteral("\nOkay"));
        QCOMPARE(message.content, QStringLiteral("\n\n9.8 is larger."));
        const QJsonDocument body = QJsonDocument::fromJson(
            SseFormatter::chatCompletion(m_id, {FinishedChoice{message, QStringLiteral("stop"), {}}}, TokenUsage{3, 5},
                                         QStringLiteral("reasoning")));
        QCOMPARE(body["choices"][0]["message"]["reasoning"].toString(), QStringLiteral("\nOkay"));
        QCOMPARE(body["usage"]["total_tokens"].toInt(), 8);
        QVERIFY(body["usage"].toObject().contains(QStringLiteral("prompt_tokens_details")));
    }

    void noParser_keepsTagsInline_andTheV072BugDropsTheLoneClosingTag()
    {
        const ReasoningShaper inlineShaper({ReasoningOutput::InlineContent, QStringLiteral("reasoning_content")});
        QCOMPARE(inlineShaper.message(r1Generation(false)).content,
                 QStringLiteral("<think>\nOkay</think>\n\n9.8 is larger."));
        QCOMPARE(inlineShaper.message(r1Generation(true)).content, QStringLiteral("\nOkay</think>\n\n9.8 is larger."));
        QVERIFY(!inlineShaper.message(r1Generation(true)).reasoning);

        const ReasoningShaper buggy({ReasoningOutput::ParserV072TemplateBug, QStringLiteral("reasoning_content")});
        const Generation generation = r1Generation(true);
        QVERIFY(buggy.streamDelta(generation.tokens.at(1)).isEmpty());
        QCOMPARE(buggy.streamDelta(generation.tokens.at(0)).content.value_or(QString()), QStringLiteral("\nOkay"));
        QVERIFY(!buggy.streamDelta(generation.tokens.at(0)).reasoning);
        QVERIFY(buggy.message(generation).content.contains(QLatin1String("</think>")));
        QVERIFY(!buggy.message(generation).reasoning);
    }
};

QTEST_GUILESS_MAIN(TestSseFormatter)
#include "tst_sseformatter.moc"
