// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QPlainTextEdit;
class QToolButton;

namespace ApoloDeploy {

// The model's thinking, collapsed by default under a "Thinking… 12 s" / "Thought for 12 s"
// header. Text is appended as it streams (plain text: thinking is not rendered as Markdown).
class ThinkingSection final : public QWidget
{
    Q_OBJECT

public:
    explicit ThinkingSection(QWidget *parent = nullptr);

    void setLabel(const QString &label);
    void appendText(const QString &text);
    void setText(const QString &text);
    qsizetype textLength() const { return m_length; }
    QString text() const;
    bool isExpanded() const;
    void setExpanded(bool expanded);

private:
    void updateHeight();

    QToolButton *m_toggle;
    QPlainTextEdit *m_text;
    qsizetype m_length = 0;
    bool m_expanded = false;
};

} // namespace ApoloDeploy
