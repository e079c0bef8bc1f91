// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/chat/ConnectionPanel.h"

#include "chat/ChatWorkspace.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>

namespace ApoloDeploy {

ConnectionPanel::ConnectionPanel(ChatWorkspace *workspace, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_deployment(new QRadioButton(tr("Current deployment"), this))
    , m_custom(new QRadioButton(tr("Other OpenAI-compatible URL"), this))
    , m_url(new QLineEdit(this))
    , m_key(new QLineEdit(this))
    , m_connect(new QPushButton(tr("Connect"), this))
    , m_saveKey(new QPushButton(tr("Save key"), this))
    , m_models(new QComboBox(this))
    , m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("connectionPanel"));
    m_deployment->setObjectName(QStringLiteral("deploymentRadioButton"));
    m_custom->setObjectName(QStringLiteral("customEndpointRadioButton"));
    m_url->setObjectName(QStringLiteral("endpointUrlLineEdit"));
    m_url->setAccessibleName(tr("Endpoint base URL"));
    m_url->setPlaceholderText(QStringLiteral("https://my-model.jobs.example.org/v1"));
    m_key->setObjectName(QStringLiteral("apiKeyLineEdit"));
    m_key->setAccessibleName(tr("API key, stored in the system keychain"));
    m_key->setEchoMode(QLineEdit::Password);
    m_key->setPlaceholderText(tr("API key (kept in the keychain; leave empty for none)"));
    m_connect->setObjectName(QStringLiteral("connectPushButton"));
    m_saveKey->setObjectName(QStringLiteral("saveKeyPushButton"));
    m_saveKey->setAccessibleName(tr("Store the API key in the system keychain"));
    m_models->setObjectName(QStringLiteral("modelComboBox"));
    m_models->setAccessibleName(tr("Served model"));
    m_status->setObjectName(QStringLiteral("connectionStatusLabel"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *group = new QButtonGroup(this);
    group->addButton(m_deployment);
    group->addButton(m_custom);
    auto *urlRow = new QHBoxLayout;
    urlRow->addWidget(m_url, 1);
    urlRow->addWidget(m_connect);
    auto *keyRow = new QHBoxLayout;
    keyRow->addWidget(m_key, 1);
    keyRow->addWidget(m_saveKey);
    auto *refresh = new QPushButton(tr("Refresh"), this);
    refresh->setObjectName(QStringLiteral("refreshModelsPushButton"));
    refresh->setAccessibleName(tr("List the served models again"));
    auto *modelRow = new QHBoxLayout;
    modelRow->addWidget(m_models, 1);
    modelRow->addWidget(refresh);

    auto *form = new QFormLayout(this);
    form->addRow(m_deployment);
    form->addRow(m_custom);
    form->addRow(tr("URL:"), urlRow);
    form->addRow(tr("Key:"), keyRow);
    form->addRow(tr("Model:"), modelRow);
    form->addRow(m_status);

    connect(m_deployment, &QRadioButton::clicked, workspace, &ChatWorkspace::useDeployment);
    connect(m_custom, &QRadioButton::clicked, this, &ConnectionPanel::connectCustom);
    connect(m_connect, &QPushButton::clicked, this, &ConnectionPanel::connectCustom);
    connect(m_url, &QLineEdit::returnPressed, this, &ConnectionPanel::connectCustom);
    connect(m_saveKey, &QPushButton::clicked, this, &ConnectionPanel::saveKey);
    connect(refresh, &QPushButton::clicked, workspace, &ChatWorkspace::refreshModels);
    connect(m_models, &QComboBox::activated, this,
            [this](int index) { m_workspace->selectModel(m_models->itemData(index).toString()); });
    connect(workspace, &ChatWorkspace::modelsChanged, this, &ConnectionPanel::refreshModels);
    connect(workspace, &ChatWorkspace::currentModelChanged, this, &ConnectionPanel::refreshModels);
    connect(workspace, &ChatWorkspace::endpointChanged, this, &ConnectionPanel::refreshSourceButtons);
    connect(workspace, &ChatWorkspace::connectionProblem, this, [this](const QString &message) {
        m_status->setText(message);
        m_status->setStyleSheet(message.isEmpty() ? QString() : QStringLiteral("QLabel { color: #c62828; }"));
    });
    refreshSourceButtons();
    refreshModels();
}

void ConnectionPanel::setCustomUrl(const QString &url)
{
    m_url->setText(url);
}

void ConnectionPanel::connectCustom()
{
    const QUrl url = QUrl::fromUserInput(m_url->text().trimmed());
    if (!url.isValid() || url.host().isEmpty() ||
        (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
        m_status->setText(tr("Enter an http(s) URL, e.g. https://my-model.jobs.example.org/v1"));
        m_custom->setChecked(true);
        return;
    }
    m_workspace->useCustomEndpoint(url);
}

void ConnectionPanel::saveKey()
{
    const QUrl url = QUrl::fromUserInput(m_url->text().trimmed());
    if (!url.isValid() || url.host().isEmpty()) {
        m_status->setText(tr("Enter the endpoint URL first: the key is stored for that server."));
        return;
    }
    const QString key = m_key->text();
    m_key->clear(); // never kept in the widget once stored
    m_saveKey->setEnabled(false);
    m_workspace->storeApiKey(url, key, [this, url, empty = key.isEmpty()](const QString &error) {
        m_saveKey->setEnabled(true);
        if (!error.isEmpty()) {
            m_status->setText(error);
            return;
        }
        m_status->setText(empty ? tr("Key removed from the keychain.") : tr("Key stored in the keychain."));
        m_workspace->useCustomEndpoint(url);
    });
}

void ConnectionPanel::refreshSourceButtons()
{
    m_deployment->setEnabled(m_workspace->hasDeployment());
    m_deployment->setToolTip(m_workspace->hasDeployment() ? QString() : tr("No deployment is serving yet."));
    const bool deployment = m_workspace->source() == ChatWorkspace::Source::Deployment;
    (deployment ? m_deployment : m_custom)->setChecked(true);
    m_url->setEnabled(!deployment);
    m_key->setEnabled(!deployment);
    m_saveKey->setEnabled(!deployment);
    m_connect->setEnabled(!deployment);
    if (deployment)
        m_url->setText(m_workspace->endpoint().baseUrl.toString());
}

void ConnectionPanel::refreshModels()
{
    m_models->clear();
    const QString current = m_workspace->currentModel().id;
    for (const ServedModel &model : m_workspace->models()) {
        const QString label =
            model.maxModelLen > 0 ? tr("%1 (context %L2)").arg(model.id).arg(model.maxModelLen) : model.id;
        m_models->addItem(label, model.id);
    }
    const int index = m_models->findData(current);
    if (index >= 0)
        m_models->setCurrentIndex(index);
}

} // namespace ApoloDeploy
