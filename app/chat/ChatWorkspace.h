// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chat/ChatEndpoint.h"
#include "chat/OpenAiClient.h"

#include <QObject>
#include <QTimer>

class QNetworkAccessManager;

namespace ApoloDeploy {

class ChatSession;
class ConversationStore;
class MetricsPoller;

// Everything the chat pane needs from the core, in one object the main window creates with the
// shared QNetworkAccessManager (ApoloClient::network()):
//   - the connection: the current deployment (set by the deploy side) or any OpenAI-compatible
//     URL whose API key lives in the keychain (SecretStore), never in settings;
//   - the served models, the session, the conversation store and the /metrics poller;
//   - the prompt-length meter: POST /tokenize where the server has it, else a labelled estimate.
class ChatWorkspace final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatWorkspace)

public:
    enum class Source { Deployment, Custom };
    Q_ENUM(Source)

    explicit ChatWorkspace(QNetworkAccessManager *network, QObject *parent = nullptr);
    ~ChatWorkspace() override;

    OpenAiClient *client() const { return m_client; }
    ChatSession *session() const { return m_session; }
    ConversationStore *store() const { return m_store; }
    MetricsPoller *metrics() const { return m_metrics; }

    // Called by the deploy side when a deployment's server is up. `bearer` returns the Apolo
    // token (job HTTP auth on) or the vLLM API key; null when the endpoint needs no auth.
    void setDeploymentEndpoint(const QUrl &baseUrl, const QString &modelName, BearerProvider bearer,
                               ChatEndpoint::Credential credential = ChatEndpoint::Credential::PlatformToken);
    bool hasDeployment() const { return m_deployment.isValid(); }
    // Any OpenAI-compatible server; its key (if any) is read from the keychain.
    void useCustomEndpoint(const QUrl &baseUrl);
    void useDeployment();
    Source source() const { return m_source; }
    const ChatEndpoint &endpoint() const { return m_client->endpoint(); }
    // Stores (or, with an empty key, removes) the API key of a custom endpoint in the keychain.
    void storeApiKey(const QUrl &baseUrl, const QString &key, std::function<void(const QString &error)> done);
    static QString apiKeySecretName(const QUrl &baseUrl);

    void refreshModels();
    const QList<ServedModel> &models() const { return m_models; }
    ServedModel currentModel() const;
    void selectModel(const QString &modelId);

    // Debounced: counts the conversation plus `draft` and emits promptLengthChanged.
    void measurePrompt(const QString &draft);

Q_SIGNALS:
    void endpointChanged();
    void modelsChanged();
    void currentModelChanged(const ApoloDeploy::ServedModel &model);
    // Empty when the connection works again.
    void connectionProblem(const QString &message);
    void promptLengthChanged(qint64 tokens, qint64 maxModelLen, bool estimated);

private:
    void applyEndpoint(const ChatEndpoint &endpoint, const QString &preferredModel);
    void countNow();

    OpenAiClient *m_client;
    ConversationStore *m_store;
    ChatSession *m_session;
    MetricsPoller *m_metrics;
    Source m_source = Source::Custom;
    ChatEndpoint m_deployment;
    QString m_deploymentModel;
    QList<ServedModel> m_models;
    QString m_currentModelId;
    QTimer m_measureDebounce;
    QString m_draft;
    int m_generation = 0;
};

} // namespace ApoloDeploy
