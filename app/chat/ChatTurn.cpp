// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/ChatTurn.h"

#include "chat/OpenAiClient.h"

namespace ApoloDeploy {

QJsonObject ChatTurnResult::toJson() const
{
    QJsonObject object{
        {QStringLiteral("reasoning"), reasoning},
        {QStringLiteral("content"), content},
        {QStringLiteral("finish_reason"), finishReason.isEmpty() ? QJsonValue() : QJsonValue(finishReason)},
        {QStringLiteral("usage"), usage ? QJsonValue(usage->toJson()) : QJsonValue()},
        {QStringLiteral("ttft_ms"), timeToFirstTokenMs >= 0 ? QJsonValue(timeToFirstTokenMs) : QJsonValue()},
        {QStringLiteral("tokens_per_s"), tokensPerSecond >= 0 ? QJsonValue(tokensPerSecond) : QJsonValue()}};
    if (tokensPerSecondEstimated)
        object.insert(QStringLiteral("tokens_per_s_estimated"), true);
    if (thinkingMs >= 0)
        object.insert(QStringLiteral("thinking_ms"), thinkingMs);
    if (thinkingTruncated)
        object.insert(QStringLiteral("thinking_truncated"), true);
    if (thinkingBoundaryMissing)
        object.insert(QStringLiteral("thinking_boundary_missing"), true);
    if (!model.isEmpty())
        object.insert(QStringLiteral("model"), model);
    if (status == ChatStreamResult::Status::Stopped)
        object.insert(QStringLiteral("stopped"), true);
    if (!error.isNull())
        object.insert(QStringLiteral("error"), error.toJson());
    return object;
}

ChatTurnRunner::ChatTurnRunner(OpenAiClient *client, Endpoint endpoint, const QJsonObject &body, bool startsInThinking,
                               QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_endpoint(endpoint)
    , m_body(body)
    , m_splitter(startsInThinking ? ReasoningSplitter::StartMode::Thinking : ReasoningSplitter::StartMode::Answer)
{}

void ChatTurnRunner::start()
{
    if (m_stream)
        return;
    m_stream = m_endpoint == Endpoint::ChatCompletions ? m_client->streamChat(m_body, this)
                                                       : m_client->streamCompletion(m_body, this);
    connect(m_stream, &ChatStream::chunkReceived, this, &ChatTurnRunner::onChunk);
    connect(m_stream, &ChatStream::finished, this, &ChatTurnRunner::onFinished);
    if (m_stopRequested)
        m_stream->stop();
}

void ChatTurnRunner::stop()
{
    m_stopRequested = true;
    if (m_stream)
        m_stream->stop();
}

qint64 ChatTurnRunner::elapsedMs() const
{
    return m_stream ? m_stream->elapsedMs() : 0;
}

void ChatTurnRunner::onChunk(const ChatChunk &chunk, qint64 elapsedMs)
{
    const ReasoningSplitter::Pieces pieces = m_splitter.feed(chunk.reasoning, chunk.content, elapsedMs);
    if (!pieces.isEmpty())
        Q_EMIT piecesReceived(pieces);
}

void ChatTurnRunner::onFinished(const ChatStreamResult &streamResult)
{
    const ReasoningSplitter::Outcome outcome = m_splitter.finish(streamResult.finishReason, streamResult.elapsedMs);
    if (outcome.boundaryMissing)
        Q_EMIT textReclassified();
    else if (!outcome.flushed.isEmpty())
        Q_EMIT piecesReceived(outcome.flushed);

    ChatTurnResult result;
    result.status = streamResult.status;
    result.reasoning = m_splitter.reasoning();
    result.content = m_splitter.content();
    result.finishReason = streamResult.finishReason;
    result.usage = streamResult.usage;
    result.error = streamResult.error;
    result.model = streamResult.model;
    result.timeToFirstTokenMs = streamResult.firstChunkMs;
    result.durationMs = streamResult.elapsedMs;
    result.thinkingMs = m_splitter.thinkingDurationMs();
    result.thinkingTruncated = outcome.thinkingTruncated;
    result.thinkingBoundaryMissing = outcome.boundaryMissing;

    // Decode speed: tokens after the first one, over the time after the first one.
    const bool haveUsage = result.usage && result.usage->completionTokens >= 0;
    result.completionTokens =
        haveUsage ? result.usage->completionTokens : estimateTokens(result.reasoning) + estimateTokens(result.content);
    result.tokensPerSecondEstimated = !haveUsage;
    const qint64 generationMs = result.timeToFirstTokenMs >= 0 ? result.durationMs - result.timeToFirstTokenMs : 0;
    if (streamResult.serverTokensPerSecond >= 0) {
        result.tokensPerSecond = streamResult.serverTokensPerSecond;
        result.tokensPerSecondEstimated = false;
    } else if (generationMs > 0 && result.completionTokens > 1) {
        result.tokensPerSecond = (result.completionTokens - 1) * 1000.0 / generationMs;
    }
    Q_EMIT finished(result);
}

} // namespace ApoloDeploy
