// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/AppController.h"

#include "apolo/ApoloClient.h"
#include "apolo/PlatformSession.h"
#include "chat/ChatWorkspace.h"
#include "core/SecretStore.h"
#include "core/Settings.h"
#include "deploy/Deployment.h"
#include "deploy/LaunchSequence.h"
#include "deploy/PlanFitRule.h"
#include "planner/HubClient.h"
#include "planner/PlannerPreset.h"
#include "ui/ChatPane.h"
#include "ui/HubTokenDialog.h"
#include "ui/JobsPane.h"
#include "ui/LaunchPane.h"
#include "ui/LogPane.h"
#include "ui/MainWindow.h"
#include "ui/MainWindowActions.h"
#include "ui/PlannerPane.h"
#include "ui/SignInDialog.h"

#include <QActionGroup>
#include <QMenu>
#include <QSplitter>
#include <QStatusBar>

namespace ApoloDeploy {

AppController::AppController(const GlobalOptions &options, MainWindow *window)
    : QObject(window)
    , m_window(window)
    , m_session(new PlatformSession({options, /*allowSandboxFallback=*/true, nullptr}, this))
{
    buildPanes();
    connectAccountActions();
    connect(m_session, &PlatformSession::stateChanged, this, &AppController::onSessionStateChanged);
    connect(m_session, &PlatformSession::ready, this, &AppController::onSessionReady);
    connect(m_session, &PlatformSession::failed, this, [this](const ApoloError &error) {
        m_window->statusBar()->showMessage(tr("Could not connect: %1").arg(error.toString()));
    });
}

AppController::~AppController() = default;

void AppController::start()
{
    onSessionStateChanged();
    m_session->connectToPlatform();
}

void AppController::buildPanes()
{
    m_planner = new PlannerPane(Planner::builtInPresets());
    m_window->setPane(MainWindow::Area::Plan, m_planner);
    // Hub fetches share the platform client's access manager (one network layer); the token is
    // HF_TOKEN like the hub's own tools, else the keychain's.
    m_hub = new Planner::HubClient(m_session->client()->network(), this);
    if (!qEnvironmentVariableIsEmpty("HF_TOKEN")) {
        m_hub->setToken(qgetenv("HF_TOKEN"));
    } else {
        SecretStore::instance().read(Planner::HubClient::keychainKey(), m_hub,
                                     [hub = m_hub](const SecretResult &result) {
                                         if (result.ok)
                                             hub->setToken(result.value);
                                     });
    }
    m_planner->setHubClient(m_hub);

    auto *launchAndJobs = new QSplitter(Qt::Vertical);
    launchAndJobs->setObjectName(QStringLiteral("launchJobsSplitter"));
    m_launch = new LaunchPane(launchAndJobs);
    m_jobs = new JobsPane(launchAndJobs);
    launchAndJobs->addWidget(m_launch);
    launchAndJobs->addWidget(m_jobs);
    launchAndJobs->setStretchFactor(0, 3);
    launchAndJobs->setStretchFactor(1, 2);
    m_window->setPane(MainWindow::Area::LaunchJobs, launchAndJobs);

    m_logs = new LogPane;
    m_window->setPane(MainWindow::Area::Logs, m_logs);

    m_chatWorkspace = new ChatWorkspace(m_session->client()->network(), this);
    m_chat = new ChatPane(m_chatWorkspace);
    m_window->setPane(MainWindow::Area::Chat, m_chat);

    connect(m_planner, &PlannerPane::planAccepted, this, [this](const Planner::DeploymentPlan &plan) {
        m_launch->usePlan(plan);
        // What the log pane compares with vLLM's own memory lines once the server starts.
        m_logs->setMemoryPlan(plan.memory);
        m_window->focusArea(MainWindow::Area::LaunchJobs);
    });
    // Head and workers are merged into the log as they appear (a worker that cannot reach the head
    // says so there); the server comes last, so it drives the phase bar. Open WebUI stays out.
    connect(m_launch, &LaunchPane::launchJobCreated, this, [this](const QString &jobId, const QString &jobName) {
        if (!jobName.endsWith(QLatin1String("-web")))
            m_logs->followJob(jobId, jobName);
        m_jobs->refresh(); // the new job shows in the table and the cost meter now, not at the next poll
    });
    connect(m_launch, &LaunchPane::launchJobUpdated, m_jobs, &JobsPane::updateJob);
    connect(m_launch, &LaunchPane::serverJobCreated, this, [this] { m_window->focusArea(MainWindow::Area::Logs); });
    connect(m_launch, &LaunchPane::ready, this, &AppController::onDeploymentReady);
    connect(m_launch, &LaunchPane::statusMessage, this,
            [this](const QString &message) { m_window->statusBar()->showMessage(message, 10000); });
    connect(m_jobs, &JobsPane::statusMessage, this,
            [this](const QString &message) { m_window->statusBar()->showMessage(message, 10000); });
    connect(m_jobs, &JobsPane::logsRequested, this, [this](const QString &jobId, const QString &label) {
        m_logs->followJob(jobId, label);
        m_window->focusArea(MainWindow::Area::Logs);
    });
}

void AppController::onSessionStateChanged()
{
    switch (m_session->state()) {
    case PlatformSession::State::Sandbox: m_window->setConnectionState(ConnectionKind::Sandbox); break;
    case PlatformSession::State::Platform: {
        const ProjectScope &scope = m_session->scope();
        m_window->setConnectionState(ConnectionKind::Platform, scope.cluster, scope.org, scope.project);
        break;
    }
    case PlatformSession::State::Connecting: m_window->statusBar()->showMessage(tr("Connecting…")); break;
    case PlatformSession::State::SignedOut:
    case PlatformSession::State::Failed:
        m_window->setConnectionState(ConnectionKind::SignedOut);
        m_window->statusBar()->showMessage(tr("Signed out: Account > Sign In… to use Apolo."));
        break;
    }
    m_window->actions()->signOutAction()->setEnabled(m_session->state() == PlatformSession::State::Platform);
}

void AppController::onSessionReady()
{
    // The sandbox plays startups faster than real time: poll it as often, so its phases show promptly.
    LaunchSequence::Options launchOptions;
    if (m_session->state() == PlatformSession::State::Sandbox) {
        launchOptions.pollIntervalMs = 1000;
        launchOptions.healthIntervalMs = 1000;
    }
    m_launch->setLaunchOptions(launchOptions);
    updateHubEndpoint();
    rebuildProjectMenu();
    attachPanes();
    m_launch->resumeSavedLaunch();
    m_window->statusBar()->clearMessage();
}

// The panes read presets and jobs of the current cluster / project through the client.
void AppController::attachPanes()
{
    ApoloClient *client = m_session->client();
    m_planner->setPresets(PlanFitRule::presetsOf(client->currentCluster()));
    m_launch->setClient(client);
    m_jobs->setClient(client);
    m_logs->setClient(client);
}

void AppController::onDeploymentReady(const QUrl &endpoint, const QString &servedModelName)
{
    const Deployment deployment = m_launch->deployment();
    QString message = tr("%1 is ready at %2.").arg(servedModelName, endpoint.toDisplayString());
    if (deployment.httpAuth) {
        // The platform's ingress in front of the job takes the Apolo token (and nothing else gets it).
        QPointer<PlatformSession> session = m_session;
        BearerProvider bearer = [session](BearerReady ready) {
            ready(session ? session->client()->credentials().accessToken : QString());
        };
        m_chat->setDeploymentEndpoint(endpoint, servedModelName, bearer, ChatEndpoint::Credential::PlatformToken);
    } else {
        // No ingress auth: the token stays home. A vLLM --api-key lives in a platform secret that
        // cannot be read back, so the chat pane shows the endpoint's warning or asks for the key.
        m_chat->setDeploymentEndpoint(endpoint, servedModelName, nullptr, ChatEndpoint::Credential::None);
        if (!deployment.apiKeySecret.isEmpty())
            message += u' ' + tr("It wants its vLLM API key (secret %1): enter it under Chat > Connection.")
                                  .arg(deployment.apiKeySecret);
    }
    m_window->statusBar()->showMessage(message);
    // The next step is to talk to it.
    m_window->focusArea(MainWindow::Area::Chat);
}

void AppController::connectAccountActions()
{
    MainWindowActions *actions = m_window->actions();
    connect(actions->importFlowAction(), &QAction::triggered, this, [this] {
        m_window->focusArea(MainWindow::Area::LaunchJobs);
        m_launch->chooseFlowToImport();
    });
    connect(actions->exportFlowAction(), &QAction::triggered, this, [this] {
        m_window->focusArea(MainWindow::Area::LaunchJobs);
        m_launch->saveFlow();
    });
    connect(actions->signInAction(), &QAction::triggered, this, &AppController::showSignIn);
    connect(actions->signOutAction(), &QAction::triggered, this, &AppController::signOut);
    actions->signOutAction()->setEnabled(false);
    connect(actions->hubTokenAction(), &QAction::triggered, this, [this] {
        auto *dialog = new HubTokenDialog(m_window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &HubTokenDialog::tokenChanged, m_hub, &Planner::HubClient::setToken);
        dialog->open();
    });
}

void AppController::showSignIn()
{
    auto *dialog = new SignInDialog(m_session, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void AppController::signOut()
{
    m_session->signOut([this](const ApoloError &error) {
        if (error.isError())
            m_window->statusBar()->showMessage(error.toString());
        // Back to where a newcomer starts: the embedded sandbox, unless the user turned it off.
        m_session->connectToPlatform();
    });
}

void AppController::rebuildProjectMenu()
{
    QMenu *menu = m_window->actions()->projectMenu();
    menu->clear();
    const QList<Project> &projects = m_session->client()->serverConfig().projects;
    const ProjectScope current = m_session->scope();
    auto *group = new QActionGroup(menu);
    for (const Project &project : projects) {
        const ProjectScope scope{project.clusterName, project.orgName, project.name};
        QAction *action = menu->addAction(tr("%1 (%2 / %3)").arg(project.name, project.orgName, project.clusterName));
        action->setCheckable(true);
        action->setChecked(scope == current);
        action->setActionGroup(group);
        connect(action, &QAction::triggered, this, [this, scope] {
            if (const ApoloError error = m_session->selectScope(scope); error.isError())
                return m_window->statusBar()->showMessage(error.toString());
            onSessionStateChanged(); // the status bar names the new project
            attachPanes();
        });
    }
    menu->setEnabled(projects.size() > 1);
}

void AppController::updateHubEndpoint()
{
    if (!qEnvironmentVariableIsEmpty("HF_ENDPOINT"))
        return; // HubClient took it at construction, like the hub's own tools
    QUrl endpoint(Settings::instance().value(Settings::Key::HuggingFaceEndpoint).toString(), QUrl::StrictMode);
    if (m_session->state() == PlatformSession::State::Sandbox) {
        // The sandbox serves a hub stand-in for the catalog on its own origin.
        endpoint = m_session->client()->apiUrl().adjusted(QUrl::RemovePath | QUrl::RemoveQuery);
        endpoint.setPath(QStringLiteral("/hf"));
    }
    m_hub->setEndpoint(endpoint.isEmpty() ? QUrl(QStringLiteral("https://huggingface.co")) : endpoint);
}

bool AppController::confirmClose()
{
    return !m_jobs || m_jobs->confirmClose(m_window);
}

} // namespace ApoloDeploy
