// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/vllm/OpenAiRequest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace ApoloDeploy::Sandbox {

namespace {

// Python's repr of decoded JSON, as pydantic puts the offending input into its error list.
QString pythonRepr(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null: return QStringLiteral("None");
    case QJsonValue::Bool: return value.toBool() ? QStringLiteral("True") : QStringLiteral("False");
    case QJsonValue::Double: {
        const double d = value.toDouble();
        return d == qint64(d) ? QString::number(qint64(d)) : QString::number(d);
    }
    case QJsonValue::String: return QLatin1Char('\'') % value.toString() % QLatin1Char('\'');
    case QJsonValue::Array: {
        QStringList items;
        for (const QJsonValue &item : value.toArray())
            items << pythonRepr(item);
        return QLatin1Char('[') % items.join(QStringLiteral(", ")) % QLatin1Char(']');
    }
    case QJsonValue::Object: {
        QStringList items;
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            items << QLatin1Char('\'') % it.key() % QStringLiteral("': ") % pythonRepr(it.value());
        return QLatin1Char('{') % items.join(QStringLiteral(", ")) % QLatin1Char('}');
    }
    default: return QStringLiteral("None");
    }
}

QString pydanticError(const QString &type, const QString &loc, const QString &msg, const QJsonValue &input)
{
    return QStringLiteral("[{'type': '") % type % QStringLiteral("', 'loc': ('body', ") % loc %
           QStringLiteral("), 'msg': '") % msg % QStringLiteral("', 'input': ") % pythonRepr(input) %
           QStringLiteral("}]");
}

QString contentText(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    QStringList parts;
    for (const QJsonValue &part : content.toArray()) {
        const QJsonObject object = part.toObject();
        if (object.value(QStringLiteral("type")).toString() == QLatin1String("text"))
            parts << object.value(QStringLiteral("text")).toString();
    }
    return parts.join(QLatin1Char('\n'));
}

const QSet<QString> &knownFields()
{
    static const QSet<QString> fields = {QStringLiteral("model"),
                                         QStringLiteral("messages"),
                                         QStringLiteral("prompt"),
                                         QStringLiteral("max_tokens"),
                                         QStringLiteral("max_completion_tokens"),
                                         QStringLiteral("stream"),
                                         QStringLiteral("stream_options"),
                                         QStringLiteral("n"),
                                         QStringLiteral("stop"),
                                         QStringLiteral("temperature"),
                                         QStringLiteral("top_p"),
                                         QStringLiteral("top_k"),
                                         QStringLiteral("min_p"),
                                         QStringLiteral("seed"),
                                         QStringLiteral("ignore_eos"),
                                         QStringLiteral("frequency_penalty"),
                                         QStringLiteral("presence_penalty"),
                                         QStringLiteral("repetition_penalty"),
                                         QStringLiteral("logprobs"),
                                         QStringLiteral("top_logprobs"),
                                         QStringLiteral("user"),
                                         QStringLiteral("echo"),
                                         QStringLiteral("min_tokens"),
                                         QStringLiteral("skip_special_tokens"),
                                         QStringLiteral("add_generation_prompt"),
                                         QStringLiteral("continue_final_message"),
                                         QStringLiteral("chat_template_kwargs"),
                                         QStringLiteral("tools"),
                                         QStringLiteral("tool_choice"),
                                         QStringLiteral("response_format"),
                                         QStringLiteral("stop_token_ids"),
                                         QStringLiteral("include_stop_str_in_output"),
                                         QStringLiteral("priority"),
                                         QStringLiteral("request_id"),
                                         QStringLiteral("logit_bias"),
                                         QStringLiteral("suffix"),
                                         QStringLiteral("guided_json"),
                                         QStringLiteral("guided_regex"),
                                         QStringLiteral("guided_choice"),
                                         QStringLiteral("best_of")};
    return fields;
}

} // namespace

QString OpenAiRequest::lastUserMessage() const
{
    if (!chat)
        return prompt;
    for (auto it = messages.crbegin(); it != messages.crend(); ++it) {
        if (it->role == QLatin1String("user"))
            return it->content;
    }
    return messages.isEmpty() ? QString() : messages.last().content;
}

OpenAiRequestParse parseOpenAiRequest(const QByteArray &body, bool chat)
{
    OpenAiRequestParse result;
    OpenAiRequest &request = result.request;
    request.chat = chat;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        result.error = pydanticError(QStringLiteral("json_invalid"), QStringLiteral("0"),
                                     QStringLiteral("JSON decode error"), QJsonObject());
        return result;
    }
    const QJsonObject object = document.object();
    const QJsonValue input(object);
    // 0.7.2 still requires "model" (optional from PR #13568 on).
    if (!object.contains(QStringLiteral("model"))) {
        result.error = pydanticError(QStringLiteral("missing"), QStringLiteral("'model'"),
                                     QStringLiteral("Field required"), input);
        return result;
    }
    request.model = object.value(QStringLiteral("model")).toString();
    const QString listKey = chat ? QStringLiteral("messages") : QStringLiteral("prompt");
    if (!object.contains(listKey)) {
        result.error = pydanticError(QStringLiteral("missing"), QLatin1Char('\'') % listKey % QLatin1Char('\''),
                                     QStringLiteral("Field required"), input);
        return result;
    }
    if (chat) {
        const QJsonValue messages = object.value(listKey);
        if (!messages.isArray()) {
            result.error = pydanticError(QStringLiteral("list_type"), QStringLiteral("'messages'"),
                                         QStringLiteral("Input should be a valid list"), messages);
            return result;
        }
        for (const QJsonValue &message : messages.toArray()) {
            const QJsonObject turn = message.toObject();
            request.messages << ChatTurn{turn.value(QStringLiteral("role")).toString(),
                                         contentText(turn.value(QStringLiteral("content")))};
        }
    } else {
        const QJsonValue prompt = object.value(listKey);
        request.prompt = prompt.isArray() ? prompt.toArray().first().toString() : prompt.toString();
    }
    for (const char *key : {"max_completion_tokens", "max_tokens", "n", "seed"}) {
        const QJsonValue value = object.value(QLatin1String(key));
        if (!value.isUndefined() && !value.isNull() &&
            (!value.isDouble() || value.toDouble() != qint64(value.toDouble()))) {
            result.error =
                pydanticError(QStringLiteral("int_parsing"), QLatin1Char('\'') % QLatin1String(key) % QLatin1Char('\''),
                              QStringLiteral("Input should be a valid integer, unable to parse string as an "
                                             "integer"),
                              value);
            return result;
        }
    }
    // The newer max_completion_tokens wins over the deprecated max_tokens.
    const QJsonValue maxCompletion = object.value(QStringLiteral("max_completion_tokens"));
    const QJsonValue maxTokens = object.value(QStringLiteral("max_tokens"));
    if (maxCompletion.isDouble())
        request.maxTokens = maxCompletion.toInt();
    else if (maxTokens.isDouble())
        request.maxTokens = maxTokens.toInt();
    else if (!chat)
        request.maxTokens = 16; // CompletionRequest's OpenAI default
    request.stream = object.value(QStringLiteral("stream")).toBool(false);
    const QJsonValue streamOptions = object.value(QStringLiteral("stream_options"));
    if (streamOptions.isObject()) {
        if (!request.stream) {
            result.error = QStringLiteral("[{'type': 'value_error', 'loc': ('body',), 'msg': 'Value error, Stream "
                                          "options can only be defined when `stream=True`.', 'input': ") %
                           pythonRepr(input) %
                           QStringLiteral(", 'ctx': {'error': ValueError('Stream options can only "
                                          "be defined when `stream=True`.')}}]");
            return result;
        }
        const QJsonObject options = streamOptions.toObject();
        request.includeUsage = options.value(QStringLiteral("include_usage")).toBool(true);
        request.continuousUsageStats = options.value(QStringLiteral("continuous_usage_stats")).toBool(false);
    }
    request.n = object.value(QStringLiteral("n")).toInt(1);
    const QJsonValue stop = object.value(QStringLiteral("stop"));
    if (stop.isString())
        request.stop << stop.toString();
    for (const QJsonValue &item : stop.toArray())
        request.stop << item.toString();
    request.ignoreEos = object.value(QStringLiteral("ignore_eos")).toBool(false);
    request.temperature = object.value(QStringLiteral("temperature")).toDouble(1.0);
    if (object.value(QStringLiteral("seed")).isDouble())
        request.seed = qint64(object.value(QStringLiteral("seed")).toDouble());
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!knownFields().contains(it.key()))
            request.ignoredFields << it.key();
    }
    // SamplingParams._verify_args: a ValueError that the server turns into a 400.
    if (request.n < 1)
        result.error = QStringLiteral("n must be at least 1, got %1.").arg(request.n);
    else if (request.temperature < 0)
        result.error = QStringLiteral("temperature must be non-negative, got %1.").arg(request.temperature);
    else if (request.maxTokens && *request.maxTokens < 1)
        result.error = QStringLiteral("max_tokens must be at least 1, got %1.").arg(*request.maxTokens);
    result.ok = result.error.isEmpty();
    return result;
}

} // namespace ApoloDeploy::Sandbox
