// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/ChatPane.h"

#include "chat/ChatSession.h"
#include "chat/ChatWorkspace.h"
#include "chat/ConversationStore.h"
#include "models/ChatMessageModel.h"
#include "models/ConversationListModel.h"
#include "ui/chat/ChatComposer.h"
#include "ui/chat/ConnectionPanel.h"
#include "ui/chat/EndpointCard.h"
#include "ui/chat/MessageListView.h"
#include "ui/chat/ParametersPanel.h"
#include "ui/chat/ServingMetricsView.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QVBoxLayout>

namespace ApoloDeploy {

ChatPane::ChatPane(ChatWorkspace *workspace, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_messageModel(new ChatMessageModel(workspace->session(), this))
    , m_conversationModel(new ConversationListModel(workspace->store(), this))
    , m_messages(new MessageListView(this))
    , m_composer(new ChatComposer(this))
    , m_banner(new QLabel(this))
    , m_sideTabs(new QTabWidget(this))
    , m_connection(new ConnectionPanel(workspace, this))
    , m_endpointCard(new EndpointCard(this))
    , m_parameters(new ParametersPanel(this))
    , m_metrics(new ServingMetricsView(workspace->metrics(), this))
{
    setObjectName(QStringLiteral("chatPane"));
    m_banner->setObjectName(QStringLiteral("chatBannerLabel"));
    m_banner->setWordWrap(true);
    m_banner->setStyleSheet(QStringLiteral("QLabel { color: #c62828; }"));
    m_banner->setVisible(false);
    m_messages->setModel(m_messageModel);

    auto *center = new QWidget(this);
    auto *centerLayout = new QVBoxLayout(center);
    centerLayout->setContentsMargins(0, 0, 0, 0);
    centerLayout->addWidget(m_messages, 1);
    centerLayout->addWidget(m_banner);
    centerLayout->addWidget(m_composer);

    auto *connectionTab = new QWidget(this);
    auto *connectionLayout = new QVBoxLayout(connectionTab);
    connectionLayout->addWidget(m_connection);
    connectionLayout->addWidget(m_endpointCard, 1);
    m_sideTabs->setObjectName(QStringLiteral("chatSideTabWidget"));
    m_sideTabs->addTab(connectionTab, tr("Connection"));
    m_sideTabs->addTab(m_parameters, tr("Parameters"));
    m_sideTabs->addTab(m_metrics, tr("Metrics"));

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("chatSplitter"));
    splitter->addWidget(buildConversationList());
    splitter->addWidget(center);
    splitter->addWidget(m_sideTabs);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setStretchFactor(2, 0);
    splitter->setSizes({200, 640, 380});
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    ChatSession *session = workspace->session();
    connect(m_composer, &ChatComposer::sendRequested, this, &ChatPane::send);
    connect(m_composer, &ChatComposer::stopRequested, session, &ChatSession::stop);
    connect(m_composer, &ChatComposer::textEdited, workspace, &ChatWorkspace::measurePrompt);
    connect(workspace, &ChatWorkspace::promptLengthChanged, m_composer, &ChatComposer::setPromptLength);
    connect(session, &ChatSession::streamingChanged, m_composer, &ChatComposer::setStreaming);
    connect(session, &ChatSession::streamingChanged, this, [this](bool streaming) {
        if (!streaming)
            m_workspace->measurePrompt(m_composer->text());
    });
    connect(session, &ChatSession::problem, this, &ChatPane::showProblem);
    connect(session, &ChatSession::conversationReset, this, [this, session] {
        m_parameters->setParameters(session->parameters());
        m_banner->setVisible(false);
    });
    connect(m_messages, &MessageListView::regenerateRequested, session, [session] { session->regenerate(); });
    connect(m_messages, &MessageListView::editRequested, this, [this](int row, const QString &text) {
        // Edit in the composer; sending it replaces that turn and everything after it.
        m_composer->setText(text);
        m_composer->setProperty("editRow", row);
    });
    connect(m_parameters, &ParametersPanel::parametersChanged, session, &ChatSession::setParameters);
    connect(workspace, &ChatWorkspace::endpointChanged, this, &ChatPane::updateEndpointCard);
    connect(workspace, &ChatWorkspace::currentModelChanged, this, [this] {
        updateEndpointCard();
        m_parameters->setReasoningModel(m_workspace->session()->isReasoningModel());
    });
    m_parameters->setParameters(session->parameters());
    updateEndpointCard();
}

ChatPane::~ChatPane() = default;

QWidget *ChatPane::buildConversationList()
{
    auto *panel = new QWidget(this);
    m_conversations = new QListView(panel);
    m_conversations->setObjectName(QStringLiteral("conversationListView"));
    m_conversations->setAccessibleName(tr("Saved conversations"));
    m_conversations->setModel(m_conversationModel);
    m_conversations->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto *newButton = new QPushButton(tr("New"), panel);
    newButton->setObjectName(QStringLiteral("newConversationPushButton"));
    newButton->setAccessibleName(tr("Start a new conversation"));
    auto *deleteButton = new QPushButton(tr("Delete"), panel);
    deleteButton->setObjectName(QStringLiteral("deleteConversationPushButton"));
    deleteButton->setAccessibleName(tr("Delete the selected conversation"));
    auto *exportButton = new QPushButton(tr("Export…"), panel);
    exportButton->setObjectName(QStringLiteral("exportConversationPushButton"));
    exportButton->setAccessibleName(tr("Export the conversation to Markdown"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(newButton);
    buttons->addWidget(deleteButton);
    buttons->addWidget(exportButton);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(buttons);
    layout->addWidget(m_conversations, 1);
    if (!m_conversationModel->loadErrors().isEmpty()) {
        auto *errors = new QLabel(m_conversationModel->loadErrors().join(QLatin1Char('\n')), panel);
        errors->setWordWrap(true);
        errors->setStyleSheet(QStringLiteral("QLabel { color: #b26a00; }"));
        layout->addWidget(errors);
    }
    connect(newButton, &QPushButton::clicked, m_workspace->session(), &ChatSession::newConversation);
    connect(deleteButton, &QPushButton::clicked, this, &ChatPane::deleteSelected);
    connect(exportButton, &QPushButton::clicked, this, &ChatPane::exportCurrent);
    connect(m_conversations, &QListView::activated, this, &ChatPane::openSelected);
    connect(m_conversations, &QListView::clicked, this, &ChatPane::openSelected);
    return panel;
}

void ChatPane::setDeploymentEndpoint(const QUrl &baseUrl, const QString &modelName, BearerProvider bearer,
                                     ChatEndpoint::Credential credential)
{
    m_workspace->setDeploymentEndpoint(baseUrl, modelName, std::move(bearer), credential);
}

void ChatPane::send(const QString &text)
{
    ChatSession *session = m_workspace->session();
    const QVariant editRow = m_composer->property("editRow");
    m_composer->setProperty("editRow", QVariant());
    const bool started = editRow.isValid() ? session->editAndResend(editRow.toInt(), text) : session->send(text);
    if (started) {
        m_composer->setText(QString());
        m_banner->setVisible(false);
    }
}

void ChatPane::openSelected()
{
    const QString id = m_conversationModel->idAt(m_conversations->currentIndex().row());
    if (id.isEmpty() || id == m_workspace->session()->conversation().id)
        return;
    QString error;
    if (!m_workspace->session()->openConversation(id, &error))
        showProblem(error);
}

void ChatPane::deleteSelected()
{
    const QString id = m_conversationModel->idAt(m_conversations->currentIndex().row());
    if (id.isEmpty())
        return;
    const auto answer = QMessageBox::question(
        this, tr("Delete conversation"),
        tr("Delete \"%1\"? This cannot be undone.").arg(m_conversations->currentIndex().data().toString()));
    if (answer != QMessageBox::Yes)
        return;
    QString error;
    if (!m_workspace->session()->deleteConversation(id, &error))
        showProblem(error);
}

void ChatPane::exportCurrent()
{
    const Conversation &conversation = m_workspace->session()->conversation();
    if (conversation.messages.isEmpty())
        return;
    QString name = conversation.suggestedTitle().left(40);
    name.replace(QRegularExpression(QStringLiteral("[^\\w\\- ]")), QStringLiteral("_"));
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export conversation"),
                                     QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation) +
                                         QLatin1Char('/') + name + QStringLiteral(".md"),
                                     tr("Markdown (*.md)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!ConversationStore::exportMarkdown(conversation, path, &error))
        showProblem(error);
}

void ChatPane::updateEndpointCard()
{
    m_endpointCard->setEndpoint(m_workspace->endpoint(), m_workspace->currentModel().id);
}

void ChatPane::showProblem(const QString &message)
{
    m_banner->setText(message);
    m_banner->setVisible(!message.isEmpty());
}

} // namespace ApoloDeploy
