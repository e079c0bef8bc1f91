// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/vllm/ChatResponder.h"

#include <QRegularExpression>

#include <random>

namespace ApoloDeploy::Sandbox {

namespace {

QString topicOf(const QString &message)
{
    QString topic = message.simplified();
    if (topic.isEmpty())
        return QStringLiteral("(an empty message)");
    if (topic.size() > 80)
        topic = topic.left(77) + QStringLiteral("...");
    return topic;
}

void appendPieces(QList<GeneratedToken> &tokens, const VllmTokenizer &tokenizer, const QString &text, bool reasoning)
{
    for (const QString &piece : tokenizer.pieces(text))
        tokens << GeneratedToken{piece, reasoning, false};
}

const char *const kListVariants[] = {
    "1. The request reaches the vLLM OpenAI-compatible server, which applies the chat template and "
    "tokenizes the messages.\n"
    "2. The scheduler batches it with other running sequences and reserves KV-cache blocks for it.\n"
    "3. Tokens are sampled step by step and streamed back as server-sent events until a stop condition.\n",
    "1. Check the prompt length against `max_model_len` so the request is not rejected with a 400.\n"
    "2. Watch `vllm:gpu_cache_usage_perc` on `/metrics` while several requests run at once.\n"
    "3. Keep the reasoning and the answer apart in the UI: the thinking can be long.\n",
    "1. Start the Ray head, then the worker that runs the API server.\n"
    "2. Wait for `Application startup complete.` before sending requests.\n"
    "3. Send a short prompt first and compare the token counts in `usage` with `/tokenize`.\n",
};

const char *const kClosings[] = {
    "Point the console at a real deployment to get an actual answer from the model.",
    "Everything above is canned sandbox text; only its shape mirrors what a real model returns.",
    "That is all the sandbox can say - the real model would have answered the question itself.",
};

const char *const kExtraParagraph =
    "\n\nThe sandbox keeps writing filler like this when a client asks it to ignore the end of sequence, so long "
    "streams, throughput meters and cancellation can be tested without a GPU.";

} // namespace

QString Generation::rawText() const
{
    QString text;
    for (const GeneratedToken &token : tokens)
        text += token.text;
    return text;
}

ChatResponder::ChatResponder(const VllmTokenizer &tokenizer)
    : m_tokenizer(tokenizer)
{}

quint32 ChatResponder::seedFor(const QString &jobId, const QString &prompt)
{
    quint32 hash = 2166136261u;
    for (char c : (jobId + QLatin1Char('\n') + prompt).toUtf8()) {
        hash ^= quint8(c);
        hash *= 16777619u;
    }
    return hash;
}

QString ChatResponder::reasoningText(const ResponderPrompt &prompt, quint32 variant) const
{
    static const char *const openers[] = {
        "Okay, the user wrote: ", "Alright, the message is: ", "Hmm, the user is asking: "};
    return QString::fromLatin1(openers[variant % 3]) % QLatin1Char('"') % topicOf(prompt.lastUserMessage) %
           QStringLiteral("\". I am the vLLM emulator inside apolo-sandbox, so no real ") % prompt.servedModel %
           QStringLiteral(" runs behind this endpoint, and I should say so plainly. Still, the reply should look like "
                          "a real answer so the console gets exercised: a short paragraph, a numbered list and a "
                          "fenced code block.\n\nLet me plan it. First, say where the answer comes from. Then list "
                          "what a real deployment would do with the request. Wait, I should also keep the answer "
                          "within max_tokens, and this thinking has to stay separate from the answer. Alright, "
                          "let me write it.");
}

QString ChatResponder::answerText(const ResponderPrompt &prompt, quint32 variant) const
{
    return QStringLiteral("This reply comes from **apolo-sandbox**, the emulator the Apolo Deploy Console uses for "
                          "tests - it was not produced by `") %
           prompt.servedModel % QStringLiteral("`.\n\nYou asked: *") % topicOf(prompt.lastUserMessage) %
           QStringLiteral("*\n\nHere is what a real deployment would do with it:\n\n") %
           QString::fromLatin1(kListVariants[(variant >> 4) % 3]) %
           QStringLiteral("\n```python\nfrom openai import OpenAI\n\nclient = OpenAI(base_url=\"http://localhost:8000/"
                          "v1\", api_key=\"EMPTY\")\nreply = client.chat.completions.create(\n    model=\"") %
           prompt.servedModel %
           QStringLiteral("\",\n    messages=[{\"role\": \"user\", \"content\": \"Hello\"}],\n)\n"
                          "print(reply.choices[0].message.content)\n```\n\n") %
           QString::fromLatin1(kClosings[(variant >> 8) % 3]);
}

Generation ChatResponder::chat(const ResponderPrompt &prompt) const
{
    std::mt19937 random(prompt.seed);
    const quint32 variant = random();
    QList<GeneratedToken> tokens;
    if (prompt.reasoningModel) {
        if (!prompt.templatePrefillsThink)
            tokens << GeneratedToken{QStringLiteral("<think>"), true, true};
        appendPieces(tokens, m_tokenizer, QStringLiteral("\n") + reasoningText(prompt, variant) + QStringLiteral("\n"),
                     true);
        tokens << GeneratedToken{QStringLiteral("</think>"), true, true};
        appendPieces(tokens, m_tokenizer, QStringLiteral("\n\n"), false);
    }
    appendPieces(tokens, m_tokenizer, answerText(prompt, variant), false);
    return finish(tokens, prompt, QString::fromLatin1(kExtraParagraph));
}

Generation ChatResponder::complete(const ResponderPrompt &prompt) const
{
    std::mt19937 random(prompt.seed);
    const quint32 variant = random();
    QList<GeneratedToken> tokens;
    appendPieces(tokens, m_tokenizer,
                 QStringLiteral(" - so continues the apolo-sandbox vLLM emulator, which writes this text instead of "
                                "a real model. ") %
                     QString::fromLatin1(kClosings[variant % 3]),
                 false);
    return finish(tokens, prompt,
                  QStringLiteral(" The sandbox repeats this sentence while the client asks for more tokens."));
}

Generation ChatResponder::finish(QList<GeneratedToken> tokens, const ResponderPrompt &prompt,
                                 const QString &extension) const
{
    Generation generation;
    generation.finishReason = QStringLiteral("stop");
    const int budget = prompt.maxTokens > 0 ? prompt.maxTokens : int(tokens.size());
    while (prompt.ignoreEos && tokens.size() < budget)
        appendPieces(tokens, m_tokenizer, extension, false);
    if (tokens.size() > budget) {
        tokens.resize(budget);
        generation.finishReason = QStringLiteral("length");
    }
    // A stop string ends the output right before it (include_stop_str_in_output is off by default).
    QString answer;
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        if (tokens.at(i).reasoning)
            continue;
        answer += tokens.at(i).text;
        for (const QString &stop : prompt.stop) {
            const qsizetype at = stop.isEmpty() ? -1 : answer.indexOf(stop);
            if (at < 0)
                continue;
            qsizetype overshoot = answer.size() - at;
            tokens.resize(i + 1);
            while (overshoot > 0 && !tokens.isEmpty()) {
                QString &last = tokens.last().text;
                const qsizetype cut = std::min(overshoot, last.size());
                last.chop(cut);
                overshoot -= cut;
                if (last.isEmpty())
                    tokens.removeLast();
            }
            generation.finishReason = QStringLiteral("stop");
            generation.stopReason = stop;
            generation.tokens = tokens;
            return generation;
        }
    }
    generation.tokens = tokens;
    return generation;
}

} // namespace ApoloDeploy::Sandbox
