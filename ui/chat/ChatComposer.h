// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace ApoloDeploy {

// The prompt box with Send/Stop and the prompt-length meter against max_model_len.
// Ctrl+Enter sends.
class ChatComposer final : public QWidget
{
    Q_OBJECT

public:
    explicit ChatComposer(QWidget *parent = nullptr);

    QString text() const;
    void setText(const QString &text);
    void setStreaming(bool streaming);
    void setSendEnabled(bool enabled);
    // estimated: no /tokenize on this server, so characters / 4.
    void setPromptLength(qint64 tokens, qint64 maxModelLen, bool estimated);
    QPlainTextEdit *editor() const { return m_editor; }

Q_SIGNALS:
    void sendRequested(const QString &text);
    void stopRequested();
    void textEdited(const QString &text);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void send();

    QPlainTextEdit *m_editor;
    QPushButton *m_send;
    QPushButton *m_stop;
    QProgressBar *m_meter;
    QLabel *m_meterLabel;
    bool m_streaming = false;
};

} // namespace ApoloDeploy
