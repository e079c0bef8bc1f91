// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandbox/vllm/ReasoningShaper.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace ApoloDeploy::Sandbox {

struct TokenUsage
{
    int promptTokens = 0;
    int completionTokens = 0;
    int total() const { return promptTokens + completionTokens; }
};

// Fields every chunk of one response repeats.
struct ResponseIdentity
{
    QString id; // "chatcmpl-<32 hex>" or "cmpl-<32 hex>"
    qint64 created = 0;
    QString model; // the first served model name
};

struct FinishedChoice
{
    ShapedMessage message; // chat; for completions only content is used
    QString finishReason;
    QString stopReason; // empty: null
};

// vLLM's OpenAI wire format, byte for byte in key order: pydantic's model_dump_json with
// exclude_unset for stream chunks (absent, not null), full dumps for whole responses (vllm.md §2).
namespace SseFormatter {

QByteArray jsonString(const QString &text);
QByteArray event(const QByteArray &json); // "data: <json>\n\n"
QByteArray done();                        // "data: [DONE]\n\n"

QByteArray chatRoleChunk(const ResponseIdentity &id, int index, const std::optional<TokenUsage> &usage = {});
QByteArray chatDeltaChunk(const ResponseIdentity &id, int index, const ShapedDelta &delta,
                          const QString &reasoningField, const std::optional<TokenUsage> &usage = {});
QByteArray chatFinishChunk(const ResponseIdentity &id, int index, const QString &finishReason,
                           const QString &stopReason, const std::optional<TokenUsage> &usage = {});
QByteArray completionChunk(const ResponseIdentity &id, int index, const QString &text, const QString &finishReason = {},
                           const QString &stopReason = {}, const std::optional<TokenUsage> &usage = {});
// The final choice-less chunk sent when stream_options.include_usage is set.
QByteArray usageChunk(const ResponseIdentity &id, const QByteArray &object, const TokenUsage &usage);

QByteArray chatCompletion(const ResponseIdentity &id, const QList<FinishedChoice> &choices, const TokenUsage &usage,
                          const QString &reasoningField);
QByteArray textCompletion(const ResponseIdentity &id, const QList<FinishedChoice> &choices, const TokenUsage &usage);

// {"object":"error",…} up to 0.10.0, {"error":{…}} from 0.10.1 (vllm.md §2.4).
QByteArray errorBody(bool nested, const QString &message, const QString &type, int code);
// The mid-stream form: always wrapped in "error".
QByteArray streamError(bool nested, const QString &message, const QString &type, int code);

} // namespace SseFormatter

} // namespace ApoloDeploy::Sandbox
