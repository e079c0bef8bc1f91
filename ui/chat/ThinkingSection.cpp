// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/chat/ThinkingSection.h"

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
    m_toggle->setCheckable(true);
    m_toggle->setAutoRaise(true);
    m_toggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toggle->setArrowType(Qt::RightArrow);
    m_toggle->setAccessibleName(tr("Show or hide the model's thinking"));
    m_text->setObjectName(QStringLiteral("thinkingPlainTextEdit"));
    m_text->setReadOnly(true);
    m_text->setUndoRedoEnabled(false);
    m_text->setAccessibleName(tr("Model thinking"));
    m_text->setFrameShape(QFrame::NoFrame);
    m_text->setStyleSheet(QStringLiteral("QPlainTextEdit { color: palette(placeholder-text); }"));
    m_text->setVisible(false);
    layout->addWidget(m_toggle, 0, Qt::AlignLeft);
    layout->addWidget(m_text);
    connect(m_toggle, &QToolButton::toggled, this, &ThinkingSection::setExpanded);
}

void ThinkingSection::setLabel(const QString &label)
{
    m_toggle->setText(label);
}

bool ThinkingSection::isExpanded() const
{
    return m_toggle->isChecked();
}

void ThinkingSection::setExpanded(bool expanded)
{
    if (m_toggle->isChecked() != expanded)
        m_toggle->setChecked(expanded);
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
    if (atEnd)
        bar->setValue(bar->maximum());
    updateHeight();
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
    const int lineHeight = m_text->fontMetrics().lineSpacing();
    const int lines = std::min(maxVisibleLines, std::max(1, m_text->document()->lineCount()));
    m_text->setFixedHeight(lines * lineHeight + 2 * m_text->frameWidth() + 8);
}

} // namespace ApoloDeploy
