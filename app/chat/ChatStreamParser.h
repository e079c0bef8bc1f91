// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chat/ApiError.h"
#include "chat/SseDecoder.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace ApoloDeploy {

struct ChatUsage
{
    qint64 promptTokens = -1;
    qint64 completionTokens = -1;
    qint64 totalTokens = -1;
    qint64 reasoningTokens = -1; // completion_tokens_details.reasoning_tokens, when a server sends it

    bool operator==(const ChatUsage &other) const = default;
    QJsonObject toJson() const;
    static std::optional<ChatUsage> fromJson(const QJsonValue &value);
};

// What one event of a /v1/chat/completions or /v1/completions stream means for choice 0 (we
// always ask for n = 1; other indexes are ignored). Also used for a non-streamed response body.
struct ChatChunk
{
    enum class Kind {
        Delta,     // a normal chunk: any of the fields below may be set (or none: the usage chunk)
        Done,      // "data: [DONE]"
        Error,     // an error event ({"error": …} inside the stream)
        Malformed, // not JSON, or not an object: logged and skipped
        Ignored,   // another event type, an empty data line, a chunk for another choice index
    };
    Kind kind = Kind::Ignored;
    QString id;
    QString model;
    QString role;
    QString content;      // delta.content, or text for /v1/completions
    QString reasoning;    // delta.reasoning, else delta.reasoning_content (never both: they alias)
    QString finishReason; // "stop", "length", "tool_calls", "abort" … or empty
    QString stopReason;   // vLLM's matched stop string or token id, as text
    std::optional<ChatUsage> usage;
    double serverTokensPerSecond = -1; // llama.cpp's timings.predicted_per_second
    ApiError error;
    QString malformedText; // for Kind::Malformed, the start of the offending data
};

namespace ChatStreamParser {

// Interprets one SSE event (vllm.md §2.2, §2.3): fields are probed, never assumed, because vLLM
// omits unset fields and the usage chunk has "choices": [].
ChatChunk parseEvent(const SseEvent &event);
// Interprets one JSON object: a stream chunk, a non-streamed completion or an error.
ChatChunk parseObject(const QJsonObject &root);

} // namespace ChatStreamParser

} // namespace ApoloDeploy
