// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/Conversation.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QUrl>
#include <QUuid>

namespace ApoloDeploy {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Conversation", text);
}

const char *const roleNames[] = {"system", "user", "assistant"};
const char *const stateNames[] = {"complete", "streaming", "stopped", "failed", "interrupted"};

template <typename Enum, size_t N> Enum enumFromName(const QString &name, const char *const (&names)[N], Enum fallback)
{
    for (size_t i = 0; i < N; ++i) {
        if (name == QLatin1String(names[i]))
            return Enum(i);
    }
    return fallback;
}

qint64 integer(const QJsonObject &object, const char *key)
{
    return object.value(QLatin1String(key)).toInteger(-1);
}

QString isoTime(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QDateTime fromIso(const QJsonValue &value)
{
    return QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
}

QJsonObject messageToJson(const ChatMessage &message)
{
    QJsonObject object{{QStringLiteral("id"), message.id},
                       {QStringLiteral("role"), ChatMessage::roleName(message.role)},
                       {QStringLiteral("state"), ChatMessage::stateName(message.state)},
                       {QStringLiteral("content"), message.content},
                       {QStringLiteral("created_at"), isoTime(message.createdAt)}};
    if (!message.parentId.isEmpty())
        object.insert(QStringLiteral("parent_id"), message.parentId);
    if (!message.reasoning.isEmpty())
        object.insert(QStringLiteral("reasoning"), message.reasoning);
    if (!message.finishReason.isEmpty())
        object.insert(QStringLiteral("finish_reason"), message.finishReason);
    if (!message.error.isEmpty())
        object.insert(QStringLiteral("error"), message.error);
    if (!message.model.isEmpty())
        object.insert(QStringLiteral("model"), message.model);
    if (message.thinkingTruncated)
        object.insert(QStringLiteral("thinking_truncated"), true);
    if (message.thinkingBoundaryMissing)
        object.insert(QStringLiteral("thinking_boundary_missing"), true);
    const QJsonObject metrics = message.metrics.toJson();
    if (!metrics.isEmpty())
        object.insert(QStringLiteral("metrics"), metrics);
    return object;
}

ChatMessage messageFromJson(const QJsonObject &object)
{
    ChatMessage message;
    message.id = object.value(QLatin1String("id")).toString();
    message.parentId = object.value(QLatin1String("parent_id")).toString();
    message.role = enumFromName(object.value(QLatin1String("role")).toString(), roleNames, ChatMessage::Role::User);
    message.state =
        enumFromName(object.value(QLatin1String("state")).toString(), stateNames, ChatMessage::State::Complete);
    // A message still streaming on disk was cut off by a crash or a kill: keep it, say so.
    if (message.state == ChatMessage::State::Streaming)
        message.state = ChatMessage::State::Interrupted;
    message.content = object.value(QLatin1String("content")).toString();
    message.reasoning = object.value(QLatin1String("reasoning")).toString();
    message.finishReason = object.value(QLatin1String("finish_reason")).toString();
    message.error = object.value(QLatin1String("error")).toString();
    message.model = object.value(QLatin1String("model")).toString();
    message.createdAt = fromIso(object.value(QLatin1String("created_at")));
    message.thinkingTruncated = object.value(QLatin1String("thinking_truncated")).toBool();
    message.thinkingBoundaryMissing = object.value(QLatin1String("thinking_boundary_missing")).toBool();
    message.metrics = MessageMetrics::fromJson(object.value(QLatin1String("metrics")).toObject());
    if (message.id.isEmpty())
        message.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    return message;
}

} // namespace

QJsonObject MessageMetrics::toJson() const
{
    QJsonObject object;
    const auto put = [&object](const char *key, qint64 value) {
        if (value >= 0)
            object.insert(QLatin1String(key), value);
    };
    put("ttft_ms", timeToFirstTokenMs);
    put("duration_ms", durationMs);
    put("thinking_ms", thinkingMs);
    put("prompt_tokens", promptTokens);
    put("completion_tokens", completionTokens);
    put("reasoning_tokens", reasoningTokens);
    if (tokensPerSecond >= 0)
        object.insert(QStringLiteral("tokens_per_s"), tokensPerSecond);
    if (tokensEstimated)
        object.insert(QStringLiteral("tokens_estimated"), true);
    return object;
}

MessageMetrics MessageMetrics::fromJson(const QJsonObject &object)
{
    MessageMetrics metrics;
    metrics.timeToFirstTokenMs = integer(object, "ttft_ms");
    metrics.durationMs = integer(object, "duration_ms");
    metrics.thinkingMs = integer(object, "thinking_ms");
    metrics.promptTokens = integer(object, "prompt_tokens");
    metrics.completionTokens = integer(object, "completion_tokens");
    metrics.reasoningTokens = integer(object, "reasoning_tokens");
    metrics.tokensPerSecond = object.value(QLatin1String("tokens_per_s")).toDouble(-1);
    metrics.tokensEstimated = object.value(QLatin1String("tokens_estimated")).toBool();
    return metrics;
}

QString ChatMessage::roleName(Role role)
{
    return QLatin1String(roleNames[int(role)]);
}

QString ChatMessage::stateName(State state)
{
    return QLatin1String(stateNames[int(state)]);
}

Conversation Conversation::create()
{
    Conversation conversation;
    conversation.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    conversation.createdAt = QDateTime::currentDateTimeUtc();
    conversation.updatedAt = conversation.createdAt;
    return conversation;
}

ChatMessage Conversation::newMessage(ChatMessage::Role role, const QString &parentId)
{
    ChatMessage message;
    message.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    message.parentId = parentId;
    message.role = role;
    message.createdAt = QDateTime::currentDateTimeUtc();
    return message;
}

QList<ChatTurn> Conversation::historyUpTo(int index) const
{
    QList<ChatTurn> turns;
    for (int i = 0; i <= index && i < messages.size(); ++i) {
        const ChatMessage &message = messages.at(i);
        if (message.role == ChatMessage::Role::System || message.content.trimmed().isEmpty())
            continue;
        if (message.role == ChatMessage::Role::Assistant && message.state == ChatMessage::State::Failed)
            continue;
        turns.append({ChatMessage::roleName(message.role), message.content});
    }
    return turns;
}

QString Conversation::suggestedTitle() const
{
    for (const ChatMessage &message : messages) {
        if (message.role != ChatMessage::Role::User)
            continue;
        QString title = message.content.simplified();
        if (title.size() > 60)
            title = title.left(59) + QStringLiteral("…");
        return title;
    }
    return tr("New conversation");
}

QJsonObject Conversation::toJson() const
{
    QJsonArray messageArray;
    for (const ChatMessage &message : messages)
        messageArray.append(messageToJson(message));
    return QJsonObject{{QStringLiteral("format_version"), formatVersion},
                       {QStringLiteral("id"), id},
                       {QStringLiteral("title"), title},
                       {QStringLiteral("created_at"), isoTime(createdAt)},
                       {QStringLiteral("updated_at"), isoTime(updatedAt)},
                       {QStringLiteral("endpoint_url"), endpointUrl},
                       {QStringLiteral("model"), model},
                       {QStringLiteral("parameters"), parameters.toJson()},
                       {QStringLiteral("messages"), messageArray}};
}

std::optional<Conversation> Conversation::fromJson(const QJsonObject &object, QString *error)
{
    const int version = object.value(QLatin1String("format_version")).toInt(0);
    if (version < 1 || version > formatVersion) {
        if (error)
            *error = version > formatVersion
                         ? tr("It was saved by a newer Apolo Deploy Console (format %1); update the app to open it.")
                               .arg(version)
                         : tr("It is not a conversation file (no format_version).");
        return std::nullopt;
    }
    Conversation conversation;
    conversation.id = object.value(QLatin1String("id")).toString();
    if (conversation.id.isEmpty()) {
        if (error)
            *error = tr("It has no conversation id.");
        return std::nullopt;
    }
    conversation.title = object.value(QLatin1String("title")).toString();
    conversation.createdAt = fromIso(object.value(QLatin1String("created_at")));
    conversation.updatedAt = fromIso(object.value(QLatin1String("updated_at")));
    // Strip any user:password@ a hand-edited file may carry: credentials never live here.
    conversation.endpointUrl =
        QUrl(object.value(QLatin1String("endpoint_url")).toString()).adjusted(QUrl::RemoveUserInfo).toString();
    conversation.model = object.value(QLatin1String("model")).toString();
    conversation.parameters = ChatParameters::fromJson(object.value(QLatin1String("parameters")).toObject());
    const QJsonArray messageArray = object.value(QLatin1String("messages")).toArray();
    for (const QJsonValue &value : messageArray)
        conversation.messages.append(messageFromJson(value.toObject()));
    return conversation;
}

QString Conversation::toMarkdown() const
{
    QString markdown = QStringLiteral("# %1\n\n").arg(title.isEmpty() ? suggestedTitle() : title);
    if (!model.isEmpty())
        markdown += tr("Model: `%1`").arg(model) + QStringLiteral("  \n");
    markdown += tr("Saved: %1").arg(updatedAt.toString(Qt::ISODate)) + QStringLiteral("\n\n");
    for (const ChatMessage &message : messages) {
        const QString heading = message.role == ChatMessage::Role::User        ? tr("User")
                                : message.role == ChatMessage::Role::Assistant ? tr("Assistant")
                                                                               : tr("System");
        markdown += QStringLiteral("## %1\n\n").arg(heading);
        if (!message.reasoning.isEmpty()) {
            markdown += QStringLiteral("<details><summary>%1</summary>\n\n").arg(tr("Thinking"));
            markdown += message.reasoning.trimmed() + QStringLiteral("\n\n</details>\n\n");
        }
        markdown += message.content.trimmed() + QStringLiteral("\n\n");
        if (message.state == ChatMessage::State::Stopped)
            markdown += QStringLiteral("*%1*\n\n").arg(tr("(stopped)"));
        else if (message.state == ChatMessage::State::Interrupted)
            markdown += QStringLiteral("*%1*\n\n").arg(tr("(interrupted)"));
        else if (message.state == ChatMessage::State::Failed)
            markdown += QStringLiteral("*%1*\n\n").arg(tr("(failed: %1)").arg(message.error));
    }
    return markdown;
}

} // namespace ApoloDeploy
