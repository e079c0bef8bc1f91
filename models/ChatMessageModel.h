// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractListModel>
#include <QPointer>

namespace ApoloDeploy {

class ChatSession;

// The messages of the session's current conversation, one row each. While an answer streams,
// its row changes many times a second: views should batch (the chat view repaints on a timer).
class ChatMessageModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatMessageModel)

public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        RoleNameRole,      // "user", "assistant", "system"
        StateRole,         // ChatMessage::State as int
        ContentRole,       // markdown source of the answer
        ReasoningRole,     // the thinking, plain text
        ThinkingLabelRole, // "Thinking… 12 s" / "Thought for 12 s" / empty
        MetricsRole,       // one line: TTFT, tokens/s, token counts (estimates labelled)
        ErrorRole,
        NoticeRole, // truncation or lost-boundary notes for the user
        IsStreamingRole,
    };
    Q_ENUM(Role)

    explicit ChatMessageModel(ChatSession *session, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // "12 s", "1 min 5 s"
    static QString formatDuration(qint64 ms);

private:
    QPointer<ChatSession> m_session;
    int m_rows = 0;
};

} // namespace ApoloDeploy
