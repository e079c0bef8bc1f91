// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chat/ApiError.h"
#include "chat/ChatEndpoint.h"
#include "chat/ChatRequest.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;

namespace ApoloDeploy {

class ChatStream;

struct ServedModel
{
    QString id;             // the name to send as "model"
    QString root;           // the model path (R1 detection also looks here)
    qint64 maxModelLen = 0; // 0 when the server does not say (vLLM 0.7.2 may not)
};

struct ModelListResult
{
    QList<ServedModel> models;
    ApiError error; // null on success
};

struct TokenCountResult
{
    qint64 count = -1;
    qint64 maxModelLen = 0;
    bool unsupported = false; // the server has no /tokenize (not vLLM): estimate instead
    ApiError error;
};

struct TextResult
{
    QByteArray body;
    ApiError error;
};

// Asynchronous client for OpenAI-compatible servers (vLLM first). Uses the application's shared
// QNetworkAccessManager (ApoloClient::network()). Every callback runs later from the event loop,
// and not at all when `context` was destroyed first.
class OpenAiClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OpenAiClient)

public:
    static constexpr int defaultInactivityTimeoutMs = 180000;

    explicit OpenAiClient(QNetworkAccessManager *network, QObject *parent = nullptr);
    ~OpenAiClient() override;

    void setEndpoint(const ChatEndpoint &endpoint) { m_endpoint = endpoint; }
    const ChatEndpoint &endpoint() const { return m_endpoint; }
    // Silence allowed between two stream reads; R1 keeps tokens flowing while it thinks, but a
    // 100k-token prompt can take a while to prefill.
    void setInactivityTimeoutMs(int ms) { m_inactivityTimeoutMs = ms; }
    int inactivityTimeoutMs() const { return m_inactivityTimeoutMs; }
    QNetworkAccessManager *network() const { return m_network; }

    void listModels(QObject *context, std::function<void(const ModelListResult &)> done);
    void countPromptTokens(const QJsonObject &tokenizeBody, QObject *context,
                           std::function<void(const TokenCountResult &)> done);
    // GET on the server root, e.g. "/metrics" or "/version" (not under /v1, not protected).
    void getText(const QString &rootPath, QObject *context, std::function<void(const TextResult &)> done);

    // Starts a streamed request; the stream is parented to `parent` and reports finished() once.
    ChatStream *streamChat(const QJsonObject &body, QObject *parent);
    ChatStream *streamCompletion(const QJsonObject &body, QObject *parent);

    static QList<ServedModel> parseModelList(const QByteArray &body, QString *error = nullptr);

private:
    ChatStream *startStream(const QString &apiPath, const QJsonObject &body, QObject *parent);
    // Calls ready(request) once the bearer token is known, or fail(error) when it must not be sent.
    void prepare(const QUrl &url, QObject *context, std::function<void(const QNetworkRequest &)> ready,
                 std::function<void(const ApiError &)> fail);
    void send(const QByteArray &verb, const QUrl &url, const QByteArray &body, QObject *context,
              std::function<void(int status, const QByteArray &body, const ApiError &error)> done);

    QNetworkAccessManager *m_network;
    ChatEndpoint m_endpoint;
    int m_inactivityTimeoutMs = defaultInactivityTimeoutMs;
};

} // namespace ApoloDeploy
