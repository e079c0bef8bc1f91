// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/workloads/VllmApiService.h"

#include "sandbox/vllm/ChatTemplate.h"
#include "sandbox/vllm/LogScriptLine.h"
#include "sandbox/vllm/OpenAiRequest.h"
#include "sandbox/workloads/CompletionStream.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <random>

namespace ApoloDeploy::Sandbox {

namespace {

QString errorType(int status)
{
    switch (status) {
    case 404: return QStringLiteral("NotFoundError");
    case 500: return QStringLiteral("InternalServerError");
    default: return QStringLiteral("BadRequestError");
    }
}

QByteArray statusPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    default: return "Internal Server Error";
    }
}

QString hex32(quint64 a, quint64 b)
{
    return QStringLiteral("%1%2").arg(a, 16, 16, QLatin1Char('0')).arg(b, 16, 16, QLatin1Char('0'));
}

} // namespace

VllmApiService::VllmApiService(VllmApiConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_tokenizer(m_config.model.vocabSize)
    , m_responder(m_tokenizer)
    , m_metrics(m_config.servedNames.value(0), m_config.gpuBlocks, m_config.blockSize, m_config.gpuMemoryUtilization,
                QDateTime::currentSecsSinceEpoch())
{
    m_server.setHandler([this](const HttpRequest &request, HttpResponder *responder) { handle(request, responder); });
    // V0 logs engine stats every 5 s while it has work, and once more when it goes idle.
    connect(&m_statsTimer, &QTimer::timeout, this, &VllmApiService::logStats);
    m_statsTimer.start(5000);
    m_statsClock.start();
}

VllmApiService::~VllmApiService()
{
    // Streams go first: closing the server's sockets below would otherwise make them log aborts
    // into a half-destroyed service.
    const QList<CompletionStream *> streams = m_streams;
    m_streams.clear();
    qDeleteAll(streams);
}

bool VllmApiService::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

quint16 VllmApiService::port() const
{
    return m_server.port();
}

void VllmApiService::log(const QString &level, const QString &source, const QString &message)
{
    Q_EMIT output(LogScriptLine::vllm(0, level, source, message).render(QDateTime::currentDateTimeUtc()).toUtf8());
}

void VllmApiService::accessLog(const QByteArray &method, const QString &path, int status)
{
    const int peerPort = 40000 + int(m_requestCounter * 7919 % 20000);
    Q_EMIT output("INFO:     127.0.0.1:" + QByteArray::number(peerPort) + " - \"" + method + ' ' + path.toUtf8() +
                  " HTTP/1.1\" " + QByteArray::number(status) + ' ' + statusPhrase(status) + '\n');
}

QByteArray VllmApiService::errorBody(int status, const QString &message) const
{
    return SseFormatter::errorBody(m_config.nestedErrors, message, errorType(status), status);
}

void VllmApiService::respondError(const HttpRequest &request, HttpResponder *responder, int status,
                                  const QString &message)
{
    responder->respond(status, "application/json", errorBody(status, message));
    accessLog(request.method, request.path, status);
}

bool VllmApiService::authorize(const HttpRequest &request, HttpResponder *responder)
{
    // The platform ingress checks the Apolo token first when the job's http port requires auth.
    if (m_config.requiresPlatformAuth && m_config.host && !m_config.host->isValidPlatformToken(request.bearerToken())) {
        responder->respond(401, "text/plain; charset=utf-8", "401: Unauthorized");
        return false;
    }
    // vLLM's middleware: only /v1 paths, OPTIONS passes, the body's "error" is a plain string.
    if (!m_config.apiKey.isEmpty() && request.path.startsWith(QLatin1String("/v1")) && request.method != "OPTIONS" &&
        request.header("authorization") != "Bearer " + m_config.apiKey.toUtf8()) {
        responder->respond(401, "application/json", "{\"error\":\"Unauthorized\"}");
        accessLog(request.method, request.path, 401);
        return false;
    }
    return true;
}

void VllmApiService::handle(const HttpRequest &request, HttpResponder *responder)
{
    if (!authorize(request, responder))
        return;
    const QString path = request.path;
    const bool get = request.method == "GET" || request.method == "HEAD";
    const bool post = request.method == "POST";
    auto wrongMethod = [&] {
        responder->respond(405, "application/json", "{\"detail\":\"Method Not Allowed\"}");
        accessLog(request.method, path, 405);
    };
    if (path == QLatin1String("/health") || path == QLatin1String("/ping")) {
        if (!get && !(post && path == QLatin1String("/ping")))
            return wrongMethod();
        responder->respond(200, QByteArray(), QByteArray());
        accessLog(request.method, path, 200);
    } else if (path == QLatin1String("/version")) {
        responder->respond(200, "application/json", "{\"version\":\"" + m_config.version.toUtf8() + "\"}");
        accessLog(request.method, path, 200);
    } else if (path == QLatin1String("/v1/models")) {
        get ? serveModels(responder) : wrongMethod();
        if (get)
            accessLog(request.method, path, 200);
    } else if (path == QLatin1String("/metrics")) {
        updateQueueMetrics();
        responder->respond(200, "text/plain; version=0.0.4; charset=utf-8", m_metrics.render());
        accessLog(request.method, path, 200);
    } else if (path == QLatin1String("/tokenize") || path == QLatin1String("/detokenize")) {
        post ? serveTokenize(request, responder, path == QLatin1String("/detokenize")) : wrongMethod();
    } else if (path == QLatin1String("/v1/chat/completions") || path == QLatin1String("/v1/completions")) {
        post ? serveGeneration(request, responder, path == QLatin1String("/v1/chat/completions")) : wrongMethod();
    } else if (path == QLatin1String("/v1/embeddings")) {
        respondError(request, responder, 400, QStringLiteral("The model does not support Embeddings API"));
    } else if (path == QLatin1String("/openapi.json")) {
        responder->respond(
            200, "application/json",
            "{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"FastAPI\",\"version\":\"0.1.0\"},\"paths\":{}}");
        accessLog(request.method, path, 200);
    } else {
        responder->respond(404, "application/json", "{\"detail\":\"Not Found\"}");
        accessLog(request.method, path, 404);
    }
}

void VllmApiService::serveModels(HttpResponder *responder)
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    std::mt19937_64 random(now);
    QJsonArray data;
    for (const QString &name : std::as_const(m_config.servedNames)) {
        const QJsonObject permission{
            {QStringLiteral("id"), QString(QStringLiteral("modelperm-") + hex32(random(), random()))},
            {QStringLiteral("object"), QStringLiteral("model_permission")},
            {QStringLiteral("created"), now},
            {QStringLiteral("allow_create_engine"), false},
            {QStringLiteral("allow_sampling"), true},
            {QStringLiteral("allow_logprobs"), true},
            {QStringLiteral("allow_search_indices"), false},
            {QStringLiteral("allow_view"), true},
            {QStringLiteral("allow_fine_tuning"), false},
            {QStringLiteral("organization"), QStringLiteral("*")},
            {QStringLiteral("group"), QJsonValue::Null},
            {QStringLiteral("is_blocking"), false}};
        data.append(QJsonObject{{QStringLiteral("id"), name},
                                {QStringLiteral("object"), QStringLiteral("model")},
                                {QStringLiteral("created"), now},
                                {QStringLiteral("owned_by"), QStringLiteral("vllm")},
                                {QStringLiteral("root"), m_config.root},
                                {QStringLiteral("parent"), QJsonValue::Null},
                                {QStringLiteral("max_model_len"), m_config.maxModelLen},
                                {QStringLiteral("permission"), QJsonArray{permission}}});
    }
    responder->respondJson(
        200, QJsonObject{{QStringLiteral("object"), QStringLiteral("list")}, {QStringLiteral("data"), data}});
}

void VllmApiService::serveTokenize(const HttpRequest &request, HttpResponder *responder, bool detokenize)
{
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    if (detokenize) {
        QString prompt;
        for (const QJsonValue &id : body.value(QStringLiteral("tokens")).toArray())
            prompt += m_seenPieces.value(id.toInt());
        responder->respondJson(200, QJsonObject{{QStringLiteral("prompt"), prompt}});
        accessLog(request.method, request.path, 200);
        return;
    }
    QString text;
    if (body.contains(QStringLiteral("messages"))) {
        const OpenAiRequestParse parse = parseOpenAiRequest(request.body, true);
        text = renderChatPrompt(m_config.model, parse.request.messages,
                                body.value(QStringLiteral("add_generation_prompt")).toBool(true) &&
                                    m_config.templatePrefillsThink);
    } else {
        text = body.value(QStringLiteral("prompt")).toString();
    }
    QJsonArray tokens;
    for (const QString &piece : m_tokenizer.pieces(text)) {
        const int id = m_tokenizer.tokenId(piece);
        if (m_seenPieces.size() < 200000)
            m_seenPieces.insert(id, piece);
        tokens.append(id);
    }
    responder->respondJson(200, QJsonObject{{QStringLiteral("count"), tokens.size()},
                                            {QStringLiteral("max_model_len"), m_config.maxModelLen},
                                            {QStringLiteral("tokens"), tokens}});
    accessLog(request.method, request.path, 200);
}

QString VllmApiService::nextRequestId(bool chat)
{
    std::mt19937_64 random(ChatResponder::seedFor(m_config.jobId, QString::number(++m_requestCounter)));
    return QString((chat ? QStringLiteral("chatcmpl-") : QStringLiteral("cmpl-")) + hex32(random(), random()));
}

void VllmApiService::serveGeneration(const HttpRequest &request, HttpResponder *responder, bool chat)
{
    const OpenAiRequestParse parse = parseOpenAiRequest(request.body, chat);
    if (!parse.ok)
        return respondError(request, responder, 400, parse.error);
    const OpenAiRequest &openAi = parse.request;
    if (!m_config.servedNames.contains(openAi.model))
        return respondError(request, responder, 404,
                            QStringLiteral("The model `%1` does not exist.").arg(openAi.model));
    if (!openAi.ignoredFields.isEmpty())
        log(QStringLiteral("WARNING"), QStringLiteral("protocol.py:62"),
            QStringLiteral("The following fields were present in the request but ignored: {'%1'}")
                .arg(openAi.ignoredFields.join(QStringLiteral("', '"))));
    const QString prompt =
        chat ? renderChatPrompt(m_config.model, openAi.messages, m_config.templatePrefillsThink) : openAi.prompt;
    const int promptTokens = m_tokenizer.count(prompt);
    const int maxLen = m_config.maxModelLen;
    int maxTokens = openAi.maxTokens.value_or(maxLen - promptTokens);
    if (!openAi.maxTokens && promptTokens >= maxLen)
        return respondError(request, responder, 400,
                            QStringLiteral("This model's maximum context length is %1 tokens. However, you requested "
                                           "%2 tokens in the messages, Please reduce the length of the messages.")
                                .arg(maxLen)
                                .arg(promptTokens));
    if (promptTokens + maxTokens > maxLen)
        return respondError(request, responder, 400,
                            QStringLiteral("This model's maximum context length is %1 tokens. However, you requested "
                                           "%2 tokens (%3 in the messages, %4 in the completion). Please reduce the "
                                           "length of the messages or completion.")
                                .arg(maxLen)
                                .arg(promptTokens + maxTokens)
                                .arg(promptTokens)
                                .arg(maxTokens));

    GenerationPlan plan;
    plan.chat = chat;
    plan.stream = openAi.stream;
    plan.includeUsage = openAi.includeUsage;
    plan.continuousUsage = openAi.continuousUsageStats;
    plan.identity =
        ResponseIdentity{nextRequestId(chat), QDateTime::currentSecsSinceEpoch(), m_config.servedNames.first()};
    plan.promptTokens = promptTokens;
    plan.method = request.method;
    plan.path = request.path;
    for (int i = 0; i < openAi.n; ++i) {
        ResponderPrompt responderPrompt;
        responderPrompt.lastUserMessage = openAi.lastUserMessage();
        responderPrompt.servedModel = m_config.servedNames.first();
        responderPrompt.reasoningModel = m_config.model.reasoning;
        responderPrompt.templatePrefillsThink = m_config.templatePrefillsThink;
        responderPrompt.seed = ChatResponder::seedFor(m_config.jobId, prompt + QString::number(i) +
                                                                          QString::number(openAi.seed.value_or(0)));
        responderPrompt.maxTokens = maxTokens;
        responderPrompt.stop = openAi.stop;
        responderPrompt.ignoreEos = openAi.ignoreEos;
        plan.choices << (chat ? m_responder.chat(responderPrompt) : m_responder.complete(responderPrompt));
    }
    if (m_config.logRequests) {
        QString shownPrompt = prompt;
        shownPrompt.replace(QLatin1Char('\n'), QStringLiteral("\\n"));
        const QString stopList = openAi.stop.isEmpty()
                                     ? QString()
                                     : QLatin1Char('\'') + openAi.stop.join(QStringLiteral("', '")) + QLatin1Char('\'');
        log(QStringLiteral("INFO"), QStringLiteral("logger.py:39"),
            QStringLiteral("Received request %1: prompt: '%2', params: SamplingParams(n=%3, presence_penalty=0.0, "
                           "frequency_penalty=0.0, repetition_penalty=1.0, temperature=%4, top_p=1.0, top_k=-1, "
                           "min_p=0.0, seed=%5, stop=[%6], stop_token_ids=[], bad_words=[], "
                           "include_stop_str_in_output=False, ignore_eos=%7, max_tokens=%8, min_tokens=0, "
                           "logprobs=None, prompt_logprobs=None, skip_special_tokens=True, "
                           "spaces_between_special_tokens=True, truncate_prompt_tokens=None, guided_decoding=None), "
                           "prompt_token_ids: None, lora_request: None, prompt_adapter_request: None.")
                // One multi-arg call: a "%1" inside the user's prompt must not be substituted again.
                .arg(plan.identity.id, shownPrompt, QString::number(openAi.n), QString::number(openAi.temperature),
                     openAi.seed ? QString::number(*openAi.seed) : QStringLiteral("None"), stopList,
                     openAi.ignoreEos ? QStringLiteral("True") : QStringLiteral("False"), QString::number(maxTokens)));
    }
    log(QStringLiteral("INFO"), QStringLiteral("engine.py:275"),
        QStringLiteral("Added request %1.").arg(plan.identity.id));
    auto *stream = new CompletionStream(this, responder, std::move(plan));
    m_streams << stream;
    m_statsIdleReported = false;
    stream->start();
}

void VllmApiService::streamFinished(CompletionStream *stream)
{
    m_streams.removeOne(stream);
    stream->deleteLater();
}

void VllmApiService::updateQueueMetrics()
{
    int running = 0;
    int waiting = 0;
    qint64 cached = 0;
    for (const CompletionStream *stream : std::as_const(m_streams)) {
        (stream->isDecoding() ? running : waiting) += 1;
        cached += stream->tokensInCache();
    }
    m_metrics.setQueue(running, waiting);
    m_metrics.setKvTokensInUse(cached);
}

void VllmApiService::logStats()
{
    updateQueueMetrics();
    const double seconds = std::max(0.001, m_statsClock.restart() / 1000.0);
    const qint64 prompt = m_metrics.promptTokensTotal() - m_statsPromptTokens;
    const qint64 generation = m_metrics.generationTokensTotal() - m_statsGenerationTokens;
    m_statsPromptTokens = m_metrics.promptTokensTotal();
    m_statsGenerationTokens = m_metrics.generationTokensTotal();
    if (!m_config.logStats || (m_streams.isEmpty() && m_statsIdleReported))
        return;
    m_statsIdleReported = m_streams.isEmpty();
    int running = 0;
    for (const CompletionStream *stream : std::as_const(m_streams))
        running += stream->isDecoding() ? 1 : 0;
    log(QStringLiteral("INFO"), QStringLiteral("metrics.py:455"),
        QStringLiteral("Avg prompt throughput: %1 tokens/s, Avg generation throughput: %2 tokens/s, Running: %3 reqs, "
                       "Swapped: 0 reqs, Pending: %4 reqs, GPU KV cache usage: %5%, CPU KV cache usage: 0.0%.")
            .arg(prompt / seconds, 0, 'f', 1)
            .arg(generation / seconds, 0, 'f', 1)
            .arg(running)
            .arg(m_streams.size() - running)
            .arg(m_metrics.gpuCacheUsage() * 100.0, 0, 'f', 1));
}

} // namespace ApoloDeploy::Sandbox
