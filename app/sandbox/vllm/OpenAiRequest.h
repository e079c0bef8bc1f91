// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace ApoloDeploy::Sandbox {

struct ChatTurn
{
    QString role;
    QString content; // text parts joined when content is a list of parts
};

// The fields of ChatCompletionRequest / CompletionRequest the emulator acts on (vllm.md §1.3/1.4).
struct OpenAiRequest
{
    bool chat = true;
    QString model;
    QList<ChatTurn> messages; // chat
    QString prompt;           // completions
    std::optional<int> maxTokens;
    bool stream = false;
    bool includeUsage = false;
    bool continuousUsageStats = false;
    int n = 1;
    QStringList stop;
    bool ignoreEos = false;
    double temperature = 1.0;
    std::optional<qint64> seed;
    QStringList ignoredFields; // logged as "The following fields were present in the request but ignored"

    QString lastUserMessage() const;
};

struct OpenAiRequestParse
{
    bool ok = false;
    OpenAiRequest request;
    QString error; // the 400 message, worded as vLLM 0.7.2 words it
};

// Parses and validates a request body the way the pydantic models and SamplingParams do.
OpenAiRequestParse parseOpenAiRequest(const QByteArray &body, bool chat);

} // namespace ApoloDeploy::Sandbox
