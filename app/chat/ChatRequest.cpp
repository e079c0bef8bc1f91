// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/ChatRequest.h"

#include "chat/ReasoningSplitter.h"

#include <QJsonArray>

namespace ApoloDeploy {

namespace {

std::optional<double> optionalDouble(const QJsonObject &object, const char *key)
{
    const QJsonValue value = object.value(QLatin1String(key));
    return value.isDouble() ? std::optional<double>(value.toDouble()) : std::nullopt;
}

QJsonArray messagesJson(const QList<ChatTurn> &history, const ChatParameters &parameters)
{
    QJsonArray messages;
    if (!parameters.systemPrompt.trimmed().isEmpty())
        messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                                    {QStringLiteral("content"), parameters.systemPrompt}});
    for (const ChatTurn &turn : history)
        messages.append(QJsonObject{{QStringLiteral("role"), turn.role}, {QStringLiteral("content"), turn.content}});
    return messages;
}

void addSampling(QJsonObject &body, const ChatParameters &parameters, const QString &model)
{
    const ChatRequestBuilder::Sampling sampling = ChatRequestBuilder::effectiveSampling(parameters, model);
    if (sampling.temperature)
        body.insert(QStringLiteral("temperature"), *sampling.temperature);
    if (sampling.topP)
        body.insert(QStringLiteral("top_p"), *sampling.topP);
}

// Extras first, so what the console itself sets wins on a clash.
QJsonObject startBody(const ChatParameters &parameters)
{
    return parameters.extraFields;
}

void addStreaming(QJsonObject &body)
{
    body.insert(QStringLiteral("stream"), true);
    body.insert(QStringLiteral("stream_options"), QJsonObject{{QStringLiteral("include_usage"), true}});
}

} // namespace

QJsonObject ChatParameters::toJson() const
{
    QJsonObject object;
    if (temperature)
        object.insert(QStringLiteral("temperature"), *temperature);
    if (topP)
        object.insert(QStringLiteral("top_p"), *topP);
    if (maxTokens)
        object.insert(QStringLiteral("max_tokens"), *maxTokens);
    if (!systemPrompt.isEmpty())
        object.insert(QStringLiteral("system_prompt"), systemPrompt);
    static const char *const starts[] = {"auto", "thinking", "answer"};
    object.insert(QStringLiteral("thinking_start"), QLatin1String(starts[int(thinkingStart)]));
    if (!extraFields.isEmpty())
        object.insert(QStringLiteral("extra_fields"), extraFields);
    return object;
}

ChatParameters ChatParameters::fromJson(const QJsonObject &object)
{
    ChatParameters parameters;
    parameters.temperature = optionalDouble(object, "temperature");
    parameters.topP = optionalDouble(object, "top_p");
    if (object.value(QLatin1String("max_tokens")).isDouble())
        parameters.maxTokens = object.value(QLatin1String("max_tokens")).toInt();
    parameters.systemPrompt = object.value(QLatin1String("system_prompt")).toString();
    const QString start = object.value(QLatin1String("thinking_start")).toString();
    if (start == QLatin1String("thinking"))
        parameters.thinkingStart = ThinkingStart::Thinking;
    else if (start == QLatin1String("answer"))
        parameters.thinkingStart = ThinkingStart::Answer;
    parameters.extraFields = object.value(QLatin1String("extra_fields")).toObject();
    return parameters;
}

namespace ChatRequestBuilder {

bool startsInThinking(const ChatParameters &parameters, const QString &modelIdOrPath)
{
    switch (parameters.thinkingStart) {
    case ChatParameters::ThinkingStart::Thinking: return true;
    case ChatParameters::ThinkingStart::Answer: return false;
    case ChatParameters::ThinkingStart::Auto: break;
    }
    return ReasoningSplitter::isReasoningModel(modelIdOrPath);
}

Sampling effectiveSampling(const ChatParameters &parameters, const QString &modelIdOrPath)
{
    Sampling sampling{parameters.temperature, parameters.topP, false};
    if (ReasoningSplitter::isReasoningModel(modelIdOrPath)) {
        sampling.reasoningDefaults = !sampling.temperature || !sampling.topP;
        if (!sampling.temperature)
            sampling.temperature = r1Temperature;
        if (!sampling.topP)
            sampling.topP = r1TopP;
    }
    return sampling;
}

QJsonObject chatBody(const QString &model, const QList<ChatTurn> &history, const ChatParameters &parameters)
{
    QJsonObject body = startBody(parameters);
    body.insert(QStringLiteral("model"), model);
    body.insert(QStringLiteral("messages"), messagesJson(history, parameters));
    addSampling(body, parameters, model);
    if (parameters.maxTokens)
        body.insert(QStringLiteral("max_tokens"), *parameters.maxTokens);
    addStreaming(body);
    return body;
}

QJsonObject completionBody(const QString &model, const QString &prompt, const ChatParameters &parameters)
{
    QJsonObject body = startBody(parameters);
    body.insert(QStringLiteral("model"), model);
    body.insert(QStringLiteral("prompt"), prompt);
    addSampling(body, parameters, model);
    body.insert(QStringLiteral("max_tokens"), parameters.maxTokens.value_or(defaultCompletionMaxTokens));
    addStreaming(body);
    return body;
}

QJsonObject tokenizeBody(const QString &model, const QList<ChatTurn> &history, const ChatParameters &parameters)
{
    return QJsonObject{{QStringLiteral("model"), model},
                       {QStringLiteral("messages"), messagesJson(history, parameters)},
                       {QStringLiteral("add_generation_prompt"), true}};
}

} // namespace ChatRequestBuilder

} // namespace ApoloDeploy
