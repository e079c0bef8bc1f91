// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/OpenAiClient.h"

#include "chat/ChatStream.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

namespace ApoloDeploy {

namespace {

constexpr int requestTimeoutMs = 30000;
constexpr qint64 maxBodyBytes = 32 * 1024 * 1024;

// Runs fn later from the event loop unless context died: callbacks are never synchronous.
void post(QObject *context, std::function<void()> fn)
{
    QPointer<QObject> guard(context);
    const bool hasContext = context != nullptr;
    QTimer::singleShot(0, QCoreApplication::instance(), [guard, hasContext, fn = std::move(fn)] {
        if (!hasContext || guard)
            fn();
    });
}

} // namespace

OpenAiClient::OpenAiClient(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_network(network)
{
    Q_ASSERT(network);
}

OpenAiClient::~OpenAiClient() = default;

QList<ServedModel> OpenAiClient::parseModelList(const QByteArray &body, QString *error)
{
    QList<ServedModel> models;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    const QJsonValue data = document.object().value(QLatin1String("data"));
    if (parseError.error != QJsonParseError::NoError || !data.isArray()) {
        if (error)
            *error = tr("The server's /v1/models answer is not an OpenAI model list. Is this an OpenAI-compatible "
                        "endpoint?");
        return models;
    }
    const QJsonArray array = data.toArray();
    for (const QJsonValue &value : array) {
        const QJsonObject card = value.toObject();
        ServedModel model;
        model.id = card.value(QLatin1String("id")).toString();
        model.root = card.value(QLatin1String("root")).toString();
        model.maxModelLen = card.value(QLatin1String("max_model_len")).toInteger(0);
        if (!model.id.isEmpty())
            models.append(model);
    }
    return models;
}

void OpenAiClient::prepare(const QUrl &url, QObject *context, std::function<void(const QNetworkRequest &)> ready,
                           std::function<void(const ApiError &)> fail)
{
    if (!m_endpoint.isValid()) {
        ApiError error;
        error.message = tr("No endpoint is set: pick a deployment or enter an OpenAI-compatible URL.");
        post(context, [fail, error] { fail(error); });
        return;
    }
    QNetworkRequest request(url);
    // Never replay the Authorization header to another origin on a redirect.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::SameOriginRedirectPolicy);
    if (m_endpoint.credential == ChatEndpoint::Credential::None || !m_endpoint.bearer) {
        post(context, [ready, request] { ready(request); });
        return;
    }
    if (!m_endpoint.mayAttachCredential()) {
        ApiError error;
        error.message = m_endpoint.securityWarning();
        post(context, [fail, error] { fail(error); });
        return;
    }
    QPointer<QObject> guard(context);
    const bool hasContext = context != nullptr;
    m_endpoint.bearer([guard, hasContext, ready, request](const QString &token) mutable {
        if (hasContext && !guard)
            return;
        if (!token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
        post(guard, [ready, request] { ready(request); });
    });
}

void OpenAiClient::send(const QByteArray &verb, const QUrl &url, const QByteArray &body, QObject *context,
                        std::function<void(int, const QByteArray &, const ApiError &)> done)
{
    QPointer<QObject> guard(context);
    const bool hasContext = context != nullptr;
    QPointer<QNetworkAccessManager> network(m_network);
    prepare(
        url, context,
        [=](const QNetworkRequest &prepared) {
            if (!network)
                return;
            QNetworkRequest request(prepared);
            request.setTransferTimeout(requestTimeoutMs);
            if (!body.isEmpty())
                request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
            QNetworkReply *reply = verb == "POST" ? network->post(request, body) : network->get(request);
            QObject::connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64) {
                if (received > maxBodyBytes)
                    reply->abort();
            });
            QObject::connect(reply, &QNetworkReply::finished, reply, [=] {
                reply->deleteLater();
                if (hasContext && !guard)
                    return;
                const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                const QByteArray bytes = reply->readAll();
                ApiError error;
                if (status >= 400)
                    error = ApiErrors::fromHttpResponse(
                        status, bytes, reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString());
                else if (reply->error() != QNetworkReply::NoError)
                    error.message = reply->errorString();
                done(status, bytes, error);
            });
        },
        [done](const ApiError &error) { done(0, {}, error); });
}

void OpenAiClient::listModels(QObject *context, std::function<void(const ModelListResult &)> done)
{
    send("GET", m_endpoint.apiUrl(QStringLiteral("/models")), {}, context,
         [done](int, const QByteArray &body, const ApiError &error) {
             ModelListResult result;
             result.error = error;
             if (error.isNull()) {
                 QString parseError;
                 result.models = parseModelList(body, &parseError);
                 result.error.message = parseError;
                 if (parseError.isEmpty() && result.models.isEmpty())
                     result.error.message = tr("The server serves no model yet.");
             }
             done(result);
         });
}

void OpenAiClient::countPromptTokens(const QJsonObject &tokenizeBody, QObject *context,
                                     std::function<void(const TokenCountResult &)> done)
{
    send("POST", m_endpoint.rootUrl(QStringLiteral("/tokenize")),
         QJsonDocument(tokenizeBody).toJson(QJsonDocument::Compact), context,
         [done](int status, const QByteArray &body, const ApiError &error) {
             TokenCountResult result;
             // Servers without /tokenize answer 404 or 405: the caller falls back to an estimate.
             result.unsupported = status == 404 || status == 405 || status == 501;
             if (!result.unsupported)
                 result.error = error;
             const QJsonObject object = QJsonDocument::fromJson(body).object();
             if (error.isNull()) {
                 result.count = object.value(QLatin1String("count")).toInteger(-1);
                 result.maxModelLen = object.value(QLatin1String("max_model_len")).toInteger(0);
                 if (result.count < 0)
                     result.unsupported = true;
             }
             done(result);
         });
}

void OpenAiClient::getText(const QString &rootPath, QObject *context, std::function<void(const TextResult &)> done)
{
    send("GET", m_endpoint.rootUrl(rootPath), {}, context, [done](int, const QByteArray &body, const ApiError &error) {
        done(TextResult{body, error});
    });
}

ChatStream *OpenAiClient::streamChat(const QJsonObject &body, QObject *parent)
{
    return startStream(QStringLiteral("/chat/completions"), body, parent);
}

ChatStream *OpenAiClient::streamCompletion(const QJsonObject &body, QObject *parent)
{
    return startStream(QStringLiteral("/completions"), body, parent);
}

ChatStream *OpenAiClient::startStream(const QString &apiPath, const QJsonObject &body, QObject *parent)
{
    auto *stream = new ChatStream(m_network, m_inactivityTimeoutMs, parent);
    const QByteArray bytes = QJsonDocument(body).toJson(QJsonDocument::Compact);
    QPointer<ChatStream> guard(stream);
    prepare(
        m_endpoint.apiUrl(apiPath), stream,
        [guard, bytes](const QNetworkRequest &request) {
            if (guard)
                guard->start(request, bytes);
        },
        [guard](const ApiError &error) {
            if (guard)
                guard->failBeforeStart(error);
        });
    return stream;
}

} // namespace ApoloDeploy
