// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apolo/ApoloError.h"

#include <QDialog>
#include <QUrl>

class QLabel;
class QLineEdit;
class QPushButton;

namespace ApoloDeploy {

class PlatformSession;
class SignInFlow;

// Sign in to Apolo the three ways of apolo-api.md §2 (browser, pasted token, the apolo CLI's
// login) through the same SignInFlow as `apolo-deploy login`. Opened with open() (window-modal,
// no nested event loop); it closes itself once the session is signed in.
class SignInDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignInDialog)

public:
    SignInDialog(PlatformSession *session, QWidget *parent = nullptr);
    ~SignInDialog() override;

    QUrl apiUrl() const;

Q_SIGNALS:
    void signedIn();

protected:
    void reject() override;

private:
    void startBrowser();
    void startToken();
    void startApoloCli();
    void onAuthorizationUrl(const QUrl &url);
    void onFinished(const ApoloError &error);
    void setBusy(bool busy, const QString &message = QString());
    bool checkApiUrl();

    SignInFlow *m_flow;
    QLineEdit *m_apiUrlEdit;
    QPushButton *m_browserButton;
    QLineEdit *m_tokenEdit;
    QPushButton *m_tokenButton;
    QPushButton *m_apoloCliButton;
    QLabel *m_statusLabel;
    QPushButton *m_closeButton;
};

} // namespace ApoloDeploy
