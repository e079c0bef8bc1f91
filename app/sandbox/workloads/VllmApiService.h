// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandbox/HttpServer.h"
#include "sandbox/Workload.h"
#include "sandbox/vllm/ChatResponder.h"
#include "sandbox/vllm/ModelFacts.h"
#include "sandbox/vllm/ReasoningShaper.h"
#include "sandbox/vllm/VllmMetrics.h"
#include "sandbox/vllm/VllmTokenizer.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <memory>

namespace ApoloDeploy::Sandbox {

class CompletionStream;
struct OpenAiRequest;

// What the API server knows once the engine is up.
struct VllmApiConfig
{
    QStringList servedNames; // first one is echoed in responses and metrics
    QString root;            // the --model path
    int maxModelLen = 0;
    QString apiKey;                    // --api-key / VLLM_API_KEY
    bool requiresPlatformAuth = false; // the job's http.requires_auth: the ingress checks the token
    WorkloadHost *host = nullptr;
    QString jobId;
    ModelFacts model;
    bool templatePrefillsThink = false;
    ReasoningConfig reasoning;
    bool nestedErrors = false; // >= 0.10.1 error shape
    QString version = QStringLiteral("0.7.2");
    qint64 gpuBlocks = 0;
    int blockSize = 16;
    double gpuMemoryUtilization = 0.9;
    bool logRequests = true;
    bool logStats = true;
};

// The OpenAI-compatible HTTP API of one emulated vLLM server on its own loopback port:
// /health, /ping, /version, /v1/models, /v1/chat/completions, /v1/completions, /tokenize,
// /detokenize, /metrics, with vLLM 0.7.2's bodies, errors and server log lines.
class VllmApiService final : public QObject
{
    Q_OBJECT

public:
    explicit VllmApiService(VllmApiConfig config, QObject *parent = nullptr);
    ~VllmApiService() override;

    bool listen();
    quint16 port() const;

    const VllmApiConfig &config() const { return m_config; }
    const VllmTokenizer &tokenizer() const { return m_tokenizer; }
    const ChatResponder &responder() const { return m_responder; }
    VllmMetrics &metrics() { return m_metrics; }
    void log(const QString &level, const QString &source, const QString &message);
    void accessLog(const QByteArray &method, const QString &path, int status);
    QByteArray errorBody(int status, const QString &message) const;
    void streamFinished(CompletionStream *stream);

Q_SIGNALS:
    // Server log lines (request logs, access log, periodic stats) for the container output.
    void output(const QByteArray &bytes);

private:
    void handle(const HttpRequest &request, HttpResponder *responder);
    bool authorize(const HttpRequest &request, HttpResponder *responder);
    void serveModels(HttpResponder *responder);
    void serveTokenize(const HttpRequest &request, HttpResponder *responder, bool detokenize);
    void serveGeneration(const HttpRequest &request, HttpResponder *responder, bool chat);
    void respondError(const HttpRequest &request, HttpResponder *responder, int status, const QString &message);
    QString nextRequestId(bool chat);
    void logStats();
    void updateQueueMetrics();

    VllmApiConfig m_config;
    HttpServer m_server;
    VllmTokenizer m_tokenizer;
    ChatResponder m_responder;
    VllmMetrics m_metrics;
    QHash<int, QString> m_seenPieces; // token id -> text, for /detokenize
    QList<CompletionStream *> m_streams;
    quint64 m_requestCounter = 0;
    QTimer m_statsTimer;
    qint64 m_statsPromptTokens = 0;
    qint64 m_statsGenerationTokens = 0;
    QElapsedTimer m_statsClock;
    bool m_statsIdleReported = true;
};

} // namespace ApoloDeploy::Sandbox
