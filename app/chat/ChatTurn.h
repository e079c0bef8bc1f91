// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chat/ChatStream.h"
#include "chat/ReasoningSplitter.h"

#include <QObject>
#include <QPointer>

namespace ApoloDeploy {

class OpenAiClient;

// Everything known about one answer once its stream ended.
struct ChatTurnResult
{
    ChatStreamResult::Status status = ChatStreamResult::Status::Failed;
    QString reasoning;
    QString content;
    QString finishReason;
    std::optional<ChatUsage> usage;
    ApiError error;
    qint64 timeToFirstTokenMs = -1;
    qint64 durationMs = 0;
    qint64 thinkingMs = -1;
    double tokensPerSecond = -1;
    bool tokensPerSecondEstimated = false; // no usage: characters / 4 over the generation time
    qint64 completionTokens = -1;          // from usage, else the same estimate
    bool thinkingTruncated = false;
    bool thinkingBoundaryMissing = false;
    QString model;

    QJsonObject toJson() const; // the `chat --json` object
};

// Runs one streamed answer: sends the request, splits reasoning from the answer as chunks
// arrive, and measures it. Shared by the chat pane (through ChatSession) and `apolo-deploy chat`.
class ChatTurnRunner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatTurnRunner)

public:
    enum class Endpoint { ChatCompletions, Completions };

    ChatTurnRunner(OpenAiClient *client, Endpoint endpoint, const QJsonObject &body, bool startsInThinking,
                   QObject *parent = nullptr);

    void start();
    void stop();
    bool isRunning() const { return m_stream && !m_stream->isFinished(); }
    const ReasoningSplitter &splitter() const { return m_splitter; }
    qint64 elapsedMs() const;

    // Estimated tokens per second while streaming (characters / 4), for a live read-out.
    static qint64 estimateTokens(const QString &text) { return (text.size() + 3) / 4; }

Q_SIGNALS:
    void piecesReceived(const ApoloDeploy::ReasoningSplitter::Pieces &pieces);
    // The splitter moved text between thinking and answer (the vLLM 0.7.2 lost-boundary case):
    // re-read splitter().reasoning() and content().
    void textReclassified();
    void finished(const ApoloDeploy::ChatTurnResult &result);

private:
    void onChunk(const ChatChunk &chunk, qint64 elapsedMs);
    void onFinished(const ChatStreamResult &streamResult);

    OpenAiClient *m_client;
    Endpoint m_endpoint;
    QJsonObject m_body;
    ReasoningSplitter m_splitter;
    QPointer<ChatStream> m_stream;
    bool m_stopRequested = false;
};

} // namespace ApoloDeploy
