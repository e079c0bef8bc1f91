// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/vllm/ReasoningShaper.h"

namespace ApoloDeploy::Sandbox {

ReasoningShaper::ReasoningShaper(ReasoningConfig config)
    : m_config(std::move(config))
{}

ShapedDelta ReasoningShaper::streamDelta(const GeneratedToken &token) const
{
    ShapedDelta delta;
    switch (m_config.output) {
    case ReasoningOutput::InlineContent: delta.content = token.text; break;
    case ReasoningOutput::ParserField:
        if (token.thinkTag)
            break; // the parser swallows the tags themselves
        if (token.reasoning)
            delta.reasoning = token.text;
        else
            delta.content = token.text;
        break;
    case ReasoningOutput::ParserV072TemplateBug:
        // No "<think>" was ever seen, so every delta is content; a delta that is only the
        // "</think>" special token is skipped by the parser (vllm.md §3).
        if (!(token.thinkTag && token.text == QLatin1String("</think>")))
            delta.content = token.text;
        break;
    }
    return delta;
}

ShapedMessage ReasoningShaper::message(const Generation &generation) const
{
    ShapedMessage message;
    if (m_config.output != ReasoningOutput::ParserField) {
        // Inline, and 0.7.2's non-stream parser which needs both tags: everything is content.
        message.content = generation.rawText();
        return message;
    }
    QString reasoning;
    bool sawReasoning = false;
    for (const GeneratedToken &token : generation.tokens) {
        if (token.thinkTag)
            continue;
        if (token.reasoning) {
            reasoning += token.text;
            sawReasoning = true;
        } else {
            message.content += token.text;
        }
    }
    if (sawReasoning)
        message.reasoning = reasoning;
    return message;
}

} // namespace ApoloDeploy::Sandbox
