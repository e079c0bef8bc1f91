// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QBrush>
#include <QList>
#include <QString>

class QTextDocument;

namespace ApoloDeploy {

// Renders a growing Markdown answer into a QTextDocument without re-parsing what is finished
// (qt-anchors §2.3/§2.4): text up to the last blank line outside a code fence (or a closed
// fence) is converted once and frozen; only the open tail is deleted and re-inserted on each
// render(). An open code fence stays plain monospace text until its closing fence arrives.
// HTML in model output is never interpreted (MarkdownNoHTML).
//
// Cost per render() is proportional to the tail, not to the whole answer. The caller decides
// when to render (the chat view does it at most every ChatRenderIntervalMs).
class MarkdownStreamRenderer
{
public:
    struct CodeBlock
    {
        QString language; // the fence's info word, may be empty
        QString code;
    };

    explicit MarkdownStreamRenderer(QTextDocument *document);

    void append(const QString &markdown);
    // Replaces everything (a loaded or reclassified message): rendered in one go.
    void setText(const QString &markdown);
    void clear();
    // Brings the document up to date; returns false when there was nothing new.
    bool render();

    const QString &source() const { return m_source; }
    qsizetype frozenLength() const { return m_frozenLength; }
    bool isDirty() const { return m_dirty; }

    // Where the finished part of `text` ends (from `from`, which must be at top level): after
    // the last blank line outside a fence, or after a closing fence line. Inside a list such a
    // boundary only counts once the next line shows the list has ended (not an item, not
    // indented): a list cut in two would restart its numbering and lose its indentation.
    static qsizetype finishedPrefixLength(const QString &text, qsizetype from);
    // The fenced code blocks of a Markdown text, for "Copy code" (an unclosed one runs to the end).
    static QList<CodeBlock> codeBlocks(QStringView markdown);
    // Whether a code fence is open at the end of text; *fenceStart gets where its line starts.
    static bool endsInsideFence(QStringView text, qsizetype *fenceStart = nullptr);

private:
    void removeTail();
    void insertMarkdown(const QString &markdown);
    void insertOpenFence(const QString &code);
    void shadeCodeBlocks(int from);
    static QBrush codeBackground();
    void startFreshBlock();

    QTextDocument *m_document;
    QString m_source;
    qsizetype m_frozenLength = 0; // characters of m_source rendered for good
    int m_tailPosition = 0;       // document position where the tail begins
    bool m_dirty = false;
};

} // namespace ApoloDeploy
