// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandbox/vllm/VllmTokenizer.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace ApoloDeploy::Sandbox {

// One generated token as the model would emit it.
struct GeneratedToken
{
    QString text;
    bool reasoning = false; // inside <think>…</think>
    bool thinkTag = false;  // the "<think>" or "</think>" token itself
};

struct Generation
{
    QList<GeneratedToken> tokens;
    QString finishReason; // "stop" or "length"
    QString stopReason;   // the stop string that ended it, empty for EOS/length

    QString rawText() const; // everything, tags included, as the model wrote it
};

struct ResponderPrompt
{
    QString lastUserMessage;
    QString servedModel;
    bool reasoningModel = false;
    bool templatePrefillsThink = false; // the "<think>\n" is part of the prompt, not the output
    quint32 seed = 0;                   // from the job id and the prompt: same question, same answer
    int maxTokens = 0;                  // output budget (reasoning included)
    QStringList stop;
    bool ignoreEos = false; // keep writing until maxTokens
};

// The sandbox's deterministic "model": an answer that says plainly it comes from apolo-sandbox,
// shaped like a real one (prose, a numbered list, a fenced code block) so clients and renderers
// get exercised, with a thinking section first for reasoning models.
class ChatResponder
{
public:
    explicit ChatResponder(const VllmTokenizer &tokenizer);

    Generation chat(const ResponderPrompt &prompt) const;
    // /v1/completions: a plain continuation of the prompt text.
    Generation complete(const ResponderPrompt &prompt) const;

    static quint32 seedFor(const QString &jobId, const QString &prompt);

private:
    QString reasoningText(const ResponderPrompt &prompt, quint32 variant) const;
    QString answerText(const ResponderPrompt &prompt, quint32 variant) const;
    Generation finish(QList<GeneratedToken> tokens, const ResponderPrompt &prompt, const QString &extension) const;

    const VllmTokenizer &m_tokenizer;
};

} // namespace ApoloDeploy::Sandbox
