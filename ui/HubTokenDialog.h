// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace ApoloDeploy {

// Keeps the user's Hugging Face token in the system keychain (never in settings), for the
// planner's fetches of gated models' configs. Opened with open(); nothing blocks.
class HubTokenDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HubTokenDialog)

public:
    explicit HubTokenDialog(QWidget *parent = nullptr);
    ~HubTokenDialog() override;

Q_SIGNALS:
    // The stored token changed (empty: removed); the planner's hub client takes it at once.
    void tokenChanged(const QByteArray &token);

private:
    void save();
    void removeToken();
    void setBusy(bool busy, const QString &message);

    QLineEdit *m_tokenEdit;
    QPushButton *m_saveButton;
    QPushButton *m_removeButton;
    QLabel *m_statusLabel;
};

} // namespace ApoloDeploy
