// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/ChatStreamParser.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace ApoloDeploy {

namespace {

QString textOf(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toDouble());
    return {};
}

// Chat content may also be a list of parts ([{"type":"text","text":…}]); keep the text parts.
QString contentText(const QJsonValue &value)
{
    if (!value.isArray())
        return value.toString();
    QString text;
    const QJsonArray parts = value.toArray();
    for (const QJsonValue &part : parts)
        text += part.toObject().value(QLatin1String("text")).toString();
    return text;
}

QString reasoningText(const QJsonObject &delta)
{
    // Newer vLLM sends "reasoning" and may keep "reasoning_content" as an alias of the same text.
    for (const char *field : {"reasoning", "reasoning_content", "thinking"}) {
        const QJsonValue value = delta.value(QLatin1String(field));
        if (value.isString())
            return value.toString();
    }
    return {};
}

qint64 integerOr(const QJsonObject &object, const char *key, qint64 fallback)
{
    const QJsonValue value = object.value(QLatin1String(key));
    return value.isDouble() ? value.toInteger() : fallback;
}

} // namespace

QJsonObject ChatUsage::toJson() const
{
    QJsonObject object;
    if (promptTokens >= 0)
        object.insert(QStringLiteral("prompt_tokens"), promptTokens);
    if (completionTokens >= 0)
        object.insert(QStringLiteral("completion_tokens"), completionTokens);
    if (totalTokens >= 0)
        object.insert(QStringLiteral("total_tokens"), totalTokens);
    if (reasoningTokens >= 0)
        object.insert(QStringLiteral("reasoning_tokens"), reasoningTokens);
    return object;
}

std::optional<ChatUsage> ChatUsage::fromJson(const QJsonValue &value)
{
    if (!value.isObject())
        return std::nullopt;
    const QJsonObject object = value.toObject();
    ChatUsage usage;
    usage.promptTokens = integerOr(object, "prompt_tokens", -1);
    usage.completionTokens = integerOr(object, "completion_tokens", -1);
    usage.totalTokens = integerOr(object, "total_tokens", -1);
    usage.reasoningTokens = integerOr(object, "reasoning_tokens", -1);
    const QJsonObject details = object.value(QLatin1String("completion_tokens_details")).toObject();
    if (usage.reasoningTokens < 0)
        usage.reasoningTokens = integerOr(details, "reasoning_tokens", -1);
    if (usage.promptTokens < 0 && usage.completionTokens < 0 && usage.totalTokens < 0)
        return std::nullopt;
    return usage;
}

namespace ChatStreamParser {

ChatChunk parseObject(const QJsonObject &root)
{
    ChatChunk chunk;
    const ApiError error = ApiErrors::fromJson(root);
    if (!error.isNull() && !root.contains(QLatin1String("choices"))) {
        chunk.kind = ChatChunk::Kind::Error;
        chunk.error = error;
        return chunk;
    }
    chunk.kind = ChatChunk::Kind::Delta;
    chunk.id = root.value(QLatin1String("id")).toString();
    chunk.model = root.value(QLatin1String("model")).toString();
    chunk.usage = ChatUsage::fromJson(root.value(QLatin1String("usage")));
    const QJsonObject timings = root.value(QLatin1String("timings")).toObject();
    if (timings.value(QLatin1String("predicted_per_second")).isDouble())
        chunk.serverTokensPerSecond = timings.value(QLatin1String("predicted_per_second")).toDouble();

    const QJsonArray choices = root.value(QLatin1String("choices")).toArray();
    for (const QJsonValue &choiceValue : choices) {
        const QJsonObject choice = choiceValue.toObject();
        if (integerOr(choice, "index", 0) != 0)
            continue;
        // Streamed chat chunks carry "delta", non-streamed responses "message", completions "text".
        const QJsonObject delta = choice.contains(QLatin1String("delta"))
                                      ? choice.value(QLatin1String("delta")).toObject()
                                      : choice.value(QLatin1String("message")).toObject();
        chunk.role = delta.value(QLatin1String("role")).toString();
        chunk.content = contentText(delta.value(QLatin1String("content")));
        chunk.content += choice.value(QLatin1String("text")).toString();
        chunk.reasoning = reasoningText(delta);
        chunk.finishReason = choice.value(QLatin1String("finish_reason")).toString();
        chunk.stopReason = textOf(choice.value(QLatin1String("stop_reason")));
        break;
    }
    if (!choices.isEmpty() && chunk.role.isEmpty() && chunk.content.isEmpty() && chunk.reasoning.isEmpty() &&
        chunk.finishReason.isEmpty() && !chunk.usage) {
        bool hasChoiceZero = false;
        for (const QJsonValue &choiceValue : choices)
            hasChoiceZero |= integerOr(choiceValue.toObject(), "index", 0) == 0;
        if (!hasChoiceZero)
            chunk.kind = ChatChunk::Kind::Ignored;
    }
    return chunk;
}

ChatChunk parseEvent(const SseEvent &event)
{
    ChatChunk chunk;
    const QString data = event.data.trimmed();
    if (data == QLatin1String("[DONE]")) {
        chunk.kind = ChatChunk::Kind::Done;
        return chunk;
    }
    const bool errorEvent = event.type == QLatin1String("error");
    if (event.type != QLatin1String("message") && !errorEvent)
        return chunk; // e.g. "ping" events from proxies
    if (data.isEmpty())
        return chunk;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(data.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        if (errorEvent) {
            chunk.kind = ChatChunk::Kind::Error;
            chunk.error.message = data.left(500);
            return chunk;
        }
        chunk.kind = ChatChunk::Kind::Malformed;
        chunk.malformedText = data.left(200);
        return chunk;
    }
    chunk = parseObject(document.object());
    if (errorEvent && chunk.kind != ChatChunk::Kind::Error) {
        chunk.kind = ChatChunk::Kind::Error;
        chunk.error.message = data.left(500);
    }
    return chunk;
}

} // namespace ChatStreamParser

} // namespace ApoloDeploy
