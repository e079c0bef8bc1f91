// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/vllm/SseFormatter.h"

namespace ApoloDeploy::Sandbox::SseFormatter {

namespace {

QByteArray header(const ResponseIdentity &id, const char *object)
{
    return "{\"id\":" + jsonString(id.id) + ",\"object\":\"" + object +
           "\",\"created\":" + QByteArray::number(id.created) + ",\"model\":" + jsonString(id.model);
}

QByteArray usageJson(const TokenUsage &usage, bool withDetails)
{
    QByteArray json = "{\"prompt_tokens\":" + QByteArray::number(usage.promptTokens) +
                      ",\"total_tokens\":" + QByteArray::number(usage.total()) +
                      ",\"completion_tokens\":" + QByteArray::number(usage.completionTokens);
    if (withDetails)
        json += ",\"prompt_tokens_details\":null";
    return json + '}';
}

QByteArray optionalUsage(const std::optional<TokenUsage> &usage)
{
    return usage ? ",\"usage\":" + usageJson(*usage, false) : QByteArray();
}

QByteArray nullable(const QString &text)
{
    return text.isEmpty() ? QByteArray("null") : jsonString(text);
}

QByteArray chatChunk(const ResponseIdentity &id, int index, const QByteArray &delta, const QByteArray &finish,
                     const std::optional<TokenUsage> &usage)
{
    return header(id, "chat.completion.chunk") + ",\"choices\":[{\"index\":" + QByteArray::number(index) +
           ",\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":" + finish + "}]" + optionalUsage(usage) + '}';
}

QByteArray errorObject(const QString &message, const QString &type, int code, bool withObjectField)
{
    return QByteArray("{") + (withObjectField ? "\"object\":\"error\"," : "") + "\"message\":" + jsonString(message) +
           ",\"type\":" + jsonString(type) + ",\"param\":null,\"code\":" + QByteArray::number(code) + '}';
}

} // namespace

QByteArray jsonString(const QString &text)
{
    // pydantic writes UTF-8 as is and escapes only what JSON requires.
    QByteArray out;
    out.reserve(text.size() + 2);
    out += '"';
    for (const char c : text.toUtf8()) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (quint8(c) < 0x20)
                out += "\\u00" + QByteArray::number(quint8(c), 16).rightJustified(2, '0');
            else
                out += c;
        }
    }
    out += '"';
    return out;
}

QByteArray event(const QByteArray &json)
{
    return "data: " + json + "\n\n";
}

QByteArray done()
{
    return "data: [DONE]\n\n";
}

QByteArray chatRoleChunk(const ResponseIdentity &id, int index, const std::optional<TokenUsage> &usage)
{
    return chatChunk(id, index, "{\"role\":\"assistant\",\"content\":\"\"}", "null", usage);
}

QByteArray chatDeltaChunk(const ResponseIdentity &id, int index, const ShapedDelta &delta,
                          const QString &reasoningField, const std::optional<TokenUsage> &usage)
{
    QByteArrayList fields;
    if (delta.reasoning)
        fields << jsonString(reasoningField) + ':' + jsonString(*delta.reasoning);
    if (delta.content)
        fields << "\"content\":" + jsonString(*delta.content);
    return chatChunk(id, index, '{' + fields.join(',') + '}', "null", usage);
}

QByteArray chatFinishChunk(const ResponseIdentity &id, int index, const QString &finishReason,
                           const QString &stopReason, const std::optional<TokenUsage> &usage)
{
    return header(id, "chat.completion.chunk") + ",\"choices\":[{\"index\":" + QByteArray::number(index) +
           ",\"delta\":{},\"logprobs\":null,\"finish_reason\":" + jsonString(finishReason) +
           ",\"stop_reason\":" + nullable(stopReason) + "}]" + optionalUsage(usage) + '}';
}

QByteArray completionChunk(const ResponseIdentity &id, int index, const QString &text, const QString &finishReason,
                           const QString &stopReason, const std::optional<TokenUsage> &usage)
{
    return header(id, "text_completion") + ",\"choices\":[{\"index\":" + QByteArray::number(index) +
           ",\"text\":" + jsonString(text) + ",\"logprobs\":null,\"finish_reason\":" + nullable(finishReason) +
           ",\"stop_reason\":" + nullable(stopReason) + "}]" + optionalUsage(usage) + '}';
}

QByteArray usageChunk(const ResponseIdentity &id, const QByteArray &object, const TokenUsage &usage)
{
    return header(id, object.constData()) + ",\"choices\":[],\"usage\":" + usageJson(usage, false) + '}';
}

QByteArray chatCompletion(const ResponseIdentity &id, const QList<FinishedChoice> &choices, const TokenUsage &usage,
                          const QString &reasoningField)
{
    QByteArrayList items;
    for (int i = 0; i < choices.size(); ++i) {
        const FinishedChoice &choice = choices.at(i);
        const QByteArray reasoning =
            choice.message.reasoning ? jsonString(*choice.message.reasoning) : QByteArray("null");
        items << "{\"index\":" + QByteArray::number(i) + ",\"message\":{\"role\":\"assistant\"," +
                     jsonString(reasoningField) + ':' + reasoning +
                     ",\"content\":" + jsonString(choice.message.content) +
                     ",\"tool_calls\":[]},\"logprobs\":null,\"finish_reason\":" + jsonString(choice.finishReason) +
                     ",\"stop_reason\":" + nullable(choice.stopReason) + '}';
    }
    return header(id, "chat.completion") + ",\"choices\":[" + items.join(',') +
           "],\"usage\":" + usageJson(usage, true) + ",\"prompt_logprobs\":null}";
}

QByteArray textCompletion(const ResponseIdentity &id, const QList<FinishedChoice> &choices, const TokenUsage &usage)
{
    QByteArrayList items;
    for (int i = 0; i < choices.size(); ++i) {
        const FinishedChoice &choice = choices.at(i);
        items << "{\"index\":" + QByteArray::number(i) + ",\"text\":" + jsonString(choice.message.content) +
                     ",\"logprobs\":null,\"finish_reason\":" + jsonString(choice.finishReason) +
                     ",\"stop_reason\":" + nullable(choice.stopReason) + ",\"prompt_logprobs\":null}";
    }
    return header(id, "text_completion") + ",\"choices\":[" + items.join(',') +
           "],\"usage\":" + usageJson(usage, true) + '}';
}

QByteArray errorBody(bool nested, const QString &message, const QString &type, int code)
{
    if (nested)
        return "{\"error\":" + errorObject(message, type, code, false) + '}';
    return errorObject(message, type, code, true);
}

QByteArray streamError(bool nested, const QString &message, const QString &type, int code)
{
    return "{\"error\":" + errorObject(message, type, code, !nested) + '}';
}

} // namespace ApoloDeploy::Sandbox::SseFormatter
