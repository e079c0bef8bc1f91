// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chat/ChatRequest.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace ApoloDeploy {

// Per-answer measurements shown under a message.
struct MessageMetrics
{
    qint64 timeToFirstTokenMs = -1;
    qint64 durationMs = -1;
    qint64 thinkingMs = -1;
    qint64 promptTokens = -1;
    qint64 completionTokens = -1;
    qint64 reasoningTokens = -1;
    double tokensPerSecond = -1;
    bool tokensEstimated = false; // no `usage` from the server: counts are characters / 4

    QJsonObject toJson() const;
    static MessageMetrics fromJson(const QJsonObject &object);
};

struct ChatMessage
{
    enum class Role { System, User, Assistant };
    enum class State {
        Complete,
        Streaming,   // being received; on disk this means the app stopped mid-answer
        Stopped,     // the user stopped it; the partial text is kept
        Failed,      // the server or the network failed; partial text and error kept
        Interrupted, // found Streaming when loaded: the app crashed or was killed mid-answer
    };

    QString id;
    QString parentId; // the message this one answers or follows (a tree, for future branching)
    Role role = Role::User;
    State state = State::Complete;
    QString content;
    QString reasoning;
    QString finishReason;
    QString error;
    QString model;
    QDateTime createdAt;
    MessageMetrics metrics;
    bool thinkingTruncated = false;       // cut by max tokens while thinking
    bool thinkingBoundaryMissing = false; // the server dropped "</think>" (vLLM 0.7.2)

    bool isAnswerable() const { return role != Role::Assistant || state == State::Complete; }
    static QString roleName(Role role);
    static QString stateName(State state);
};

// One conversation, saved as one JSON file with a format version.
struct Conversation
{
    static constexpr int formatVersion = 1;

    QString id;
    QString title;
    QDateTime createdAt;
    QDateTime updatedAt;
    QString endpointUrl; // without user info: never a credential
    QString model;
    ChatParameters parameters;
    QList<ChatMessage> messages;

    static Conversation create();
    static ChatMessage newMessage(ChatMessage::Role role, const QString &parentId);

    // The turns sent for an answer to messages[index] (the user turn itself included): final
    // answers only, never thinking, and no failed or empty assistant turns.
    QList<ChatTurn> historyUpTo(int index) const;
    // A title from the first user message, for the conversation list.
    QString suggestedTitle() const;

    QJsonObject toJson() const;
    // Rejects files written by a newer version instead of guessing.
    static std::optional<Conversation> fromJson(const QJsonObject &object, QString *error = nullptr);
    QString toMarkdown() const;
};

} // namespace ApoloDeploy
