// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/ChatSession.h"

#include "chat/ConversationStore.h"
#include "chat/OpenAiClient.h"

namespace ApoloDeploy {

namespace {

ChatMessage::State messageState(ChatStreamResult::Status status)
{
    switch (status) {
    case ChatStreamResult::Status::Completed: return ChatMessage::State::Complete;
    case ChatStreamResult::Status::Stopped: return ChatMessage::State::Stopped;
    case ChatStreamResult::Status::TimedOut:
    case ChatStreamResult::Status::Failed: return ChatMessage::State::Failed;
    }
    return ChatMessage::State::Failed;
}

} // namespace

ChatSession::ChatSession(OpenAiClient *client, ConversationStore *store, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_store(store)
    , m_conversation(Conversation::create())
{
    m_liveSave.setInterval(liveSaveIntervalMs);
    connect(&m_liveSave, &QTimer::timeout, this, [this] { saveNow(); });
}

ChatSession::~ChatSession()
{
    if (m_runner) {
        m_runner->disconnect(this);
        m_runner->stop();
        if (m_streamingIndex >= 0)
            m_conversation.messages[m_streamingIndex].state = ChatMessage::State::Stopped;
        saveNow();
    }
}

void ChatSession::newConversation()
{
    stop();
    const ChatParameters keep = m_conversation.parameters;
    m_conversation = Conversation::create();
    m_conversation.parameters = keep;
    m_conversation.model = m_modelId;
    Q_EMIT conversationReset();
}

bool ChatSession::openConversation(const QString &id, QString *error)
{
    std::optional<Conversation> loaded = m_store->load(id, error);
    if (!loaded)
        return false;
    stop();
    m_conversation = std::move(*loaded);
    Q_EMIT conversationReset();
    return true;
}

bool ChatSession::deleteConversation(const QString &id, QString *error)
{
    if (id == m_conversation.id) {
        stop();
        const bool wasSaved = !m_conversation.messages.isEmpty();
        newConversation();
        if (!wasSaved)
            return true;
    }
    return m_store->remove(id, error);
}

void ChatSession::setModel(const QString &modelId, const QString &modelRoot)
{
    m_modelId = modelId;
    m_modelRoot = modelRoot;
    if (m_conversation.messages.isEmpty())
        m_conversation.model = modelId;
}

bool ChatSession::isReasoningModel() const
{
    return ChatRequestBuilder::startsInThinking(m_conversation.parameters, m_modelId + QLatin1Char(' ') + m_modelRoot);
}

void ChatSession::setParameters(const ChatParameters &parameters)
{
    m_conversation.parameters = parameters;
}

qint64 ChatSession::streamingElapsedMs() const
{
    return m_runner ? m_runner->elapsedMs() : 0;
}

bool ChatSession::send(const QString &text)
{
    if (isStreaming() || text.trimmed().isEmpty())
        return false;
    const QString parent = m_conversation.messages.isEmpty() ? QString() : m_conversation.messages.constLast().id;
    ChatMessage user = Conversation::newMessage(ChatMessage::Role::User, parent);
    user.content = text;
    appendMessage(user);
    if (m_conversation.title.isEmpty())
        m_conversation.title = m_conversation.suggestedTitle();
    return startTurn(int(m_conversation.messages.size()) - 1);
}

void ChatSession::stop()
{
    if (m_runner)
        m_runner->stop(); // finishes synchronously or from the event loop; the message keeps its text
}

bool ChatSession::regenerate()
{
    if (isStreaming())
        return false;
    int userIndex = int(m_conversation.messages.size()) - 1;
    while (userIndex >= 0 && m_conversation.messages.at(userIndex).role != ChatMessage::Role::User)
        --userIndex;
    if (userIndex < 0)
        return false;
    truncateAfter(userIndex);
    return startTurn(userIndex);
}

bool ChatSession::editAndResend(int index, const QString &text)
{
    if (isStreaming() || index < 0 || index >= m_conversation.messages.size() ||
        m_conversation.messages.at(index).role != ChatMessage::Role::User || text.trimmed().isEmpty())
        return false;
    truncateAfter(index);
    m_conversation.messages[index].content = text;
    Q_EMIT messageChanged(index);
    return startTurn(index);
}

bool ChatSession::startTurn(int userIndex)
{
    const QString model = m_modelId.isEmpty() ? m_conversation.model : m_modelId;
    ChatMessage answer =
        Conversation::newMessage(ChatMessage::Role::Assistant, m_conversation.messages.at(userIndex).id);
    answer.state = ChatMessage::State::Streaming;
    answer.model = model;
    appendMessage(answer);
    m_streamingIndex = int(m_conversation.messages.size()) - 1;
    m_conversation.model = model;
    m_conversation.endpointUrl = m_client->endpoint().serverRoot().adjusted(QUrl::RemoveUserInfo).toString();

    const QList<ChatTurn> history = m_conversation.historyUpTo(userIndex);
    const bool thinking = isReasoningModel();
    if (m_useCompletions) {
        m_runner = new ChatTurnRunner(
            m_client, ChatTurnRunner::Endpoint::Completions,
            ChatRequestBuilder::completionBody(model, history.constLast().content, m_conversation.parameters), thinking,
            this);
    } else {
        m_runner =
            new ChatTurnRunner(m_client, ChatTurnRunner::Endpoint::ChatCompletions,
                               ChatRequestBuilder::chatBody(model, history, m_conversation.parameters), thinking, this);
    }
    connect(m_runner, &ChatTurnRunner::piecesReceived, this, &ChatSession::onPieces);
    connect(m_runner, &ChatTurnRunner::textReclassified, this, &ChatSession::onReclassified);
    connect(m_runner, &ChatTurnRunner::finished, this, &ChatSession::onTurnFinished);
    Q_EMIT streamingChanged(true);
    saveNow();
    m_liveSave.start();
    m_runner->start();
    return true;
}

void ChatSession::appendMessage(const ChatMessage &message)
{
    m_conversation.messages.append(message);
    touch();
    Q_EMIT messageInserted(int(m_conversation.messages.size()) - 1);
}

void ChatSession::truncateAfter(int index)
{
    const int last = int(m_conversation.messages.size()) - 1;
    if (index >= last)
        return;
    m_conversation.messages.resize(index + 1);
    touch();
    Q_EMIT messagesRemoved(index + 1, last);
}

void ChatSession::onPieces(const ReasoningSplitter::Pieces &pieces)
{
    if (m_streamingIndex < 0)
        return;
    ChatMessage &message = m_conversation.messages[m_streamingIndex];
    message.reasoning += pieces.reasoning;
    message.content += pieces.content;
    if (message.metrics.timeToFirstTokenMs < 0 && m_runner)
        message.metrics.timeToFirstTokenMs = m_runner->splitter().firstTokenMs();
    Q_EMIT messageChanged(m_streamingIndex);
}

void ChatSession::onReclassified()
{
    if (m_streamingIndex < 0 || !m_runner)
        return;
    ChatMessage &message = m_conversation.messages[m_streamingIndex];
    message.reasoning = m_runner->splitter().reasoning();
    message.content = m_runner->splitter().content();
    Q_EMIT messageChanged(m_streamingIndex);
}

void ChatSession::onTurnFinished(const ChatTurnResult &result)
{
    const int index = m_streamingIndex;
    m_liveSave.stop();
    m_runner->deleteLater();
    m_runner = nullptr;
    m_streamingIndex = -1;
    if (index >= 0 && index < m_conversation.messages.size()) {
        ChatMessage &message = m_conversation.messages[index];
        message.state = messageState(result.status);
        message.reasoning = result.reasoning;
        message.content = result.content;
        message.finishReason = result.finishReason;
        message.error = result.error.isNull() ? QString() : result.error.summary();
        message.thinkingTruncated = result.thinkingTruncated;
        message.thinkingBoundaryMissing = result.thinkingBoundaryMissing;
        if (!result.model.isEmpty())
            message.model = result.model;
        MessageMetrics &metrics = message.metrics;
        metrics.timeToFirstTokenMs = result.timeToFirstTokenMs;
        metrics.durationMs = result.durationMs;
        metrics.thinkingMs = result.thinkingMs;
        metrics.tokensPerSecond = result.tokensPerSecond;
        metrics.tokensEstimated = result.tokensPerSecondEstimated;
        metrics.completionTokens = result.completionTokens;
        if (result.usage) {
            metrics.promptTokens = result.usage->promptTokens;
            metrics.reasoningTokens = result.usage->reasoningTokens;
        }
        touch();
        Q_EMIT messageChanged(index);
    }
    saveNow();
    Q_EMIT streamingChanged(false);
    Q_EMIT turnFinished(index, result);
    if (!result.error.isNull())
        Q_EMIT problem(result.error.summary());
}

void ChatSession::touch()
{
    m_conversation.updatedAt = QDateTime::currentDateTimeUtc();
}

bool ChatSession::saveNow(QString *error)
{
    if (m_conversation.messages.isEmpty())
        return true;
    QString reason;
    if (m_store->save(m_conversation, &reason)) {
        m_lastError.clear();
        return true;
    }
    if (error)
        *error = reason;
    if (reason != m_lastError) {
        m_lastError = reason;
        Q_EMIT problem(reason);
    }
    return false;
}

} // namespace ApoloDeploy
