// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chat/ChatTurn.h"
#include "chat/Conversation.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace ApoloDeploy {

class ConversationStore;
class OpenAiClient;

// The conversation being chatted in: sends turns, streams answers into the last message, and
// saves the conversation while the answer grows (every liveSaveIntervalMs through QSaveFile), so
// a crash loses at most that much of an answer. Stop, regenerate, and edit-and-resend.
class ChatSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatSession)

public:
    static constexpr int liveSaveIntervalMs = 1000;

    ChatSession(OpenAiClient *client, ConversationStore *store, QObject *parent = nullptr);
    ~ChatSession() override;

    const Conversation &conversation() const { return m_conversation; }
    OpenAiClient *client() const { return m_client; }
    ConversationStore *store() const { return m_store; }

    void newConversation();
    bool openConversation(const QString &id, QString *error = nullptr);
    bool deleteConversation(const QString &id, QString *error = nullptr);

    // The served model name to send, and its path (/v1/models "root") for R1-family detection.
    void setModel(const QString &modelId, const QString &modelRoot = {});
    QString modelId() const { return m_modelId; }
    bool isReasoningModel() const;
    void setParameters(const ChatParameters &parameters);
    const ChatParameters &parameters() const { return m_conversation.parameters; }
    // Use /v1/completions (no chat template) instead of /v1/chat/completions.
    void setUseCompletions(bool on) { m_useCompletions = on; }

    bool send(const QString &text);
    void stop();
    // Replaces the last answer with a new one.
    bool regenerate();
    // Changes the user message at `index`, drops everything after it and asks again.
    bool editAndResend(int index, const QString &text);

    bool isStreaming() const { return m_runner != nullptr; }
    int streamingIndex() const { return m_streamingIndex; }
    qint64 streamingElapsedMs() const;
    bool saveNow(QString *error = nullptr);
    QString lastError() const { return m_lastError; }

Q_SIGNALS:
    void conversationReset();
    void messageInserted(int index);
    void messagesRemoved(int first, int last);
    void messageChanged(int index);
    void streamingChanged(bool streaming);
    void turnFinished(int index, const ApoloDeploy::ChatTurnResult &result);
    // Saving or sending failed; message says what to do.
    void problem(const QString &message);

private:
    bool startTurn(int userIndex);
    void appendMessage(const ChatMessage &message);
    void truncateAfter(int index);
    void onPieces(const ReasoningSplitter::Pieces &pieces);
    void onReclassified();
    void onTurnFinished(const ChatTurnResult &result);
    void touch();

    OpenAiClient *m_client;
    ConversationStore *m_store;
    Conversation m_conversation;
    QString m_modelId;
    QString m_modelRoot;
    bool m_useCompletions = false;
    QPointer<ChatTurnRunner> m_runner;
    int m_streamingIndex = -1;
    QTimer m_liveSave;
    QString m_lastError;
};

} // namespace ApoloDeploy
