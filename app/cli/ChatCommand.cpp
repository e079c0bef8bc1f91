// SPDX-License-Identifier: GPL-3.0-or-later
// apolo-deploy chat [--deployment NAME | --endpoint URL] [--model M] [--api-key-env VAR]
//                   [--completions] [--max-tokens N] [--extra JSON] [--json] PROMPT|-
// Streams the answer to stdout and the thinking to stderr (or one JSON object with --json),
// through the same client, reasoning splitter and measurements as the chat pane.
#include "apolo/PlatformSession.h"
#include "chat/ChatTurn.h"
#include "chat/OpenAiClient.h"
#include "cli/CliContext.h"
#include "cli/PlatformCli.h"
#include "deploy/JobPlan.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QNetworkAccessManager>

#include <cstdio>
#include <memory>

namespace ApoloDeploy {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ChatCommand", text);
}

struct ChatOptions
{
    QString deployment;
    QUrl endpoint;
    QString model;
    QString apiKeyEnv;
    QString apiKey;
    bool completions = false;
    bool json = false;
    int timeoutSeconds = 180;
    ChatParameters parameters;
    QString prompt;
};

// Parses the command line; on a usage error reports it and returns false.
bool parseOptions(CliContext &context, ChatOptions &options)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Chat with a deployed model or any OpenAI-compatible endpoint."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, tr("print this help"));
    const QCommandLineOption deployment(QStringLiteral("deployment"), tr("chat with the server job of this deployment"),
                                        QStringLiteral("NAME"));
    const QCommandLineOption endpoint(
        QStringLiteral("endpoint"), tr("base URL of an OpenAI-compatible server, e.g. https://host or https://host/v1"),
        QStringLiteral("URL"));
    const QCommandLineOption model(QStringLiteral("model"),
                                   tr("served model name (default: the first one /v1/models lists)"),
                                   QStringLiteral("M"));
    const QCommandLineOption apiKeyEnv(
        QStringLiteral("api-key-env"),
        tr("environment variable holding the API key (e.g. VLLM_API_KEY); never pass keys as arguments"),
        QStringLiteral("VAR"));
    const QCommandLineOption completions(QStringLiteral("completions"),
                                         tr("use /v1/completions: the prompt is sent as is, no chat template"));
    const QCommandLineOption maxTokens(
        QStringLiteral("max-tokens"),
        tr("maximum tokens to generate (completions default: %1)").arg(ChatRequestBuilder::defaultCompletionMaxTokens),
        QStringLiteral("N"));
    const QCommandLineOption temperature(QStringLiteral("temperature"),
                                         tr("sampling temperature (R1 models default to 0.6)"), QStringLiteral("T"));
    const QCommandLineOption topP(QStringLiteral("top-p"), tr("nucleus sampling (R1 models default to 0.95)"),
                                  QStringLiteral("P"));
    const QCommandLineOption system(QStringLiteral("system"), tr("system prompt (DeepSeek advises none for R1)"),
                                    QStringLiteral("TEXT"));
    const QCommandLineOption timeout(QStringLiteral("timeout"),
                                     tr("give up after this many seconds without data (default 180)"),
                                     QStringLiteral("S"));
    const QCommandLineOption extra(
        QStringLiteral("extra"),
        tr("extra request fields as a JSON object, e.g. '{\"top_k\": 20, \"ignore_eos\": true}'"),
        QStringLiteral("JSON"));
    const QCommandLineOption json(
        QStringLiteral("json"),
        tr("print one JSON object: reasoning, content, finish_reason, usage, ttft_ms, tokens_per_s"));
    parser.addOptions({help, deployment, endpoint, model, apiKeyEnv, completions, maxTokens, temperature, topP, system,
                       timeout, extra, json});
    parser.addPositionalArgument(QStringLiteral("PROMPT"), tr("the prompt, or - to read it from stdin"));
    if (!parser.parse(context.arguments())) {
        context.usageError(parser.errorText());
        return false;
    }
    if (parser.isSet(help)) {
        context.out() << CliContext::helpText(parser, QStringLiteral("chat"));
        context.finish(0);
        return false;
    }
    const auto fail = [&context](const QString &message) {
        context.usageError(message);
        return false;
    };
    if (parser.isSet(deployment) == parser.isSet(endpoint))
        return fail(tr("Give either --deployment NAME or --endpoint URL."));
    options.deployment = parser.value(deployment);
    if (parser.isSet(endpoint)) {
        options.endpoint = QUrl(parser.value(endpoint), QUrl::StrictMode);
        const QString scheme = options.endpoint.scheme();
        if (!options.endpoint.isValid() || options.endpoint.host().isEmpty() ||
            (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
            return fail(tr("--endpoint: '%1' is not an http(s) URL, e.g. https://my-job.jobs.example.org")
                            .arg(parser.value(endpoint)));
    }
    options.model = parser.value(model);
    options.apiKeyEnv = parser.value(apiKeyEnv);
    if (!options.apiKeyEnv.isEmpty()) {
        options.apiKey = qEnvironmentVariable(qPrintable(options.apiKeyEnv));
        if (options.apiKey.isEmpty())
            return fail(tr("--api-key-env: the environment variable %1 is not set.").arg(options.apiKeyEnv));
    }
    options.completions = parser.isSet(completions);
    options.json = parser.isSet(json);
    bool ok = true;
    if (parser.isSet(maxTokens)) {
        const int value = parser.value(maxTokens).toInt(&ok);
        if (!ok || value < 1)
            return fail(tr("--max-tokens must be a positive whole number."));
        options.parameters.maxTokens = value;
    }
    if (parser.isSet(temperature)) {
        options.parameters.temperature = parser.value(temperature).toDouble(&ok);
        if (!ok || *options.parameters.temperature < 0)
            return fail(tr("--temperature must be a number >= 0."));
    }
    if (parser.isSet(topP)) {
        options.parameters.topP = parser.value(topP).toDouble(&ok);
        if (!ok || *options.parameters.topP <= 0 || *options.parameters.topP > 1)
            return fail(tr("--top-p must be a number in (0, 1]."));
    }
    if (parser.isSet(timeout)) {
        options.timeoutSeconds = parser.value(timeout).toInt(&ok);
        if (!ok || options.timeoutSeconds < 1)
            return fail(tr("--timeout must be a positive number of seconds."));
    }
    if (parser.isSet(extra)) {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(parser.value(extra).toUtf8(), &error);
        if (!document.isObject())
            return fail(tr("--extra must be a JSON object, e.g. '{\"top_k\": 20}' (%1).")
                            .arg(error.error != QJsonParseError::NoError ? error.errorString() : tr("not an object")));
        options.parameters.extraFields = document.object();
    }
    options.parameters.systemPrompt = parser.value(system);
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return fail(tr("Give one PROMPT (quote it), or - to read it from stdin."));
    if (positional.first() == QLatin1String("-")) {
        QFile input;
        if (!input.open(stdin, QIODevice::ReadOnly))
            return fail(tr("Cannot read the prompt from stdin."));
        options.prompt = QString::fromUtf8(input.readAll());
    } else {
        options.prompt = positional.first();
    }
    if (options.prompt.trimmed().isEmpty())
        return fail(tr("The prompt is empty."));
    return true;
}

class ChatRun final : public QObject
{
public:
    ChatRun(CliContext &context, ChatOptions options, QNetworkAccessManager *network, const ChatEndpoint &endpoint)
        : QObject(QCoreApplication::instance())
        , m_context(context)
        , m_options(std::move(options))
        , m_client(network, this)
    {
        m_client.setEndpoint(endpoint);
        m_client.setInactivityTimeoutMs(m_options.timeoutSeconds * 1000);
        if (endpoint.isInsecureTransport())
            m_context.err() << tr("warning: %1").arg(endpoint.securityWarning()) << Qt::endl;
    }

    void start()
    {
        if (!m_options.model.isEmpty())
            return ask(m_options.model, {});
        m_client.listModels(this, [this](const ModelListResult &result) {
            if (!result.error.isNull())
                return failWith(result.error, tr("Cannot list the served models"));
            ask(result.models.first().id, result.models.first().root);
        });
    }

private:
    void ask(const QString &model, const QString &root)
    {
        const bool completions = m_options.completions;
        const QJsonObject body = completions
                                     ? ChatRequestBuilder::completionBody(model, m_options.prompt, m_options.parameters)
                                     : ChatRequestBuilder::chatBody(model, {{QStringLiteral("user"), m_options.prompt}},
                                                                    m_options.parameters);
        // A raw completion prompt decides itself whether the model starts inside <think>.
        const bool thinking = completions
                                  ? m_options.prompt.trimmed().endsWith(QLatin1String("<think>"))
                                  : ChatRequestBuilder::startsInThinking(m_options.parameters, model + u' ' + root);
        auto *runner = new ChatTurnRunner(
            &m_client, completions ? ChatTurnRunner::Endpoint::Completions : ChatTurnRunner::Endpoint::ChatCompletions,
            body, thinking, this);
        if (!m_options.json) {
            connect(runner, &ChatTurnRunner::piecesReceived, this, [this](const ReasoningSplitter::Pieces &pieces) {
                if (!pieces.reasoning.isEmpty())
                    m_context.err() << pieces.reasoning << Qt::flush;
                if (!pieces.content.isEmpty())
                    m_context.out() << pieces.content << Qt::flush;
            });
            connect(runner, &ChatTurnRunner::textReclassified, this, [this] {
                m_context.err() << '\n'
                                << tr("note: the server never marked the end of the thinking (vLLM 0.7.2 drops a lone "
                                      "</think>); the text above is the whole answer.")
                                << Qt::endl;
            });
        }
        connect(runner, &ChatTurnRunner::finished, this, [this](const ChatTurnResult &result) { finish(result); });
        runner->start();
    }

    void finish(const ChatTurnResult &result)
    {
        const bool ok = result.status == ChatStreamResult::Status::Completed;
        if (m_options.json) {
            m_context.out() << QJsonDocument(result.toJson()).toJson(QJsonDocument::Compact) << Qt::endl;
        } else {
            m_context.out() << Qt::endl;
            if (result.thinkingTruncated)
                m_context.err()
                    << tr("note: max tokens ran out while the model was still thinking; there is no answer. "
                          "Raise --max-tokens.")
                    << Qt::endl;
            else if (result.finishReason == QLatin1String("length"))
                m_context.err() << tr("note: the answer was cut at max tokens.") << Qt::endl;
        }
        if (!ok) {
            const ApiError error = result.error;
            m_context.err() << tr("error: %1").arg(error.isNull() ? tr("the stream ended early") : error.summary())
                            << Qt::endl;
            if (!error.hint().isEmpty())
                m_context.err() << error.hint() << Qt::endl;
        }
        m_context.finish(ok ? 0 : 1);
    }

    void failWith(const ApiError &error, const QString &what)
    {
        if (m_options.json)
            m_context.out()
                << QJsonDocument(QJsonObject{{QStringLiteral("error"), error.toJson()}}).toJson(QJsonDocument::Compact)
                << Qt::endl;
        m_context.err() << tr("error: %1: %2").arg(what, error.summary()) << Qt::endl;
        if (!error.hint().isEmpty())
            m_context.err() << error.hint() << Qt::endl;
        m_context.finish(1);
    }

    CliContext &m_context;
    ChatOptions m_options;
    OpenAiClient m_client;
};

ChatEndpoint endpointWithKey(const QUrl &url, const ChatOptions &options)
{
    ChatEndpoint endpoint;
    endpoint.baseUrl = url;
    if (!options.apiKey.isEmpty()) {
        endpoint.credential = ChatEndpoint::Credential::ApiKey;
        const QString key = options.apiKey;
        endpoint.bearer = [key](BearerReady ready) { ready(key); };
    }
    return endpoint;
}

// Finds the running server job tagged deployment:<NAME> + role:server and its http URL.
void chatWithDeployment(CliContext &context, const ChatOptions &options)
{
    CliContext *ctx = &context;
    PlatformCli::withSession(context, [ctx, options](PlatformSession &session) {
        JobListFilter filter;
        filter.tags = {JobPlanBuilder::deploymentTag(options.deployment), JobPlanBuilder::roleTag(JobRole::Server)};
        filter.statuses = {JobStatus::Pending, JobStatus::Running};
        auto jobs = std::make_shared<QList<Job>>();
        session.client()->listJobs(
            filter, &session, [jobs](const QList<Job> &batch) { *jobs += batch; },
            [ctx, options, jobs, &session](const ApoloResult<Done> &result) {
                if (!result)
                    return PlatformCli::fail(*ctx, result.error());
                const auto job = std::find_if(jobs->cbegin(), jobs->cend(), [](const Job &j) {
                    return j.status == JobStatus::Running && j.preferredHttpUrl().isValid();
                });
                if (job == jobs->cend()) {
                    ctx->err() << tr("error: deployment '%1' has no running server job with an HTTP endpoint. "
                                     "Check 'apolo-deploy status'.")
                                      .arg(options.deployment)
                               << Qt::endl;
                    return ctx->finish(1);
                }
                ChatEndpoint endpoint = endpointWithKey(job->preferredHttpUrl(), options);
                if (job->container.http && job->container.http->requiresAuth && options.apiKey.isEmpty()) {
                    // The platform's ingress checks the Apolo token; it is refused over plain http.
                    endpoint.credential = ChatEndpoint::Credential::PlatformToken;
                    ApoloClient *client = session.client();
                    endpoint.bearer = [client](BearerReady ready) { ready(client->credentials().accessToken); };
                }
                (new ChatRun(*ctx, options, session.client()->network(), endpoint))->start();
            });
    });
}

} // namespace

void runChatCommand(CliContext &context)
{
    ChatOptions options;
    if (!parseOptions(context, options))
        return;
    if (!options.deployment.isEmpty())
        return chatWithDeployment(context, options);
    auto *network = new QNetworkAccessManager(QCoreApplication::instance());
    (new ChatRun(context, options, network, endpointWithKey(options.endpoint, options)))->start();
}

} // namespace ApoloDeploy
