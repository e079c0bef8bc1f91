// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QButtonGroup;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;

namespace ApoloDeploy {

class ChatWorkspace;

// Where to chat: the current deployment, or any OpenAI-compatible URL whose API key is kept in
// the keychain (the key field is write-only: a stored key is never shown). Lists the served
// models to pick from and reports connection problems in the server's own words.
class ConnectionPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit ConnectionPanel(ChatWorkspace *workspace, QWidget *parent = nullptr);

    void setCustomUrl(const QString &url);

private:
    void connectCustom();
    void saveKey();
    void refreshSourceButtons();
    void refreshModels();

    ChatWorkspace *m_workspace;
    QRadioButton *m_deployment;
    QRadioButton *m_custom;
    QLineEdit *m_url;
    QLineEdit *m_key;
    QPushButton *m_connect;
    QPushButton *m_saveKey;
    QComboBox *m_models;
    QLabel *m_status;
};

} // namespace ApoloDeploy
