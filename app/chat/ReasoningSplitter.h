// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace ApoloDeploy {

// Separates a model's thinking from its answer, whatever shape the server uses (vllm.md §3):
//   1. a reasoning field (delta.reasoning / delta.reasoning_content): the server already split;
//   2. inline "<think>…</think>" at the start of content (no reasoning parser on the server);
//   3. R1-family models whose chat template pre-fills "<think>\n": the opening tag never comes,
//      so the stream starts in thinking mode and the first "</think>" ends it (vLLM 0.7.2).
// Tags split across chunks ("<th" + "ink>") are recognised by holding back a short tail.
//
// Pure and incremental: feed() each delta in order with the elapsed time; finish() at the end.
class ReasoningSplitter
{
public:
    enum class StartMode {
        Answer,   // content is the answer unless it opens with "<think>"
        Thinking, // R1 family: content is thinking until "</think>", even without "<think>"
    };

    struct Pieces
    {
        QString reasoning;
        QString content;
        bool isEmpty() const { return reasoning.isEmpty() && content.isEmpty(); }
    };

    struct Outcome
    {
        Pieces flushed;                 // text held back for a possible tag, released at the end
        bool thinkingTruncated = false; // finish_reason "length" while still thinking
        // The stream started in implicit thinking mode and never closed it although the model
        // stopped normally: vLLM 0.7.2's parser drops a lone "</think>" token (vllm.md §3), so the
        // boundary is lost. Everything was moved to the answer; the caller should re-read
        // reasoning()/content() and tell the user why there is no thinking section.
        bool boundaryMissing = false;
    };

    explicit ReasoningSplitter(StartMode mode = StartMode::Answer);

    // elapsedMs: time since the request was sent (for "Thought for N s").
    Pieces feed(const QString &reasoningField, const QString &contentField, qint64 elapsedMs);
    Outcome finish(const QString &finishReason, qint64 elapsedMs);

    // Everything split so far (held-back bytes excluded until finish()).
    const QString &reasoning() const { return m_reasoning; }
    const QString &content() const { return m_content; }
    bool isThinking() const { return m_state == State::Thinking; }
    bool serverSplitsReasoning() const { return m_serverSplit; }
    // Time from the first reasoning to the first answer text; -1 when there was no thinking.
    qint64 thinkingDurationMs() const;
    qint64 firstTokenMs() const { return m_firstTokenMs; }

    // True for model ids or paths of the DeepSeek-R1 family (and QwQ), whose templates pre-fill
    // "<think>": matches "deepseek…r1" and "qwq", case-insensitively.
    static bool isReasoningModel(const QString &modelIdOrPath);

private:
    enum class State { Leading, Thinking, Answer };

    void splitContent(const QString &text, Pieces &out);
    void appendReasoning(const QString &text, Pieces &out);
    void appendContent(const QString &text, Pieces &out);
    void noteTime(qint64 elapsedMs, bool reasoning, bool content);

    State m_state;
    bool m_implicitThinking;
    bool m_serverSplit = false;
    bool m_stripLeadingNewlines = false;       // "</think>\n\n" before the answer
    bool m_stripLeadingReasoningSpace = false; // "<think>\n" before the thought
    QString m_pending;                         // a possible partial tag, or leading whitespace before "<think>"
    QString m_reasoning;
    QString m_content;
    qint64 m_firstTokenMs = -1;
    qint64 m_firstReasoningMs = -1;
    qint64 m_firstContentMs = -1;
    qint64 m_finishedMs = -1;
};

} // namespace ApoloDeploy
