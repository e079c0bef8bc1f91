// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/ChatStream.h"

#include "chat/ChatLogging.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace ApoloDeploy {

namespace {

constexpr qsizetype maxBufferedBody = 4 * 1024 * 1024;

} // namespace

QString ChatStreamResult::statusName() const
{
    switch (status) {
    case Status::Completed: return QStringLiteral("completed");
    case Status::Stopped: return QStringLiteral("stopped");
    case Status::TimedOut: return QStringLiteral("timed_out");
    case Status::Failed: return QStringLiteral("failed");
    }
    return {};
}

ChatStream::ChatStream(QNetworkAccessManager *network, int inactivityTimeoutMs, QObject *parent)
    : QObject(parent)
    , m_network(network)
{
    m_clock.start();
    m_inactivity.setSingleShot(true);
    m_inactivity.setInterval(inactivityTimeoutMs);
    connect(&m_inactivity, &QTimer::timeout, this, &ChatStream::onInactivity);
}

ChatStream::~ChatStream()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void ChatStream::start(const QNetworkRequest &request, const QByteArray &body)
{
    if (m_finished)
        return;
    if (m_userStopped) { // stopped while the token was being fetched
        ChatStreamResult result;
        result.status = ChatStreamResult::Status::Stopped;
        complete(result);
        return;
    }
    QNetworkRequest streamingRequest(request);
    streamingRequest.setRawHeader("Accept", "text/event-stream");
    streamingRequest.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    streamingRequest.setTransferTimeout(0); // ours is below, so a timeout is told apart from a stop
    m_reply = m_network->post(streamingRequest, body);
    connect(m_reply, &QNetworkReply::readyRead, this, &ChatStream::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &ChatStream::onReplyFinished);
    m_inactivity.start();
}

void ChatStream::failBeforeStart(const ApiError &error)
{
    ChatStreamResult result;
    result.status = ChatStreamResult::Status::Failed;
    result.error = error;
    complete(result);
}

void ChatStream::stop()
{
    if (m_finished)
        return;
    m_userStopped = true;
    if (m_reply)
        m_reply->abort(); // finished() follows synchronously and reports Stopped
}

void ChatStream::onInactivity()
{
    if (!m_reply || m_finished)
        return;
    m_timedOut = true;
    m_reply->abort();
}

bool ChatStream::checkHttpStatus()
{
    if (m_httpStatus != 0)
        return m_httpStatus >= 200 && m_httpStatus < 300;
    m_httpStatus = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray contentType = m_reply->header(QNetworkRequest::ContentTypeHeader).toByteArray().toLower();
    m_isEventStream = contentType.startsWith("text/event-stream");
    return m_httpStatus >= 200 && m_httpStatus < 300;
}

void ChatStream::onReadyRead()
{
    if (m_finished || !m_reply)
        return;
    m_inactivity.start();
    const QByteArray bytes = m_reply->readAll();
    if (!checkHttpStatus() || !m_isEventStream) {
        if (m_body.size() < maxBufferedBody)
            m_body += bytes.left(maxBufferedBody - m_body.size());
        return;
    }
    const QList<SseEvent> events = m_decoder.feed(bytes);
    for (const SseEvent &event : events)
        handleChunk(ChatStreamParser::parseEvent(event));
    if (m_decoder.hasError()) {
        m_result.error.message = m_decoder.errorString();
        m_reply->abort();
    }
}

void ChatStream::handleChunk(const ChatChunk &chunk)
{
    switch (chunk.kind) {
    case ChatChunk::Kind::Done: m_sawDone = true; return;
    case ChatChunk::Kind::Error:
        // vLLM follows an error event with [DONE]; keep reading so the reply ends cleanly.
        if (m_result.error.isNull())
            m_result.error = chunk.error;
        return;
    case ChatChunk::Kind::Malformed:
        qCWarning(lcChat) << "skipping a stream event that is not JSON:" << chunk.malformedText;
        return;
    case ChatChunk::Kind::Ignored: return;
    case ChatChunk::Kind::Delta: break;
    }
    const qint64 elapsed = m_clock.elapsed();
    if (m_result.firstChunkMs < 0 && (!chunk.content.isEmpty() || !chunk.reasoning.isEmpty()))
        m_result.firstChunkMs = elapsed;
    if (!chunk.finishReason.isEmpty())
        m_result.finishReason = chunk.finishReason;
    if (chunk.usage)
        m_result.usage = chunk.usage;
    if (chunk.serverTokensPerSecond >= 0)
        m_result.serverTokensPerSecond = chunk.serverTokensPerSecond;
    if (!chunk.model.isEmpty())
        m_result.model = chunk.model;
    Q_EMIT chunkReceived(chunk, elapsed);
}

void ChatStream::onReplyFinished()
{
    if (m_finished || !m_reply)
        return;
    m_inactivity.stop();
    if (!m_reply->isFinished())
        return;
    // Bytes that arrived together with the end of the reply.
    if (m_reply->bytesAvailable() > 0)
        onReadyRead();
    checkHttpStatus();
    const QNetworkReply::NetworkError networkError = m_reply->error();
    ChatStreamResult result = m_result;
    result.status = ChatStreamResult::Status::Completed;

    const bool httpOk = m_httpStatus >= 200 && m_httpStatus < 300;
    if (m_userStopped) {
        result.status = ChatStreamResult::Status::Stopped;
        result.error = {};
    } else if (m_timedOut) {
        result.status = ChatStreamResult::Status::TimedOut;
        result.error.message = tr("The server sent nothing for %1 s; the request was abandoned. The model may be "
                                  "overloaded or a proxy cut the idle connection.")
                                   .arg(m_inactivity.interval() / 1000);
    } else if (m_httpStatus != 0 && !httpOk) {
        result.status = ChatStreamResult::Status::Failed;
        result.error = ApiErrors::fromHttpResponse(
            m_httpStatus, m_body, m_reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString());
    } else if (!result.error.isNull()) {
        result.status = ChatStreamResult::Status::Failed; // an error event, or the decoder gave up
    } else if (networkError != QNetworkReply::NoError) {
        result.status = ChatStreamResult::Status::Failed;
        result.error.message = m_reply->errorString();
    } else if (!m_isEventStream) {
        // The server ignored "stream": a whole JSON answer (or an error) arrived at once.
        const ChatChunk chunk = ChatStreamParser::parseObject(QJsonDocument::fromJson(m_body).object());
        if (chunk.kind == ChatChunk::Kind::Error) {
            result.status = ChatStreamResult::Status::Failed;
            result.error = chunk.error;
        } else {
            handleChunk(chunk);
            result = m_result;
            result.status = ChatStreamResult::Status::Completed;
        }
    } else if (!m_sawDone && result.finishReason.isEmpty()) {
        result.status = ChatStreamResult::Status::Failed;
        result.error.message = tr("The connection closed before the answer was complete; the partial answer is kept.");
    }
    result.elapsedMs = m_clock.elapsed();
    m_reply->deleteLater();
    m_reply = nullptr;
    complete(result);
}

void ChatStream::complete(ChatStreamResult result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_inactivity.stop();
    result.elapsedMs = m_clock.elapsed();
    Q_EMIT finished(result);
}

} // namespace ApoloDeploy
