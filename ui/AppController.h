// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/GlobalOptions.h"

#include <QObject>
#include <QPointer>

namespace ApoloDeploy {

class ChatPane;
class ChatWorkspace;
class JobsPane;
class LaunchPane;
class LogPane;
class MainWindow;
class PlannerPane;
class PlatformSession;
namespace Planner {
class HubClient;
}

// Wires the core to the window: owns the platform session (the embedded apolo-sandbox when no
// account is configured), builds the panes, and connects the flow plan → launch → logs → chat.
// The panes stay unaware of each other; every cross-pane hand-off happens here.
class AppController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AppController)

public:
    AppController(const GlobalOptions &options, MainWindow *window);
    ~AppController() override;

    void start();
    PlatformSession *session() const { return m_session; }
    // Asked before the window closes: false keeps it open (the user chose to go back).
    bool confirmClose();

private:
    void buildPanes();
    void onSessionStateChanged();
    void onSessionReady();
    void onDeploymentReady(const QUrl &endpoint, const QString &servedModelName);
    void connectAccountActions();
    void showSignIn();
    void signOut();
    void updateHubEndpoint();
    void rebuildProjectMenu();
    void attachPanes();

    MainWindow *m_window;
    PlatformSession *m_session;
    ChatWorkspace *m_chatWorkspace = nullptr;
    Planner::HubClient *m_hub = nullptr;
    QPointer<PlannerPane> m_planner;
    QPointer<LaunchPane> m_launch;
    QPointer<JobsPane> m_jobs;
    QPointer<LogPane> m_logs;
    QPointer<ChatPane> m_chat;
};

} // namespace ApoloDeploy
