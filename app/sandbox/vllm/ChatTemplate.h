// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandbox/vllm/ModelFacts.h"
#include "sandbox/vllm/OpenAiRequest.h"

#include <QList>
#include <QString>

namespace ApoloDeploy::Sandbox {

// The prompt text the model family's chat template renders (DeepSeek, Llama 3, ChatML, Mistral),
// so prompt token counts and the "Received request" log line look like the real server's.
QString renderChatPrompt(const ModelFacts &model, const QList<ChatTurn> &messages, bool templatePrefillsThink);

} // namespace ApoloDeploy::Sandbox
