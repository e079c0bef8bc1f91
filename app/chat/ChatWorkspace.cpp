// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/ChatWorkspace.h"

#include "chat/ChatSession.h"
#include "chat/ChatTurn.h"
#include "chat/ConversationStore.h"
#include "chat/MetricsPoller.h"
#include "core/SecretStore.h"

#include <QPointer>

namespace ApoloDeploy {

ChatWorkspace::ChatWorkspace(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_client(new OpenAiClient(network, this))
    , m_store(new ConversationStore(ConversationStore::defaultDirectory(), this))
    , m_session(new ChatSession(m_client, m_store, this))
    , m_metrics(new MetricsPoller(m_client, this))
{
    m_measureDebounce.setSingleShot(true);
    m_measureDebounce.setInterval(400);
    connect(&m_measureDebounce, &QTimer::timeout, this, &ChatWorkspace::countNow);
}

ChatWorkspace::~ChatWorkspace() = default;

QString ChatWorkspace::apiKeySecretName(const QUrl &baseUrl)
{
    ChatEndpoint endpoint;
    endpoint.baseUrl = baseUrl;
    return QStringLiteral("chat-api-key:") + endpoint.serverRoot().adjusted(QUrl::RemoveUserInfo).toString();
}

void ChatWorkspace::setDeploymentEndpoint(const QUrl &baseUrl, const QString &modelName, BearerProvider bearer,
                                          ChatEndpoint::Credential credential)
{
    m_deployment = {};
    m_deployment.baseUrl = baseUrl;
    m_deployment.bearer = std::move(bearer);
    m_deployment.credential = m_deployment.bearer ? credential : ChatEndpoint::Credential::None;
    m_deployment.apiKeyEnvironmentName = credential == ChatEndpoint::Credential::PlatformToken
                                             ? QStringLiteral("APOLO_TOKEN")
                                             : QStringLiteral("VLLM_API_KEY");
    m_deploymentModel = modelName;
    if (m_source == Source::Deployment || !m_client->endpoint().isValid())
        useDeployment();
}

void ChatWorkspace::useDeployment()
{
    m_source = Source::Deployment;
    applyEndpoint(m_deployment, m_deploymentModel);
}

void ChatWorkspace::useCustomEndpoint(const QUrl &baseUrl)
{
    m_source = Source::Custom;
    ChatEndpoint endpoint;
    endpoint.baseUrl = baseUrl;
    endpoint.credential = ChatEndpoint::Credential::ApiKey;
    const QString secretName = apiKeySecretName(baseUrl);
    // Read per request, so a key stored later is picked up; "not found" means no key.
    endpoint.bearer = [secretName](BearerReady ready) {
        SecretStore::instance().read(secretName, nullptr, [ready](const SecretResult &result) {
            ready(result.ok ? QString::fromUtf8(result.value) : QString());
        });
    };
    applyEndpoint(endpoint, {});
}

void ChatWorkspace::storeApiKey(const QUrl &baseUrl, const QString &key, std::function<void(const QString &)> done)
{
    const auto finish = [done](const SecretResult &result) {
        done(result.ok || result.notFound ? QString() : result.error);
    };
    if (key.isEmpty())
        SecretStore::instance().remove(apiKeySecretName(baseUrl), this, finish);
    else
        SecretStore::instance().write(apiKeySecretName(baseUrl), key.toUtf8(), this, finish);
}

void ChatWorkspace::applyEndpoint(const ChatEndpoint &endpoint, const QString &preferredModel)
{
    ++m_generation;
    m_client->setEndpoint(endpoint);
    m_models.clear();
    m_currentModelId = preferredModel;
    m_metrics->reset();
    if (endpoint.isValid())
        m_metrics->start();
    else
        m_metrics->stop();
    Q_EMIT endpointChanged();
    Q_EMIT modelsChanged();
    refreshModels();
}

void ChatWorkspace::refreshModels()
{
    if (!m_client->endpoint().isValid()) {
        Q_EMIT connectionProblem(tr("Pick a deployment or enter an OpenAI-compatible URL."));
        return;
    }
    const int generation = m_generation;
    m_client->listModels(this, [this, generation](const ModelListResult &result) {
        if (generation != m_generation)
            return;
        if (!result.error.isNull()) {
            const QString hint = result.error.hint();
            Q_EMIT connectionProblem(result.error.summary() +
                                     (hint.isEmpty() ? QString() : QStringLiteral("\n") + hint));
            return;
        }
        m_models = result.models;
        const bool known = std::any_of(m_models.cbegin(), m_models.cend(),
                                       [this](const ServedModel &m) { return m.id == m_currentModelId; });
        if (!known)
            m_currentModelId = m_models.first().id;
        Q_EMIT connectionProblem({});
        Q_EMIT modelsChanged();
        selectModel(m_currentModelId);
    });
}

ServedModel ChatWorkspace::currentModel() const
{
    for (const ServedModel &model : m_models) {
        if (model.id == m_currentModelId)
            return model;
    }
    return ServedModel{m_currentModelId, {}, 0};
}

void ChatWorkspace::selectModel(const QString &modelId)
{
    m_currentModelId = modelId;
    const ServedModel model = currentModel();
    m_session->setModel(model.id, model.root);
    Q_EMIT currentModelChanged(model);
    measurePrompt(m_draft);
}

void ChatWorkspace::measurePrompt(const QString &draft)
{
    m_draft = draft;
    m_measureDebounce.start();
}

void ChatWorkspace::countNow()
{
    const Conversation &conversation = m_session->conversation();
    QList<ChatTurn> turns = conversation.historyUpTo(int(conversation.messages.size()) - 1);
    if (!m_draft.trimmed().isEmpty())
        turns.append({QStringLiteral("user"), m_draft});
    const ServedModel model = currentModel();
    qint64 estimate = ChatTurnRunner::estimateTokens(conversation.parameters.systemPrompt);
    for (const ChatTurn &turn : turns)
        estimate += ChatTurnRunner::estimateTokens(turn.content) + 4; // role markers
    if (model.id.isEmpty() || !m_client->endpoint().isValid()) {
        Q_EMIT promptLengthChanged(estimate, model.maxModelLen, true);
        return;
    }
    const int generation = m_generation;
    m_client->countPromptTokens(ChatRequestBuilder::tokenizeBody(model.id, turns, conversation.parameters), this,
                                [this, generation, estimate, model](const TokenCountResult &result) {
                                    if (generation != m_generation)
                                        return;
                                    if (result.count >= 0)
                                        Q_EMIT promptLengthChanged(
                                            result.count,
                                            result.maxModelLen > 0 ? result.maxModelLen : model.maxModelLen, false);
                                    else
                                        Q_EMIT promptLengthChanged(estimate, model.maxModelLen, true);
                                });
}

} // namespace ApoloDeploy
