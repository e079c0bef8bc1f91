// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandbox/vllm/ChatResponder.h"
#include "sandbox/vllm/SseFormatter.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace ApoloDeploy::Sandbox {

class HttpResponder;
class VllmApiService;
struct HttpRequest;

// Everything one request will produce, decided up front (the sandbox's "model" is deterministic).
struct GenerationPlan
{
    bool chat = true;
    bool stream = false;
    bool includeUsage = false;
    bool continuousUsage = false;
    ResponseIdentity identity;
    QList<Generation> choices; // n
    int promptTokens = 0;
    QByteArray method; // for the access log line
    QString path;
};

// Plays one request's generation at the host's token rate: SSE chunks as tokens "decode", or one
// JSON body at the end; stops generating when the client goes away (vLLM aborts the request).
class CompletionStream final : public QObject
{
    Q_OBJECT

public:
    CompletionStream(VllmApiService *service, HttpResponder *responder, GenerationPlan plan);

    void start();
    bool isDecoding() const { return m_prefilled; }
    qint64 tokensInCache() const;
    int generatedTokens() const;

private:
    void beginDecoding();
    void tick();
    bool emitNextToken(int choice);
    void finishChoice(int choice);
    void complete();
    void abort();
    std::optional<TokenUsage> runningUsage() const;

    VllmApiService *m_service;
    QPointer<HttpResponder> m_responder;
    GenerationPlan m_plan;
    ReasoningShaper m_shaper;
    QList<int> m_emitted; // tokens emitted per choice
    QList<bool> m_finished;
    QTimer m_timer;
    QElapsedTimer m_clock;
    double m_firstTokenSeconds = -1;
    qint64 m_decodeStartMs = 0;
    bool m_prefilled = false;
    bool m_done = false;
};

} // namespace ApoloDeploy::Sandbox
