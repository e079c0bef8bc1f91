// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/ReasoningSplitter.h"

#include <QTest>

using namespace ApoloDeploy;
using Mode = ReasoningSplitter::StartMode;

namespace {

struct Split
{
    QString reasoning;
    QString content;
    ReasoningSplitter::Outcome outcome;
};

// Feeds content in pieces of `chunkSize` characters; collects the incremental output, which
// must add up to what the splitter reports as a whole.
Split splitContent(const QString &stream, Mode mode, int chunkSize,
                   const QString &finishReason = QStringLiteral("stop"))
{
    ReasoningSplitter splitter(mode);
    Split result;
    qint64 t = 0;
    for (qsizetype i = 0; i < stream.size(); i += chunkSize) {
        const ReasoningSplitter::Pieces pieces = splitter.feed({}, stream.mid(i, chunkSize), t += 10);
        result.reasoning += pieces.reasoning;
        result.content += pieces.content;
    }
    result.outcome = splitter.finish(finishReason, t + 10);
    result.reasoning += result.outcome.flushed.reasoning;
    result.content += result.outcome.flushed.content;
    if (!result.outcome.boundaryMissing) {
        Q_ASSERT(result.reasoning == splitter.reasoning());
        Q_ASSERT(result.content == splitter.content());
    } else {
        result.reasoning = splitter.reasoning();
        result.content = splitter.content();
    }
    return result;
}

} // namespace

class TestReasoningSplitter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void inlineThinkTags_atEveryChunkSize_data()
    {
        QTest::addColumn<QString>("stream");
        QTest::addColumn<int>("mode");
        QTest::addColumn<QString>("reasoning");
        QTest::addColumn<QString>("content");

        QTest::newRow("explicit-open") << QStringLiteral("<think>\nLet me see.\n</think>\n\n**9.8** is larger.")
                                       << int(Mode::Answer) << QStringLiteral("Let me see.\n")
                                       << QStringLiteral("**9.8** is larger.");
        QTest::newRow("explicit-open-r1") << QStringLiteral("<think>\nHmm</think>Answer") << int(Mode::Thinking)
                                          << QStringLiteral("Hmm") << QStringLiteral("Answer");
        QTest::newRow("leading-whitespace") << QStringLiteral("\n\n<think>a</think>b") << int(Mode::Answer)
                                            << QStringLiteral("a") << QStringLiteral("b");
        QTest::newRow("v0.7.2-no-opening-tag")
            << QStringLiteral("Okay, so 9.11 vs 9.8.\n</think>\n\n9.8 is larger.") << int(Mode::Thinking)
            << QStringLiteral("Okay, so 9.11 vs 9.8.\n") << QStringLiteral("9.8 is larger.");
        QTest::newRow("plain-answer") << QStringLiteral("Just an answer with <b> and </think> inside.")
                                      << int(Mode::Answer) << QString()
                                      << QStringLiteral("Just an answer with <b> and </think> inside.");
        QTest::newRow("angle-bracket-start") << QStringLiteral("<thinking is fun>") << int(Mode::Answer) << QString()
                                             << QStringLiteral("<thinking is fun>");
        QTest::newRow("close-tag-lookalike") << QStringLiteral("<think>a </thin b</think>c") << int(Mode::Answer)
                                             << QStringLiteral("a </thin b") << QStringLiteral("c");
        QTest::newRow("second-close-tag-is-content")
            << QStringLiteral("<think>a</think>b</think>c") << int(Mode::Answer) << QStringLiteral("a")
            << QStringLiteral("b</think>c");
        QTest::newRow("multibyte") << QStringLiteral("<think>Думаю 🤔</think>Ответ 🙂")
                                   << int(Mode::Answer) << QStringLiteral("Думаю 🤔")
                                   << QStringLiteral("Ответ 🙂");
    }

    void inlineThinkTags_atEveryChunkSize()
    {
        QFETCH(QString, stream);
        QFETCH(int, mode);
        QFETCH(QString, reasoning);
        QFETCH(QString, content);
        for (int chunkSize = 1; chunkSize <= stream.size(); ++chunkSize) {
            const Split split = splitContent(stream, Mode(mode), chunkSize);
            QCOMPARE(split.reasoning, reasoning);
            QCOMPARE(split.content, content);
            QVERIFY(!split.outcome.boundaryMissing);
        }
    }

    void tagSplitAcrossChunks_isHeldBack()
    {
        ReasoningSplitter splitter(Mode::Answer);
        QVERIFY(splitter.feed({}, QStringLiteral("<th"), 1).isEmpty());
        ReasoningSplitter::Pieces pieces = splitter.feed({}, QStringLiteral("ink>idea</th"), 2);
        QCOMPARE(pieces.reasoning, QStringLiteral("idea"));
        QVERIFY(splitter.isThinking());
        pieces = splitter.feed({}, QStringLiteral("ink>"), 3);
        QVERIFY(pieces.isEmpty());
        QVERIFY(!splitter.isThinking());
        pieces = splitter.feed({}, QStringLiteral("\n\nok"), 4);
        QCOMPARE(pieces.content, QStringLiteral("ok"));
    }

    void reasoningField_isPassedThrough()
    {
        for (const Mode mode : {Mode::Answer, Mode::Thinking}) {
            ReasoningSplitter splitter(mode);
            splitter.feed({}, QString(), 0);                                           // role chunk with content ""
            QVERIFY(splitter.feed(QStringLiteral("\n"), {}, 100).reasoning.isEmpty()); // the newline after <think>
            QCOMPARE(splitter.feed(QStringLiteral("Okay"), {}, 100).reasoning, QStringLiteral("Okay"));
            QCOMPARE(splitter.feed(QStringLiteral(", so"), {}, 200).reasoning, QStringLiteral(", so"));
            ReasoningSplitter::Pieces both = splitter.feed(QStringLiteral("."), QStringLiteral("\n\n9.8"), 1300);
            QCOMPARE(both.reasoning, QStringLiteral("."));
            QCOMPARE(both.content, QStringLiteral("9.8"));
            QCOMPARE(splitter.feed({}, QStringLiteral(" is larger"), 1400).content, QStringLiteral(" is larger"));
            const ReasoningSplitter::Outcome outcome = splitter.finish(QStringLiteral("stop"), 1500);
            QVERIFY(!outcome.boundaryMissing);
            QVERIFY(splitter.serverSplitsReasoning());
            QCOMPARE(splitter.reasoning(), QStringLiteral("Okay, so."));
            QCOMPARE(splitter.content(), QStringLiteral("9.8 is larger"));
            QCOMPARE(splitter.thinkingDurationMs(), 1200);
            QCOMPARE(splitter.firstTokenMs(), 100);
        }
    }

    void thinkingCutByLength_isFlagged()
    {
        const Split split =
            splitContent(QStringLiteral("<think>still going and go"), Mode::Answer, 3, QStringLiteral("length"));
        QVERIFY(split.outcome.thinkingTruncated);
        QCOMPARE(split.reasoning, QStringLiteral("still going and go"));
        QVERIFY(split.content.isEmpty());
    }

    void implicitThinkingCutByLength_isFlagged()
    {
        const Split split =
            splitContent(QStringLiteral("step one, step </thi"), Mode::Thinking, 4, QStringLiteral("length"));
        QVERIFY(split.outcome.thinkingTruncated);
        QCOMPARE(split.reasoning, QStringLiteral("step one, step </thi"));
    }

    void droppedCloseTag_movesEverythingToTheAnswer()
    {
        // vLLM 0.7.2 with the reasoning parser and the new template drops a lone "</think>".
        const Split split = splitContent(QStringLiteral("I think 9.8.9.8 is larger."), Mode::Thinking, 5);
        QVERIFY(split.outcome.boundaryMissing);
        QVERIFY(split.reasoning.isEmpty());
        QCOMPARE(split.content, QStringLiteral("I think 9.8.9.8 is larger."));
    }

    void stoppedWhileThinking_staysThinking()
    {
        const Split split = splitContent(QStringLiteral("partial thought"), Mode::Thinking, 4, QString());
        QVERIFY(!split.outcome.boundaryMissing);
        QVERIFY(!split.outcome.thinkingTruncated);
        QCOMPARE(split.reasoning, QStringLiteral("partial thought"));
    }

    void thinkingDuration_fromFirstReasoningToFirstContent()
    {
        ReasoningSplitter splitter(Mode::Thinking);
        splitter.feed({}, QStringLiteral("a"), 500);
        splitter.feed({}, QStringLiteral("b</think>"), 2500);
        QCOMPARE(splitter.thinkingDurationMs(), -1); // no answer yet
        splitter.feed({}, QStringLiteral("c"), 3500);
        QCOMPARE(splitter.thinkingDurationMs(), 3000);
        QCOMPARE(splitter.firstTokenMs(), 500);
    }

    void modelFamilies_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("reasoning");
        QTest::newRow("awq") << QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ") << true;
        QTest::newRow("served") << QStringLiteral("deepseek-r1") << true;
        QTest::newRow("distill") << QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B") << true;
        QTest::newRow("qwq") << QStringLiteral("Qwen/QwQ-32B") << true;
        QTest::newRow("v3") << QStringLiteral("deepseek-ai/DeepSeek-V3") << false;
        QTest::newRow("llama") << QStringLiteral("meta-llama/Llama-3.1-8B-Instruct") << false;
    }

    void modelFamilies()
    {
        QFETCH(QString, name);
        QFETCH(bool, reasoning);
        QCOMPARE(ReasoningSplitter::isReasoningModel(name), reasoning);
    }
};

QTEST_GUILESS_MAIN(TestReasoningSplitter)
#include "tst_reasoningsplitter.moc"
