// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/chat/MarkdownStreamRenderer.h"

#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextList>

#include <memory>

using namespace ApoloDeploy;

namespace {

using QTextDocumentPtr = std::unique_ptr<QTextDocument>;

const QString answer = QStringLiteral("## Result\n\n"
                                      "**9.8** is larger than *9.11* because 0.80 > 0.11.\n\n"
                                      "- first point\n- second point\n\n"
                                      "```python\nprint(9.8 > 9.11)\nx = [i for i in range(3)]\n```\n\n"
                                      "A closing paragraph with `inline code` and <b>not html</b>.\n");

// Text and what the reader sees of each block: list membership, heading level, paragraph
// spacing, code fence. Pasted fragments lose block formats easily, so plain text is not enough.
QString structureOf(const QTextDocument &document)
{
    QStringList blocks;
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        const QTextBlockFormat format = block.blockFormat();
        blocks << QStringLiteral("%1|list=%2|h=%3|margins=%4,%5|fence=%6|indent=%7")
                      .arg(block.text())
                      .arg(block.textList() ? block.textList()->itemText(block) : QStringLiteral("-"))
                      .arg(format.headingLevel())
                      .arg(format.topMargin())
                      .arg(format.bottomMargin())
                      .arg(format.hasProperty(QTextFormat::BlockCodeFence) ? 1 : 0)
                      .arg(format.indent());
    }
    return blocks.join(QLatin1Char('\n'));
}

QString renderedIncrementally(const QString &markdown, int chunk)
{
    QTextDocument document;
    MarkdownStreamRenderer renderer(&document);
    for (qsizetype i = 0; i < markdown.size(); i += chunk) {
        renderer.append(markdown.mid(i, chunk));
        renderer.render();
    }
    renderer.render();
    return document.toPlainText().trimmed();
}

QTextDocumentPtr fullRender(const QString &markdown)
{
    auto document = std::make_unique<QTextDocument>();
    document->setMarkdown(markdown, QTextDocument::MarkdownFeatures(QTextDocument::MarkdownDialectGitHub |
                                                                    QTextDocument::MarkdownNoHTML));
    return document;
}

QString renderedAtOnce(const QString &markdown)
{
    return fullRender(markdown)->toPlainText().trimmed();
}

} // namespace

class TestMarkdownStreamRenderer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void incremental_matchesAFullRender_data()
    {
        QTest::addColumn<int>("chunk");
        for (int chunk : {1, 2, 5, 13, 64, 1000})
            QTest::addRow("chunks-of-%d", chunk) << chunk;
    }

    void incremental_matchesAFullRender()
    {
        QFETCH(int, chunk);
        QCOMPARE(renderedIncrementally(answer, chunk), renderedAtOnce(answer));
    }

    void incremental_keepsTheBlockFormatsOfAFullRender_data()
    {
        QTest::addColumn<QString>("markdown");
        QTest::addColumn<int>("chunk");
        // R1 likes loose lists: items apart, each with an indented paragraph.
        const QString looseList = QStringLiteral(
            "Steps:\n\n1. **Start Ray**\n\n   Run the head first.\n\n2. **Start vLLM**\n\n   Then the server:\n\n"
            "   ```bash\n   vllm serve x\n   ```\n\n3. Done.\n\n- a\n\n- b\n\nEnd.\n");
        for (int chunk : {1, 2, 5, 13, 64, 1000}) {
            QTest::addRow("answer-chunks-of-%d", chunk) << answer << chunk;
            QTest::addRow("loose-list-chunks-of-%d", chunk) << looseList << chunk;
        }
    }

    void incremental_keepsTheBlockFormatsOfAFullRender()
    {
        QFETCH(QString, markdown);
        QFETCH(int, chunk);
        QTextDocument document;
        MarkdownStreamRenderer renderer(&document);
        for (qsizetype i = 0; i < markdown.size(); i += chunk) {
            renderer.append(markdown.mid(i, chunk));
            renderer.render();
        }
        QCOMPARE(structureOf(document), structureOf(*fullRender(markdown)));
    }

    void listBoundary_waitsForTheNextLine()
    {
        const QString list = QStringLiteral("Intro.\n\n1. one\n\n");
        QCOMPARE(MarkdownStreamRenderer::finishedPrefixLength(list, 0), QStringLiteral("Intro.\n\n").size());
        QCOMPARE(MarkdownStreamRenderer::finishedPrefixLength(list + QStringLiteral("2. two\n"), 0),
                 QStringLiteral("Intro.\n\n").size()); // the list goes on
        QCOMPARE(MarkdownStreamRenderer::finishedPrefixLength(list + QStringLiteral("   more of one\n"), 0),
                 QStringLiteral("Intro.\n\n").size()); // so does an indented paragraph
        QCOMPARE(MarkdownStreamRenderer::finishedPrefixLength(list + QStringLiteral("After the list.\n"), 0),
                 list.size()); // a paragraph at the margin ends it
    }

    void html_isNeverInterpreted()
    {
        QVERIFY(renderedIncrementally(answer, 7).contains(QLatin1String("<b>not html</b>")));
    }

    void finishedBlocks_areFrozen()
    {
        QTextDocument document;
        MarkdownStreamRenderer renderer(&document);
        renderer.append(QStringLiteral("First paragraph.\n\nSecond, still open"));
        renderer.render();
        QCOMPARE(renderer.frozenLength(), QStringLiteral("First paragraph.\n\n").size());
        renderer.append(QStringLiteral(" and growing"));
        QVERIFY(renderer.render());
        QCOMPARE(renderer.frozenLength(), QStringLiteral("First paragraph.\n\n").size());
        QVERIFY(!renderer.render()); // nothing new: no work
        QCOMPARE(document.toPlainText(), QStringLiteral("First paragraph.\nSecond, still open and growing"));
    }

    void openFence_staysPlainUntilClosed()
    {
        QTextDocument document;
        MarkdownStreamRenderer renderer(&document);
        renderer.append(QStringLiteral("Code:\n\n```cpp\nint main() {\n\n  return 0;"));
        renderer.render();
        QCOMPARE(renderer.frozenLength(),
                 QStringLiteral("Code:\n\n").size()); // the blank line in the fence does not cut
        QVERIFY(document.toPlainText().contains(QLatin1String("int main() {")));
        QVERIFY(!document.toPlainText().contains(QLatin1String("```")));
        const QTextBlock codeLine = document.findBlock(int(document.toPlainText().indexOf(QLatin1String("int main"))));
        QVERIFY(codeLine.charFormat().fontFixedPitch() ||
                codeLine.begin().fragment().charFormat().font().fixedPitch() ||
                codeLine.blockFormat().nonBreakableLines());
        renderer.append(QStringLiteral("\n}\n```\n"));
        renderer.render();
        QCOMPARE(renderer.frozenLength(), renderer.source().size());
        QCOMPARE(document.toPlainText().trimmed(), renderedAtOnce(renderer.source()));
    }

    void fenceDetection()
    {
        QVERIFY(MarkdownStreamRenderer::endsInsideFence(u"text\n```\ncode"));
        QVERIFY(MarkdownStreamRenderer::endsInsideFence(u"```\ncode\n```")); // closing line not complete yet
        QVERIFY(!MarkdownStreamRenderer::endsInsideFence(u"```\ncode\n```\n"));
        QVERIFY(MarkdownStreamRenderer::endsInsideFence(u"~~~\n```\n")); // a different marker does not close
        QVERIFY(!MarkdownStreamRenderer::endsInsideFence(u"    ```\n")); // 4 spaces: indented code, not a fence
    }

    void codeBlocks_areFoundForCopying()
    {
        const auto blocks =
            MarkdownStreamRenderer::codeBlocks(u"Text\n```python title\nprint(1)\n\nprint(2)\n```\n1. item\n\n   ~~~\n "
                                               u"  indented\n     more\n   ~~~\n```\nopen");
        QCOMPARE(blocks.size(), 3);
        QCOMPARE(blocks.at(0).language, QStringLiteral("python"));
        QCOMPARE(blocks.at(0).code, QStringLiteral("print(1)\n\nprint(2)"));
        QCOMPARE(blocks.at(1).language, QString());
        QCOMPARE(blocks.at(1).code, QStringLiteral("indented\n  more")); // the fence's indentation removed
        QCOMPARE(blocks.at(2).code, QStringLiteral("open"));             // still streaming
        QVERIFY(MarkdownStreamRenderer::codeBlocks(u"no code `inline` here").isEmpty());
    }

    void setText_replacesEverything()
    {
        QTextDocument document;
        MarkdownStreamRenderer renderer(&document);
        renderer.append(QStringLiteral("old text\n\nmore"));
        renderer.render();
        renderer.setText(QStringLiteral("new"));
        QCOMPARE(document.toPlainText(), QStringLiteral("new"));
        QCOMPARE(renderer.source(), QStringLiteral("new"));
    }
};

QTEST_MAIN(TestMarkdownStreamRenderer)
#include "tst_markdownstreamrenderer.moc"
