// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chat/ChatStreamParser.h"
#include "chat/SseDecoder.h"

#include <QElapsedTimer>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace ApoloDeploy {

struct ChatStreamResult
{
    enum class Status {
        Completed, // the server finished ([DONE] or a finish_reason, and the reply ended cleanly)
        Stopped,   // the user stopped it: the partial answer is kept
        TimedOut,  // no bytes for inactivityTimeoutMs: the server or a proxy went silent
        Failed,    // HTTP error, error event, network error, or the stream broke off
    };
    Status status = Status::Failed;
    QString finishReason;
    std::optional<ChatUsage> usage;
    ApiError error;
    qint64 elapsedMs = 0;
    qint64 firstChunkMs = -1; // first non-empty content or reasoning delta
    double serverTokensPerSecond = -1;
    QString model; // as echoed by the server

    QString statusName() const;
};

// One streamed POST to /v1/chat/completions or /v1/completions. Emits each chunk as it is
// decoded and finished() exactly once. Created by OpenAiClient; deletes nothing on its own.
//
// Qt reports its own transfer timeout and a user abort() with the same OperationCanceledError
// (qt-anchors §4), so this class runs its own inactivity timer and keeps separate flags.
class ChatStream final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatStream)

public:
    ChatStream(QNetworkAccessManager *network, int inactivityTimeoutMs, QObject *parent = nullptr);
    ~ChatStream() override;

    // Sends the request (called by OpenAiClient once the bearer token is known).
    void start(const QNetworkRequest &request, const QByteArray &body);
    // Fails before sending (e.g. refusing to send a token over plain http).
    void failBeforeStart(const ApiError &error);
    // The user's stop: aborts the request; finished() reports Stopped.
    void stop();

    bool isFinished() const { return m_finished; }
    qint64 elapsedMs() const { return m_clock.elapsed(); }

Q_SIGNALS:
    void chunkReceived(const ApoloDeploy::ChatChunk &chunk, qint64 elapsedMs);
    void finished(const ApoloDeploy::ChatStreamResult &result);

private:
    void onReadyRead();
    void onReplyFinished();
    void onInactivity();
    void handleChunk(const ChatChunk &chunk);
    bool checkHttpStatus();
    void complete(ChatStreamResult result);

    QNetworkAccessManager *m_network;
    QPointer<QNetworkReply> m_reply;
    QTimer m_inactivity;
    QElapsedTimer m_clock;
    SseDecoder m_decoder;
    int m_httpStatus = 0;
    bool m_isEventStream = true;
    QByteArray m_body; // an error body or a non-streamed JSON answer, capped
    bool m_userStopped = false;
    bool m_timedOut = false;
    bool m_sawDone = false;
    bool m_finished = false;
    ChatStreamResult m_result;
};

} // namespace ApoloDeploy
