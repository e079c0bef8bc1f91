// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/vllm/ChatTemplate.h"

namespace ApoloDeploy::Sandbox {

namespace {

bool isDeepSeekFamily(const ModelFacts &model)
{
    return model.modelType == QLatin1String("deepseek_v3") ||
           model.repoId.contains(QLatin1String("DeepSeek-R1-Distill"), Qt::CaseInsensitive);
}

// R1's template drops everything up to "</think>" from earlier assistant turns.
QString withoutThinking(const QString &content)
{
    const qsizetype end = content.lastIndexOf(QLatin1String("</think>"));
    return end < 0 ? content : content.mid(end + 8).trimmed();
}

} // namespace

QString renderChatPrompt(const ModelFacts &model, const QList<ChatTurn> &messages, bool templatePrefillsThink)
{
    QString prompt;
    if (isDeepSeekFamily(model)) {
        prompt = QStringLiteral("<｜begin▁of▁sentence｜>");
        for (const ChatTurn &turn : messages) {
            if (turn.role == QLatin1String("system"))
                prompt += turn.content;
            else if (turn.role == QLatin1String("assistant"))
                prompt += QStringLiteral("<｜Assistant｜>") % withoutThinking(turn.content) %
                          QStringLiteral("<｜end▁of▁sentence｜>");
            else
                prompt += QStringLiteral("<｜User｜>") % turn.content;
        }
        prompt += QStringLiteral("<｜Assistant｜>");
        if (templatePrefillsThink)
            prompt += QStringLiteral("<think>\n");
        return prompt;
    }
    if (model.modelType == QLatin1String("llama")) {
        prompt = QStringLiteral("<|begin_of_text|>");
        for (const ChatTurn &turn : messages)
            prompt += QStringLiteral("<|start_header_id|>") % turn.role % QStringLiteral("<|end_header_id|>\n\n") %
                      turn.content.trimmed() % QStringLiteral("<|eot_id|>");
        return prompt + QStringLiteral("<|start_header_id|>assistant<|end_header_id|>\n\n");
    }
    if (model.modelType == QLatin1String("mixtral")) {
        prompt = QStringLiteral("<s>");
        for (const ChatTurn &turn : messages) {
            if (turn.role == QLatin1String("assistant"))
                prompt += QLatin1Char(' ') % turn.content % QStringLiteral("</s>");
            else
                prompt += QStringLiteral("[INST] ") % turn.content % QStringLiteral(" [/INST]");
        }
        return prompt;
    }
    for (const ChatTurn &turn : messages) // ChatML (Qwen and the generic fallback)
        prompt += QStringLiteral("<|im_start|>") % turn.role % QLatin1Char('\n') % turn.content %
                  QStringLiteral("<|im_end|>\n");
    prompt += QStringLiteral("<|im_start|>assistant\n");
    if (templatePrefillsThink && model.reasoning)
        prompt += QStringLiteral("<think>\n");
    return prompt;
}

} // namespace ApoloDeploy::Sandbox
