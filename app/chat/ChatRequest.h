// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace ApoloDeploy {

// Sampling and prompt settings of a conversation. Unset values are not sent, so the server's
// defaults apply - except for R1-family models, which get DeepSeek's recommended values because
// vLLM 0.7.2 ignores the model's generation_config.json (vllm.md §1.3, §3).
struct ChatParameters
{
    enum class ThinkingStart {
        Auto,     // from the model name (ReasoningSplitter::isReasoningModel)
        Thinking, // the template pre-fills <think>: treat the start as thinking
        Answer,   // never assume thinking without an explicit <think>
    };

    std::optional<double> temperature;
    std::optional<double> topP;
    std::optional<int> maxTokens;
    QString systemPrompt;
    ThinkingStart thinkingStart = ThinkingStart::Auto;
    // vLLM's extra sampling fields, sent as top-level keys (vllm.md §1.3): top_k, min_p,
    // repetition_penalty, ignore_eos, seed... They never replace model, messages or stream.
    QJsonObject extraFields;

    bool operator==(const ChatParameters &other) const = default;
    QJsonObject toJson() const;
    static ChatParameters fromJson(const QJsonObject &object);
};

struct ChatTurn
{
    QString role; // "system", "user", "assistant"
    QString content;
};

namespace ChatRequestBuilder {

inline constexpr double r1Temperature = 0.6;
inline constexpr double r1TopP = 0.95;
// /v1/completions defaults max_tokens to 16 (OpenAI semantics), so we always send one.
inline constexpr int defaultCompletionMaxTokens = 2048;

struct Sampling
{
    std::optional<double> temperature;
    std::optional<double> topP;
    bool reasoningDefaults = false; // R1 values were filled in
};

bool startsInThinking(const ChatParameters &parameters, const QString &modelIdOrPath);
Sampling effectiveSampling(const ChatParameters &parameters, const QString &modelIdOrPath);

// POST /v1/chat/completions with stream and stream_options.include_usage. The system prompt,
// when set, is sent as the first message; history holds user and assistant turns only (final
// answers, never the thinking: R1's template drops it from earlier turns anyway).
QJsonObject chatBody(const QString &model, const QList<ChatTurn> &history, const ChatParameters &parameters);
// POST /v1/completions: no chat template is applied, the prompt is sent as is.
QJsonObject completionBody(const QString &model, const QString &prompt, const ChatParameters &parameters);
// POST /tokenize, chat form, to size the prompt against max_model_len.
QJsonObject tokenizeBody(const QString &model, const QList<ChatTurn> &history, const ChatParameters &parameters);

} // namespace ChatRequestBuilder

} // namespace ApoloDeploy
