// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/chat/MarkdownStreamRenderer.h"

#include <QFontDatabase>
#include <QGuiApplication>
#include <QPalette>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextDocumentFragment>
#include <QTextList>

namespace ApoloDeploy {

namespace {

constexpr auto markdownFeatures =
    QTextDocument::MarkdownFeatures(QTextDocument::MarkdownDialectGitHub | QTextDocument::MarkdownNoHTML);

// "```", "~~~" (3 or more), indented by at most 3 spaces: a fence line.
bool isFenceLine(QStringView line, QChar *marker)
{
    qsizetype i = 0;
    while (i < line.size() && i < 3 && line[i] == QLatin1Char(' '))
        ++i;
    line = line.sliced(i);
    if (line.size() < 3)
        return false;
    const QChar c = line[0];
    if ((c != QLatin1Char('`') && c != QLatin1Char('~')) || line[1] != c || line[2] != c)
        return false;
    *marker = c;
    return true;
}

// A list marker ("- ", "* ", "+ ", "12. ", "3) ") after at most 3 spaces.
constexpr qsizetype maxListMarkerLength = 3 + 9 + 2;

bool isListItemLine(QStringView line)
{
    qsizetype i = 0;
    while (i < line.size() && i < 3 && line[i] == QLatin1Char(' '))
        ++i;
    const auto followedBySpace = [&line](qsizetype at) {
        return at == line.size() || line[at] == QLatin1Char(' ') || line[at] == QLatin1Char('\t');
    };
    if (i < line.size() && (line[i] == QLatin1Char('-') || line[i] == QLatin1Char('*') || line[i] == QLatin1Char('+')))
        return followedBySpace(i + 1);
    const qsizetype digitsStart = i;
    while (i < line.size() && line[i].isDigit() && i - digitsStart < 9)
        ++i;
    if (i == digitsStart || i >= line.size() || (line[i] != QLatin1Char('.') && line[i] != QLatin1Char(')')))
        return false;
    return followedBySpace(i + 1);
}

bool isIndented(QStringView line)
{
    return !line.isEmpty() && (line[0] == QLatin1Char(' ') || line[0] == QLatin1Char('\t'));
}

} // namespace

MarkdownStreamRenderer::MarkdownStreamRenderer(QTextDocument *document)
    : m_document(document)
{}

bool MarkdownStreamRenderer::endsInsideFence(QStringView text, qsizetype *fenceStart)
{
    bool inside = false;
    QChar openMarker;
    qsizetype lineStart = 0;
    while (lineStart <= text.size()) {
        qsizetype lineEnd = text.indexOf(QLatin1Char('\n'), lineStart);
        if (lineEnd < 0)
            lineEnd = text.size();
        QChar marker;
        if (isFenceLine(text.sliced(lineStart, lineEnd - lineStart), &marker)) {
            if (!inside) {
                inside = true;
                openMarker = marker;
                if (fenceStart)
                    *fenceStart = lineStart;
            } else if (marker == openMarker && lineEnd < text.size()) {
                inside = false; // a closing fence counts once its line is complete
            }
        }
        if (lineEnd >= text.size())
            break;
        lineStart = lineEnd + 1;
    }
    return inside;
}

qsizetype MarkdownStreamRenderer::finishedPrefixLength(const QString &text, qsizetype from)
{
    qsizetype finished = from;
    qsizetype pendingCut = -1; // a block boundary inside a list, waiting for the next line
    bool insideFence = false;
    bool inList = false;
    QChar openMarker;
    const auto boundaryAt = [&](qsizetype position) {
        if (inList)
            pendingCut = position;
        else
            finished = position;
    };
    for (qsizetype lineStart = from; lineStart < text.size();) {
        qsizetype lineEnd = text.indexOf(QLatin1Char('\n'), lineStart);
        const bool complete = lineEnd >= 0;
        if (!complete)
            lineEnd = text.size();
        const QStringView line = QStringView(text).sliced(lineStart, lineEnd - lineStart);
        QChar marker;
        if (insideFence) {
            if (complete && isFenceLine(line, &marker) && marker == openMarker) {
                insideFence = false; // a closing fence counts once its line is complete
                boundaryAt(lineEnd + 1);
            }
        } else if (line.trimmed().isEmpty()) {
            if (complete)
                boundaryAt(lineEnd + 1); // a blank line ends a paragraph; a run of them is cut after the last
        } else {
            if (pendingCut >= 0) {
                if (!complete && line.size() < maxListMarkerLength)
                    break; // too short to tell whether the list goes on
                if (!isIndented(line) && !isListItemLine(line)) {
                    finished = pendingCut;
                    inList = false;
                }
                pendingCut = -1;
            }
            if (isListItemLine(line))
                inList = true;
            if (isFenceLine(line, &marker)) {
                insideFence = true;
                openMarker = marker;
            }
        }
        if (!complete)
            break;
        lineStart = lineEnd + 1;
    }
    return finished;
}

QList<MarkdownStreamRenderer::CodeBlock> MarkdownStreamRenderer::codeBlocks(QStringView markdown)
{
    QList<CodeBlock> blocks;
    bool inside = false;
    QChar openMarker;
    qsizetype indent = 0; // the opening fence's indentation is removed from its lines
    QStringList lines;
    for (QStringView line : markdown.split(QLatin1Char('\n'))) {
        QChar marker;
        if (!inside && isFenceLine(line, &marker)) {
            inside = true;
            openMarker = marker;
            indent = 0;
            while (indent < line.size() && line[indent] == QLatin1Char(' '))
                ++indent;
            const QStringView info = line.sliced(indent).trimmed();
            qsizetype infoStart = 0;
            while (infoStart < info.size() && info[infoStart] == marker)
                ++infoStart;
            const QString words = info.sliced(infoStart).trimmed().toString();
            blocks.append({words.section(QLatin1Char(' '), 0, 0), {}});
            lines.clear();
        } else if (inside && isFenceLine(line, &marker) && marker == openMarker) {
            inside = false;
            blocks.last().code = lines.join(QLatin1Char('\n'));
        } else if (inside) {
            qsizetype strip = 0;
            while (strip < indent && strip < line.size() && line[strip] == QLatin1Char(' '))
                ++strip;
            lines << line.sliced(strip).toString();
        }
    }
    if (inside)
        blocks.last().code = lines.join(QLatin1Char('\n'));
    return blocks;
}

void MarkdownStreamRenderer::append(const QString &markdown)
{
    if (markdown.isEmpty())
        return;
    m_source += markdown;
    m_dirty = true;
}

void MarkdownStreamRenderer::clear()
{
    m_source.clear();
    m_frozenLength = 0;
    m_tailPosition = 0;
    m_dirty = false;
    m_document->clear();
}

void MarkdownStreamRenderer::setText(const QString &markdown)
{
    clear();
    m_source = markdown;
    m_dirty = true;
    render();
}

void MarkdownStreamRenderer::startFreshBlock()
{
    QTextCursor cursor(m_document);
    cursor.movePosition(QTextCursor::End);
    if (!cursor.block().text().isEmpty() || cursor.currentList() || cursor.currentTable())
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat());
    m_tailPosition = cursor.position();
}

void MarkdownStreamRenderer::removeTail()
{
    QTextCursor cursor(m_document);
    cursor.setPosition(m_tailPosition);
    cursor.movePosition(QTextCursor::End, QTextCursor::KeepAnchor);
    cursor.removeSelectedText();
    // The block the tail started in may have become a heading, a list item or a code line.
    if (QTextList *list = cursor.currentList())
        list->remove(cursor.block());
    cursor.setBlockFormat(QTextBlockFormat());
    cursor.setBlockCharFormat(QTextCharFormat());
    cursor.setCharFormat(QTextCharFormat());
}

void MarkdownStreamRenderer::insertMarkdown(const QString &markdown)
{
    if (markdown.isEmpty())
        return;
    // Parsed on its own, then pasted: the same parser as setMarkdown(), over this segment only.
    QTextDocument scratch;
    scratch.setMarkdown(markdown, markdownFeatures);
    const QTextBlock firstBlock = scratch.begin();
    QTextCursor all(&scratch);
    all.select(QTextCursor::Document);

    QTextCursor cursor(m_document);
    cursor.movePosition(QTextCursor::End);
    const int start = cursor.position();
    cursor.insertFragment(all.selection());

    // A pasted fragment merges its first block into the (empty) block at the cursor and takes
    // that block's plain format, losing paragraph spacing, a heading level or a code fence; a
    // fragment that starts with a list keeps its own blocks and leaves the empty one behind.
    QTextCursor first(m_document);
    first.setPosition(start);
    if (first.block().text().isEmpty() && !firstBlock.text().isEmpty() && first.block().next().isValid()) {
        first.movePosition(QTextCursor::NextCharacter, QTextCursor::KeepAnchor);
        first.removeSelectedText();
    } else if (!first.currentList()) {
        first.setBlockFormat(firstBlock.blockFormat());
    }
    shadeCodeBlocks(start);
}

// Qt's Markdown import sets code blocks in monospace but on the page colour; a shaded
// background shows where a block starts and ends (and what "Copy code block" copies).
void MarkdownStreamRenderer::shadeCodeBlocks(int from)
{
    for (QTextBlock block = m_document->findBlock(from); block.isValid(); block = block.next()) {
        if (!block.blockFormat().hasProperty(QTextFormat::BlockCodeFence))
            continue;
        QTextCursor cursor(block);
        QTextBlockFormat format = block.blockFormat();
        format.setBackground(codeBackground());
        cursor.setBlockFormat(format);
    }
}

QBrush MarkdownStreamRenderer::codeBackground()
{
    return QGuiApplication::palette().brush(QPalette::Window);
}

void MarkdownStreamRenderer::insertOpenFence(const QString &code)
{
    QTextCursor cursor(m_document);
    cursor.movePosition(QTextCursor::End);
    if (!cursor.block().text().isEmpty())
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat());
    QTextCharFormat mono;
    mono.setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    QTextBlockFormat codeBlock;
    codeBlock.setNonBreakableLines(true);
    codeBlock.setProperty(QTextFormat::BlockCodeFence, QString(QLatin1Char('`')));
    codeBlock.setBackground(codeBackground());
    cursor.setBlockFormat(codeBlock);
    cursor.insertText(code, mono);
}

bool MarkdownStreamRenderer::render()
{
    if (!m_dirty)
        return false;
    m_dirty = false;
    const bool wasUndo = m_document->isUndoRedoEnabled();
    m_document->setUndoRedoEnabled(false); // undo history would grow with every render

    const qsizetype finished = finishedPrefixLength(m_source, m_frozenLength);
    if (finished > m_frozenLength) {
        removeTail();
        insertMarkdown(m_source.mid(m_frozenLength, finished - m_frozenLength));
        m_frozenLength = finished;
        startFreshBlock();
    } else {
        removeTail();
    }

    const QString tail = m_source.mid(m_frozenLength);
    qsizetype fenceStart = 0;
    if (endsInsideFence(tail, &fenceStart)) {
        insertMarkdown(tail.left(fenceStart));
        const qsizetype codeStart = tail.indexOf(QLatin1Char('\n'), fenceStart);
        insertOpenFence(codeStart < 0 ? QString() : tail.mid(codeStart + 1));
    } else {
        insertMarkdown(tail);
    }
    m_document->setUndoRedoEnabled(wasUndo);
    return true;
}

} // namespace ApoloDeploy
