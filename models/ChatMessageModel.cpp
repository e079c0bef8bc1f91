// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/ChatMessageModel.h"

#include "chat/ChatSession.h"

namespace ApoloDeploy {

namespace {

QString metricsLine(const ChatMessage &message)
{
    const MessageMetrics &m = message.metrics;
    QStringList parts;
    if (m.timeToFirstTokenMs >= 0)
        parts << ChatMessageModel::tr("first token %1 s").arg(m.timeToFirstTokenMs / 1000.0, 0, 'f', 2);
    if (m.tokensPerSecond >= 0)
        parts << (m.tokensEstimated ? ChatMessageModel::tr("≈%1 tokens/s (estimated)")
                                    : ChatMessageModel::tr("%1 tokens/s"))
                     .arg(m.tokensPerSecond, 0, 'f', 1);
    if (m.completionTokens >= 0)
        parts << (m.tokensEstimated ? ChatMessageModel::tr("≈%1 tokens out") : ChatMessageModel::tr("%1 tokens out"))
                     .arg(m.completionTokens);
    if (m.promptTokens >= 0)
        parts << ChatMessageModel::tr("%1 tokens in").arg(m.promptTokens);
    if (m.reasoningTokens >= 0)
        parts << ChatMessageModel::tr("%1 thinking").arg(m.reasoningTokens);
    return parts.join(QStringLiteral(" · "));
}

} // namespace

ChatMessageModel::ChatMessageModel(ChatSession *session, QObject *parent)
    : QAbstractListModel(parent)
    , m_session(session)
    , m_rows(int(session->conversation().messages.size()))
{
    connect(session, &ChatSession::conversationReset, this, [this] {
        beginResetModel();
        m_rows = int(m_session->conversation().messages.size());
        endResetModel();
    });
    connect(session, &ChatSession::messageInserted, this, [this](int row) {
        beginInsertRows({}, row, row);
        m_rows = int(m_session->conversation().messages.size());
        endInsertRows();
    });
    connect(session, &ChatSession::messagesRemoved, this, [this](int first, int last) {
        beginRemoveRows({}, first, last);
        m_rows = int(m_session->conversation().messages.size());
        endRemoveRows();
    });
    connect(session, &ChatSession::messageChanged, this, [this](int row) {
        if (row >= 0 && row < m_rows)
            Q_EMIT dataChanged(index(row), index(row));
    });
    connect(session, &ChatSession::streamingChanged, this, [this](bool) {
        if (m_rows > 0)
            Q_EMIT dataChanged(index(m_rows - 1), index(m_rows - 1), {IsStreamingRole, StateRole, ThinkingLabelRole});
    });
}

int ChatMessageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_session ? 0 : m_rows;
}

QString ChatMessageModel::formatDuration(qint64 ms)
{
    if (ms < 500)
        return tr("under a second");
    const qint64 seconds = (ms + 500) / 1000;
    if (seconds < 60)
        return tr("%1 s").arg(seconds);
    return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
}

QVariant ChatMessageModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_session ||
        index.row() >= m_session->conversation().messages.size())
        return {};
    const ChatMessage &message = m_session->conversation().messages.at(index.row());
    const bool streaming = m_session->isStreaming() && m_session->streamingIndex() == index.row();
    switch (role) {
    case Qt::DisplayRole:
    case ContentRole: return message.content;
    case Qt::AccessibleTextRole:
        return tr("%1: %2").arg(ChatMessage::roleName(message.role), message.content.left(200));
    case IdRole: return message.id;
    case RoleNameRole: return ChatMessage::roleName(message.role);
    case StateRole: return int(message.state);
    case ReasoningRole: return message.reasoning;
    case ThinkingLabelRole:
        if (message.reasoning.isEmpty())
            return QString();
        if (streaming && message.content.isEmpty()) {
            const qint64 thinkingMs =
                m_session->streamingElapsedMs() - qMax<qint64>(0, message.metrics.timeToFirstTokenMs);
            return thinkingMs < 1000 ? tr("Thinking…") : tr("Thinking… %1").arg(formatDuration(thinkingMs));
        }
        if (message.metrics.thinkingMs >= 0)
            return tr("Thought for %1").arg(formatDuration(message.metrics.thinkingMs));
        return tr("Thinking");
    case MetricsRole: return metricsLine(message);
    case ErrorRole: return message.error;
    case NoticeRole:
        if (message.thinkingTruncated)
            return tr(
                "Max tokens ran out while the model was still thinking, so there is no answer. Raise max tokens.");
        if (message.thinkingBoundaryMissing)
            return tr(
                "The server never marked where the thinking ended (vLLM 0.7.2 drops a lone </think>), so the whole "
                "reply is shown as the answer. Newer vLLM or --reasoning-parser deepseek_r1 fixes it.");
        if (message.finishReason == QLatin1String("length"))
            return tr("The answer was cut at max tokens.");
        if (message.state == ChatMessage::State::Stopped)
            return tr("Stopped.");
        if (message.state == ChatMessage::State::Interrupted)
            return tr(
                "Interrupted: the app closed while this answer was streaming. The text received so far was kept.");
        return QString();
    case IsStreamingRole: return streaming;
    default: return {};
    }
}

QHash<int, QByteArray> ChatMessageModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert({{IdRole, "id"},
                  {RoleNameRole, "role"},
                  {StateRole, "state"},
                  {ContentRole, "content"},
                  {ReasoningRole, "reasoning"},
                  {ThinkingLabelRole, "thinkingLabel"},
                  {MetricsRole, "metrics"},
                  {ErrorRole, "error"},
                  {NoticeRole, "notice"},
                  {IsStreamingRole, "streaming"}});
    return names;
}

} // namespace ApoloDeploy
