// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/HubTokenDialog.h"

#include "core/SecretStore.h"
#include "planner/HubClient.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ApoloDeploy {

HubTokenDialog::HubTokenDialog(QWidget *parent)
    : QDialog(parent)
    , m_tokenEdit(new QLineEdit(this))
    , m_saveButton(nullptr)
    , m_removeButton(nullptr)
    , m_statusLabel(new QLabel(this))
{
    setObjectName(QStringLiteral("hubTokenDialog"));
    setWindowTitle(tr("Hugging Face Token"));
    setWindowModality(Qt::WindowModal);

    auto *explanation = new QLabel(
        tr("Gated models (Llama, some DeepSeek and Qwen repositories) need a Hugging Face token to read their "
           "config.json. It is kept in the system keychain. HF_TOKEN in the environment takes precedence."),
        this);
    explanation->setWordWrap(true);
    m_tokenEdit->setObjectName(QStringLiteral("hubTokenLineEdit"));
    m_tokenEdit->setAccessibleName(tr("Hugging Face token"));
    m_tokenEdit->setEchoMode(QLineEdit::Password);
    m_tokenEdit->setPlaceholderText(QStringLiteral("hf_…"));
    m_statusLabel->setObjectName(QStringLiteral("hubTokenStatusLabel"));
    m_statusLabel->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Close, this);
    m_saveButton = buttons->button(QDialogButtonBox::Save);
    m_saveButton->setEnabled(false);
    m_removeButton = buttons->addButton(tr("&Remove Stored Token"), QDialogButtonBox::DestructiveRole);
    m_removeButton->setObjectName(QStringLiteral("hubTokenRemoveButton"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(explanation);
    layout->addWidget(m_tokenEdit);
    layout->addWidget(m_statusLabel);
    layout->addWidget(buttons);
    resize(460, sizeHint().height());

    connect(m_tokenEdit, &QLineEdit::textChanged, this,
            [this](const QString &text) { m_saveButton->setEnabled(!text.trimmed().isEmpty()); });
    connect(m_saveButton, &QPushButton::clicked, this, &HubTokenDialog::save);
    connect(m_removeButton, &QPushButton::clicked, this, &HubTokenDialog::removeToken);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    SecretStore::instance().read(Planner::HubClient::keychainKey(), this, [this](const SecretResult &result) {
        m_statusLabel->setText(result.ok         ? tr("A token is stored.")
                               : result.notFound ? tr("No token is stored.")
                                                 : result.error);
        m_removeButton->setEnabled(result.ok);
    });
}

HubTokenDialog::~HubTokenDialog() = default;

void HubTokenDialog::setBusy(bool busy, const QString &message)
{
    m_statusLabel->setText(message);
    m_tokenEdit->setEnabled(!busy);
    m_saveButton->setEnabled(!busy && !m_tokenEdit->text().trimmed().isEmpty());
    m_removeButton->setEnabled(!busy);
}

void HubTokenDialog::save()
{
    const QByteArray token = m_tokenEdit->text().trimmed().toUtf8();
    if (token.isEmpty())
        return;
    setBusy(true, tr("Saving…"));
    SecretStore::instance().write(Planner::HubClient::keychainKey(), token, this,
                                  [this, token](const SecretResult &result) {
                                      setBusy(false, result.ok ? tr("Saved in the keychain.") : result.error);
                                      if (!result.ok)
                                          return;
                                      m_tokenEdit->clear();
                                      Q_EMIT tokenChanged(token);
                                      accept();
                                  });
}

void HubTokenDialog::removeToken()
{
    setBusy(true, tr("Removing…"));
    SecretStore::instance().remove(Planner::HubClient::keychainKey(), this, [this](const SecretResult &result) {
        setBusy(false, result.ok ? tr("No token is stored.") : result.error);
        if (result.ok)
            Q_EMIT tokenChanged(QByteArray());
    });
}

} // namespace ApoloDeploy
