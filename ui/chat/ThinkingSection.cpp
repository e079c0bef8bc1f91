// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/chat/ThinkingSection.h"

#include <QAbstractTextDocumentLayout>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextCursor>
#include <QToolButton>
#include <QVBoxLayout>

namespace ApoloDeploy {

namespace {
constexpr int maxVisibleLines = 16;
}

ThinkingSection::ThinkingSection(QWidget *parent)
    : QWidget(parent)
    , m_toggle(new QToolButton(this))
    , m_text(new QPlainTextEdit(this))
{
    setObjectName(QStringLiteral("thinkingSection"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    m_toggle->setObjectName(QStringLiteral("thinkingToggleToolButton"));
    // Not checkable: a checked tool button looks pressed, and this is a disclosure header.
    m_toggle->setAutoRaise(true);
    m_toggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toggle->setArrowType(Qt::RightArrow);
    m_toggle->setAccessibleName(tr("Show or hide the model's thinking"));
    m_text->setObjectName(QStringLiteral("thinkingPlainTextEdit"));
    m_text->setReadOnly(true);
    m_text->setUndoRedoEnabled(false);
    m_text->setAccessibleName(tr("Model thinking"));
    m_text->setFrameShape(QFrame::NoFrame);
    m_text->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    // Set apart from the answer like a quotation: grey text behind a bar.
    m_text->setStyleSheet(QStringLiteral("QPlainTextEdit { color: palette(placeholder-text); background: transparent;"
                                         " border: none; border-left: 3px solid palette(mid); padding-left: 6px; }"));
    m_text->setVisible(false);
    layout->addWidget(m_toggle, 0, Qt::AlignLeft);
    layout->addWidget(m_text);
    // Wrapped lines change with the width.
    connect(m_text->document()->documentLayout(), &QAbstractTextDocumentLayout::documentSizeChanged, this,
            &ThinkingSection::updateHeight);
    connect(m_toggle, &QToolButton::clicked, this, [this] { setExpanded(!m_expanded); });
}

void ThinkingSection::setLabel(const QString &label)
{
    m_toggle->setText(label);
}

QString ThinkingSection::text() const
{
    return m_text->toPlainText();
}

bool ThinkingSection::isExpanded() const
{
    return m_expanded;
}

void ThinkingSection::setExpanded(bool expanded)
{
    m_expanded = expanded;
    m_toggle->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
    m_text->setVisible(expanded);
    updateHeight();
}

void ThinkingSection::appendText(const QString &text)
{
    if (text.isEmpty())
        return;
    QScrollBar *bar = m_text->verticalScrollBar();
    const bool atEnd = bar->value() >= bar->maximum() - 2;
    QTextCursor cursor(m_text->document());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(text);
    m_length += text.size();
    updateHeight();
    if (atEnd)
        bar->setValue(bar->maximum());
}

void ThinkingSection::setText(const QString &text)
{
    m_text->setPlainText(text);
    m_length = text.size();
    updateHeight();
}

// Grows with the text up to a limit, then scrolls, so a long thought never pushes the answer away.
void ThinkingSection::updateHeight()
{
    if (!m_text->isVisible())
        return;
    // QPlainTextEdit's layout measures its document in lines, wrapped lines included.
    const int wrappedLines = int(m_text->document()->documentLayout()->documentSize().height());
    const int lines = std::clamp(wrappedLines, 1, maxVisibleLines);
    const int margins = m_text->contentsMargins().top() + m_text->contentsMargins().bottom() +
                        int(2 * m_text->document()->documentMargin());
    m_text->setFixedHeight(lines * m_text->fontMetrics().lineSpacing() + margins + 2);
}

} // namespace ApoloDeploy
