// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chat/ChatEndpoint.h"

#include <QWidget>

class QListView;
class QPushButton;
class QLabel;
class QTabWidget;

namespace ApoloDeploy {

class ChatComposer;
class ChatMessageModel;
class ChatWorkspace;
class ConnectionPanel;
class ConversationListModel;
class EndpointCard;
class MessageListView;
class ParametersPanel;
class ServingMetricsView;

// Chat with the deployed model (or any OpenAI-compatible endpoint): saved conversations on the
// left, the streamed conversation in the middle, connection, endpoint card, parameters and
// live serving metrics on the right. All I/O goes through the ChatWorkspace (core).
class ChatPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatPane)

public:
    explicit ChatPane(ChatWorkspace *workspace, QWidget *parent = nullptr);
    ~ChatPane() override;

    // For the main window when a deployment's server becomes ready (see ChatWorkspace).
    void setDeploymentEndpoint(const QUrl &baseUrl, const QString &modelName, BearerProvider bearer,
                               ChatEndpoint::Credential credential = ChatEndpoint::Credential::PlatformToken);

    ChatWorkspace *workspace() const { return m_workspace; }
    MessageListView *messageView() const { return m_messages; }
    ChatComposer *composer() const { return m_composer; }
    EndpointCard *endpointCard() const { return m_endpointCard; }
    QTabWidget *sideTabs() const { return m_sideTabs; }

private:
    QWidget *buildConversationList();
    void send(const QString &text);
    void openSelected();
    void deleteSelected();
    void exportCurrent();
    void updateEndpointCard();
    void showProblem(const QString &message);

    ChatWorkspace *m_workspace;
    ChatMessageModel *m_messageModel;
    ConversationListModel *m_conversationModel;
    QListView *m_conversations = nullptr;
    MessageListView *m_messages;
    ChatComposer *m_composer;
    QLabel *m_banner;
    QTabWidget *m_sideTabs;
    ConnectionPanel *m_connection;
    EndpointCard *m_endpointCard;
    ParametersPanel *m_parameters;
    ServingMetricsView *m_metrics;
};

} // namespace ApoloDeploy
