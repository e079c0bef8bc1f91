// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/vllm/ChatResponder.h"
#include "sandbox/vllm/ChatTemplate.h"
#include "sandbox/vllm/ModelFacts.h"

#include <QTest>

using namespace ApoloDeploy::Sandbox;

class TestChatResponder : public QObject
{
    Q_OBJECT

private:
    VllmTokenizer m_tokenizer;

    ResponderPrompt prompt(bool reasoning, bool prefilled, int maxTokens = 0) const
    {
        ResponderPrompt p;
        p.lastUserMessage = QStringLiteral("Which is larger, 9.11 or 9.8?");
        p.servedModel = QStringLiteral("deepseek-r1");
        p.reasoningModel = reasoning;
        p.templatePrefillsThink = prefilled;
        p.seed = ChatResponder::seedFor(QStringLiteral("job-1"), p.lastUserMessage);
        p.maxTokens = maxTokens;
        return p;
    }

private Q_SLOTS:
    void answer_saysItIsSandboxOutput_andHasProseListAndCode()
    {
        const ChatResponder responder(m_tokenizer);
        const Generation generation = responder.chat(prompt(false, false));
        const QString text = generation.rawText();
        QVERIFY(text.contains(QLatin1String("apolo-sandbox")));
        QVERIFY(text.contains(QLatin1String("\n1. ")));
        QVERIFY(text.contains(QLatin1String("\n3. ")));
        QVERIFY(text.contains(QLatin1String("```python\n")));
        QVERIFY(text.contains(QLatin1String("Which is larger, 9.11 or 9.8?")));
        QCOMPARE(generation.finishReason, QStringLiteral("stop"));
        QVERIFY(!text.contains(QLatin1String("<think>")));
        QVERIFY(generation.tokens.size() > 100);
        QCOMPARE(responder.chat(prompt(false, false)).rawText(), text); // deterministic
    }

    void reasoningModel_thinksFirst_withOrWithoutTheOpeningTag()
    {
        const ChatResponder responder(m_tokenizer);
        const Generation plain = responder.chat(prompt(true, false));
        QVERIFY(plain.rawText().startsWith(QLatin1String("<think>\n")));
        QVERIFY(plain.tokens.first().thinkTag);
        const Generation prefilled = responder.chat(prompt(true, true));
        QVERIFY(!prefilled.rawText().contains(QLatin1String("<think>")));
        QCOMPARE(prefilled.rawText().count(QLatin1String("</think>")), 1);
        const qsizetype close = prefilled.rawText().indexOf(QLatin1String("</think>"));
        QVERIFY(prefilled.rawText().indexOf(QLatin1String("apolo-sandbox")) < close); // the thinking says it too
        for (const GeneratedToken &token : prefilled.tokens) {
            if (token.text == QLatin1String("</think>"))
                QVERIFY(token.thinkTag && token.reasoning);
        }
    }

    void maxTokens_truncatesWithFinishReasonLength()
    {
        const ChatResponder responder(m_tokenizer);
        const Generation generation = responder.chat(prompt(true, true, 20));
        QCOMPARE(generation.tokens.size(), 20);
        QCOMPARE(generation.finishReason, QStringLiteral("length"));
        ResponderPrompt endless = prompt(false, false, 1500);
        endless.ignoreEos = true;
        QCOMPARE(responder.chat(endless).tokens.size(), 1500);
    }

    void stopString_endsTheAnswerBeforeIt()
    {
        const ChatResponder responder(m_tokenizer);
        ResponderPrompt p = prompt(false, false);
        p.stop = {QStringLiteral("```")};
        const Generation generation = responder.chat(p);
        QCOMPARE(generation.finishReason, QStringLiteral("stop"));
        QCOMPARE(generation.stopReason, QStringLiteral("```"));
        QVERIFY(!generation.rawText().contains(QLatin1String("```")));
        QVERIFY(generation.rawText().endsWith(QLatin1String("\n\n")));
    }

    void tokenizer_countsLikeABpe()
    {
        const QString english = QStringLiteral("San Francisco is a city that is known for its iconic landmarks.");
        const int count = m_tokenizer.count(english);
        QVERIFY2(count >= english.size() / 6 && count <= english.size() / 3, qPrintable(QString::number(count)));
        QCOMPARE(m_tokenizer.pieces(QStringLiteral("<think>\nhi</think>")),
                 (QStringList{QStringLiteral("<think>"), QStringLiteral("\n"), QStringLiteral("hi"),
                              QStringLiteral("</think>")}));
        QCOMPARE(m_tokenizer.pieces(english).join(QString()), english);
        QCOMPARE(m_tokenizer.ids(english), m_tokenizer.ids(english));
    }

    void chatTemplates_renderPerFamily()
    {
        const QList<ChatTurn> turns{{QStringLiteral("user"), QStringLiteral("hi")}};
        const ModelFacts r1 = *ModelFacts::lookup(QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ"));
        QCOMPARE(renderChatPrompt(r1, turns, true),
                 QStringLiteral("<｜begin▁of▁sentence｜><｜User｜>hi<｜Assistant｜><think>\n"));
        const ModelFacts llama = *ModelFacts::lookup(QStringLiteral("meta-llama/Llama-3.1-8B-Instruct"));
        QVERIFY(renderChatPrompt(llama, turns, false)
                    .endsWith(QLatin1String("<|start_header_id|>assistant<|end_header_id|>\n\n")));
        QVERIFY(ModelFacts::lookup(QStringLiteral("/models/Some-Unknown-13B-Chat"))->estimated);
        QVERIFY(!ModelFacts::lookup(QStringLiteral("nobody/no-size-here")));
    }
};

QTEST_GUILESS_MAIN(TestChatResponder)
#include "tst_chatresponder.moc"
