// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/chat/ChatComposer.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace ApoloDeploy {

ChatComposer::ChatComposer(QWidget *parent)
    : QWidget(parent)
    , m_editor(new QPlainTextEdit(this))
    , m_send(new QPushButton(tr("Send"), this))
    , m_stop(new QPushButton(tr("Stop"), this))
    , m_meter(new QProgressBar(this))
    , m_meterLabel(new QLabel(this))
{
    setObjectName(QStringLiteral("chatComposer"));
    m_editor->setObjectName(QStringLiteral("promptPlainTextEdit"));
    m_editor->setAccessibleName(tr("Prompt"));
    m_editor->setPlaceholderText(tr("Ask the model… (Ctrl+Enter to send)"));
    m_editor->setTabChangesFocus(true);
    // Five lines, then it scrolls: the conversation keeps the room.
    m_editor->setMaximumHeight(5 * m_editor->fontMetrics().lineSpacing() + 2 * m_editor->frameWidth() +
                               int(2 * m_editor->document()->documentMargin()));
    m_editor->installEventFilter(this);
    m_send->setObjectName(QStringLiteral("sendPushButton"));
    m_send->setAccessibleName(tr("Send the prompt"));
    m_send->setDefault(true);
    m_stop->setObjectName(QStringLiteral("stopPushButton"));
    m_stop->setAccessibleName(tr("Stop the answer; the text so far is kept"));
    m_stop->setVisible(false);
    m_meter->setObjectName(QStringLiteral("promptLengthProgressBar"));
    m_meter->setAccessibleName(tr("Prompt length against the model's context"));
    m_meter->setTextVisible(false);
    m_meter->setMaximumHeight(6);
    m_meterLabel->setObjectName(QStringLiteral("promptLengthLabel"));
    m_meterLabel->setStyleSheet(QStringLiteral("QLabel { color: palette(placeholder-text); }"));

    auto *buttons = new QVBoxLayout;
    buttons->addWidget(m_send);
    buttons->addWidget(m_stop);
    buttons->addStretch(1);
    auto *row = new QHBoxLayout;
    row->addWidget(m_editor, 1);
    row->addLayout(buttons);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(m_meter);
    layout->addWidget(m_meterLabel);

    connect(m_send, &QPushButton::clicked, this, &ChatComposer::send);
    connect(m_stop, &QPushButton::clicked, this, &ChatComposer::stopRequested);
    connect(m_editor, &QPlainTextEdit::textChanged, this, [this] { Q_EMIT textEdited(text()); });
}

QString ChatComposer::text() const
{
    return m_editor->toPlainText();
}

void ChatComposer::setText(const QString &text)
{
    m_editor->setPlainText(text);
    m_editor->setFocus();
}

void ChatComposer::setStreaming(bool streaming)
{
    m_streaming = streaming;
    m_send->setVisible(!streaming);
    m_stop->setVisible(streaming);
}

void ChatComposer::setSendEnabled(bool enabled)
{
    m_send->setEnabled(enabled);
}

void ChatComposer::setPromptLength(qint64 tokens, qint64 maxModelLen, bool estimated)
{
    const QString count = estimated ? tr("≈%L1 tokens (estimate: this server has no /tokenize)").arg(tokens)
                                    : tr("%L1 tokens").arg(tokens);
    if (maxModelLen > 0) {
        m_meter->setRange(0, 1000);
        m_meter->setValue(int(std::min<qint64>(1000, tokens * 1000 / maxModelLen)));
        m_meterLabel->setText(tr("Prompt: %1 of %L2 context").arg(count).arg(maxModelLen));
        m_meter->setVisible(true);
    } else {
        m_meter->setVisible(false);
        m_meterLabel->setText(tr("Prompt: %1 (the server does not say its context length)").arg(count));
    }
    const bool over = maxModelLen > 0 && tokens >= maxModelLen;
    m_meterLabel->setStyleSheet(over ? QStringLiteral("QLabel { color: #c62828; }")
                                     : QStringLiteral("QLabel { color: palette(placeholder-text); }"));
}

void ChatComposer::send()
{
    const QString prompt = text();
    if (m_streaming || prompt.trimmed().isEmpty() || !m_send->isEnabled())
        return;
    Q_EMIT sendRequested(prompt);
}

bool ChatComposer::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_editor && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) && (key->modifiers() & Qt::ControlModifier)) {
            send();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace ApoloDeploy
