// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/ReasoningSplitter.h"

#include <QRegularExpression>

namespace ApoloDeploy {

namespace {

const QString openTag = QStringLiteral("<think>");
const QString closeTag = QStringLiteral("</think>");

qsizetype leadingSpaces(const QString &text)
{
    qsizetype i = 0;
    while (i < text.size() && text.at(i).isSpace())
        ++i;
    return i;
}

// Length of the longest suffix of text that is a proper prefix of tag: bytes that might be the
// beginning of a tag whose rest is still on the wire.
qsizetype partialTagSuffix(const QString &text, const QString &tag)
{
    for (qsizetype length = std::min(text.size(), tag.size() - 1); length > 0; --length) {
        if (QStringView(text).right(length) == QStringView(tag).left(length))
            return length;
    }
    return 0;
}

} // namespace

ReasoningSplitter::ReasoningSplitter(StartMode mode)
    : m_state(State::Leading)
    , m_implicitThinking(mode == StartMode::Thinking)
{}

bool ReasoningSplitter::isReasoningModel(const QString &modelIdOrPath)
{
    static const QRegularExpression pattern(QStringLiteral("deepseek.*r1|deepseek-reasoner|qwq"),
                                            QRegularExpression::CaseInsensitiveOption);
    return pattern.match(modelIdOrPath).hasMatch();
}

ReasoningSplitter::Pieces ReasoningSplitter::feed(const QString &reasoningField, const QString &contentField,
                                                  qint64 elapsedMs)
{
    Pieces out;
    if (m_firstTokenMs < 0 && (!reasoningField.isEmpty() || !contentField.isEmpty()))
        m_firstTokenMs = elapsedMs;
    if (!reasoningField.isEmpty()) {
        if (!m_serverSplit && m_state != State::Answer) {
            // The server splits for us: whatever we were holding back is answer whitespace.
            m_pending.clear();
            m_state = State::Answer;
            m_stripLeadingNewlines = true;
            // vLLM's parser passes on the "\n" after <think>; inline thoughts lose it too.
            m_stripLeadingReasoningSpace = m_reasoning.isEmpty();
        }
        m_serverSplit = true;
        appendReasoning(reasoningField, out);
    }
    if (!contentField.isEmpty()) {
        if (m_serverSplit)
            appendContent(contentField, out);
        else
            splitContent(contentField, out);
    }
    noteTime(elapsedMs, !out.reasoning.isEmpty(), !out.content.isEmpty());
    return out;
}

void ReasoningSplitter::splitContent(const QString &text, Pieces &out)
{
    m_pending += text;
    if (m_state == State::Leading) {
        const QString trimmed = m_pending.mid(leadingSpaces(m_pending));
        if (trimmed.isEmpty() || (trimmed.size() < openTag.size() && openTag.startsWith(trimmed)))
            return; // could still become "<think>"
        if (trimmed.startsWith(openTag)) {
            m_implicitThinking = false; // the tag was explicit: a missing close is not the 0.7.2 bug
            m_state = State::Thinking;
            m_pending = trimmed.mid(openTag.size());
            m_stripLeadingReasoningSpace = true;
        } else {
            m_state = m_implicitThinking ? State::Thinking : State::Answer;
            m_pending = trimmed;
        }
    }
    if (m_state == State::Thinking) {
        const qsizetype close = m_pending.indexOf(closeTag);
        if (close < 0) {
            const qsizetype hold = partialTagSuffix(m_pending, closeTag);
            appendReasoning(m_pending.left(m_pending.size() - hold), out);
            m_pending = m_pending.right(hold);
            return;
        }
        appendReasoning(m_pending.left(close), out);
        m_pending = m_pending.mid(close + closeTag.size());
        m_state = State::Answer;
        m_stripLeadingNewlines = true;
    }
    appendContent(std::exchange(m_pending, QString()), out);
}

void ReasoningSplitter::appendReasoning(const QString &text, Pieces &out)
{
    QString piece = text;
    if (m_stripLeadingReasoningSpace) {
        piece.remove(0, leadingSpaces(piece));
        if (piece.isEmpty())
            return;
        m_stripLeadingReasoningSpace = false;
    }
    m_reasoning += piece;
    out.reasoning += piece;
}

void ReasoningSplitter::appendContent(const QString &text, Pieces &out)
{
    QString piece = text;
    if (m_stripLeadingNewlines) {
        piece.remove(0, leadingSpaces(piece));
        if (piece.isEmpty())
            return;
        m_stripLeadingNewlines = false;
    }
    m_content += piece;
    out.content += piece;
}

void ReasoningSplitter::noteTime(qint64 elapsedMs, bool reasoning, bool content)
{
    if (reasoning && m_firstReasoningMs < 0)
        m_firstReasoningMs = elapsedMs;
    if (content && m_firstContentMs < 0)
        m_firstContentMs = elapsedMs;
}

ReasoningSplitter::Outcome ReasoningSplitter::finish(const QString &finishReason, qint64 elapsedMs)
{
    Outcome outcome;
    m_finishedMs = elapsedMs;
    const QString pending = std::exchange(m_pending, QString());
    switch (m_state) {
    case State::Leading: appendContent(pending.trimmed(), outcome.flushed); break;
    case State::Thinking:
        appendReasoning(pending, outcome.flushed);
        if (finishReason == QLatin1String("length")) {
            outcome.thinkingTruncated = true;
        } else if (finishReason == QLatin1String("stop") && m_implicitThinking && !m_serverSplit) {
            outcome.boundaryMissing = true;
            m_content = std::exchange(m_reasoning, QString()) + m_content;
            m_firstContentMs = m_firstReasoningMs;
            m_firstReasoningMs = -1;
        }
        break;
    case State::Answer: appendContent(pending, outcome.flushed); break;
    }
    noteTime(elapsedMs, !outcome.flushed.reasoning.isEmpty(), !outcome.flushed.content.isEmpty());
    return outcome;
}

qint64 ReasoningSplitter::thinkingDurationMs() const
{
    if (m_firstReasoningMs < 0)
        return -1;
    if (m_firstContentMs >= 0)
        return m_firstContentMs - m_firstReasoningMs;
    if (m_finishedMs >= 0)
        return m_finishedMs - m_firstReasoningMs;
    return -1;
}

} // namespace ApoloDeploy
