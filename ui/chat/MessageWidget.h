// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/chat/MarkdownStreamRenderer.h"

#include <QTextBrowser>
#include <QWidget>

#include <memory>

class QLabel;
class QModelIndex;
class QToolButton;

namespace ApoloDeploy {

class ThinkingSection;

// A read-only text view as tall as its document (the message list scrolls, not the message),
// with "Copy code block" in its context menu when the click is inside a code block.
class MessageBody final : public QTextBrowser
{
    Q_OBJECT

public:
    explicit MessageBody(QWidget *parent = nullptr);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    // The code block around a document position, or empty when it is not in one.
    QString codeBlockAt(int position) const;

protected:
    void contextMenuEvent(QContextMenuEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void fitHeight();
};

// One chat message: who, the thinking section, the answer rendered as Markdown (incrementally
// while it streams), notices, errors and the per-message measurements.
class MessageWidget final : public QWidget
{
    Q_OBJECT

public:
    explicit MessageWidget(QWidget *parent = nullptr);
    ~MessageWidget() override;

    // Pulls the row's data; only text beyond what is already shown is rendered.
    void sync(const QModelIndex &index, bool isLastAnswer);
    // Renders pending text now (the list calls this on its render timer).
    bool renderPending();
    QTextDocument *bodyDocument() const { return m_body->document(); }
    ThinkingSection *thinking() const { return m_thinking; }

Q_SIGNALS:
    void regenerateRequested();
    void editRequested(const QString &currentText);

private:
    void fillCopyCodeMenu();

    QLabel *m_header;
    ThinkingSection *m_thinking;
    MessageBody *m_body;
    QLabel *m_notice;
    QLabel *m_metrics;
    QToolButton *m_copy;
    QToolButton *m_copyCode;
    QToolButton *m_regenerate;
    QToolButton *m_edit;
    std::unique_ptr<MarkdownStreamRenderer> m_renderer;
    QString m_pendingReasoning;
    bool m_isUser = false;
    QString m_userText;
};

} // namespace ApoloDeploy
