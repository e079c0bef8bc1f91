// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/AppController.h"

#include "apolo/ApoloClient.h"
#include "apolo/PlatformSession.h"
#include "chat/ChatWorkspace.h"
#include "planner/PlannerPreset.h"
#include "ui/ChatPane.h"
#include "ui/JobsPane.h"
#include "ui/LaunchPane.h"
#include "ui/LogPane.h"
#include "ui/MainWindow.h"
#include "ui/PlannerPane.h"

#include <QSplitter>
#include <QStatusBar>

namespace ApoloDeploy {

namespace {

QList<Planner::PlannerPreset> plannerPresets(const ApoloClient &client)
{
    const Cluster *cluster = client.currentCluster();
    if (!cluster)
        return Planner::builtInPresets();
    QList<Planner::PlannerPreset> result;
    result.reserve(cluster->presets.size());
    for (const Preset &preset : cluster->presets) {
        Planner::PlannerPreset p;
        p.name = preset.name;
        p.gpuCount = preset.gpuCount();
        p.gpuModel = preset.gpuModel();
        p.gpuMemoryBytes = preset.gpuMemoryBytes();
        p.creditsPerHour = preset.creditsPerHour;
        p.cpu = preset.cpu;
        p.memoryBytes = preset.memoryBytes;
        result << p;
    }
    return result;
}

} // namespace

AppController::AppController(const GlobalOptions &options, MainWindow *window)
    : QObject(window)
    , m_window(window)
    , m_session(new PlatformSession({options, /*allowSandboxFallback=*/true, nullptr}, this))
{
    buildPanes();
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
        m_window->focusArea(MainWindow::Area::LaunchJobs);
    });
    connect(m_launch, &LaunchPane::serverJobCreated, this, [this](const QString &jobId) {
        m_logs->followJob(jobId, tr("server"));
        m_window->focusArea(MainWindow::Area::Logs);
    });
    connect(m_launch, &LaunchPane::ready, this, &AppController::onDeploymentReady);
    connect(m_launch, &LaunchPane::statusMessage, this,
            [this](const QString &message) { m_window->statusBar()->showMessage(message, 10000); });
    connect(m_jobs, &JobsPane::statusMessage, this,
            [this](const QString &message) { m_window->statusBar()->showMessage(message, 10000); });
    connect(m_jobs, &JobsPane::logsRequested, this, [this](const QString &jobId) {
        m_logs->followJob(jobId, jobId);
        m_window->focusArea(MainWindow::Area::Logs);
    });
}

void AppController::onSessionStateChanged()
{
    switch (m_session->state()) {
    case PlatformSession::State::Sandbox:
        m_window->setConnectionState(ConnectionKind::Sandbox);
        break;
    case PlatformSession::State::Platform: {
        const ProjectScope &scope = m_session->scope();
        m_window->setConnectionState(ConnectionKind::Platform, scope.cluster, scope.org, scope.project);
        break;
    }
    case PlatformSession::State::Connecting:
        m_window->statusBar()->showMessage(tr("Connecting…"));
        break;
    case PlatformSession::State::SignedOut:
    case PlatformSession::State::Failed:
        m_window->setConnectionState(ConnectionKind::SignedOut);
        break;
    }
}

void AppController::onSessionReady()
{
    ApoloClient *client = m_session->client();
    m_planner->setPresets(plannerPresets(*client));
    m_launch->setClient(client);
    m_jobs->setClient(client);
    m_logs->setClient(client);
    m_launch->resumeSavedLaunch();
    m_window->statusBar()->clearMessage();
}

void AppController::onDeploymentReady(const QUrl &endpoint, const QString &servedModelName)
{
    QPointer<PlatformSession> session = m_session;
    // The job's HTTP endpoint sits behind the platform's ingress: it takes the Apolo token.
    BearerProvider bearer = [session](BearerReady ready) {
        ready(session ? session->client()->credentials().accessToken : QString());
    };
    m_chat->setDeploymentEndpoint(endpoint, servedModelName, bearer);
    m_window->statusBar()->showMessage(tr("%1 is ready at %2").arg(servedModelName, endpoint.toDisplayString()));
}

bool AppController::confirmClose()
{
    return !m_jobs || m_jobs->confirmClose(m_window);
}

} // namespace ApoloDeploy
