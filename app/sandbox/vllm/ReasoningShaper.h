// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandbox/vllm/ChatResponder.h"

#include <QString>

#include <optional>

namespace ApoloDeploy::Sandbox {

// How the server hands a reasoning model's thinking to clients (vllm.md §3).
enum class ReasoningOutput {
    InlineContent,         // no reasoning parser: "<think>…</think>" stays in content
    ParserField,           // --enable-reasoning --reasoning-parser deepseek_r1: delta.reasoning_content
    ParserV072TemplateBug, // 0.7.2's parser with R1's "<think>\n"-prefilled template: no reasoning field,
                           // stream drops the lone "</think>" token, non-stream keeps it in content
};

struct ReasoningConfig
{
    ReasoningOutput output = ReasoningOutput::InlineContent;
    QString fieldName = QStringLiteral("reasoning_content"); // "reasoning" on servers after PR #27752
};

struct ShapedDelta
{
    std::optional<QString> reasoning;
    std::optional<QString> content;
    bool isEmpty() const { return !reasoning && !content; }
};

struct ShapedMessage
{
    std::optional<QString> reasoning; // null in JSON when absent
    QString content;
};

// Routes generated tokens to content or the reasoning field the way the configured server does.
class ReasoningShaper
{
public:
    explicit ReasoningShaper(ReasoningConfig config);

    // One streamed token; an empty delta means the server sends no chunk for it.
    ShapedDelta streamDelta(const GeneratedToken &token) const;
    ShapedMessage message(const Generation &generation) const;
    const ReasoningConfig &config() const { return m_config; }

private:
    ReasoningConfig m_config;
};

} // namespace ApoloDeploy::Sandbox
