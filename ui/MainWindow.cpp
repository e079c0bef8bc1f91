// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/MainWindow.h"

#include "core/Settings.h"
#include "ui/AboutDialog.h"
#include "ui/IconProvider.h"
#include "ui/MainWindowActions.h"
#include "ui/PlaceholderPane.h"

#include <QAction>
#include <QCloseEvent>
#include <QDockWidget>
#include <QGuiApplication>
#include <QScreen>
#include <QStatusBar>
#include <QTimer>

#include <utility>

namespace ApoloDeploy {

namespace {

// Bump when the dock set changes so that an old saved layout is ignored instead of misapplied.
constexpr int layoutVersion = 1;
constexpr QSize defaultWindowSize(1280, 800);

// Most of the screen on first start (the planner's table and charts and a log want room), never
// more than the screen.
QSize initialWindowSize()
{
    const QScreen *screen = QGuiApplication::primaryScreen();
    if (!screen)
        return defaultWindowSize;
    const QSize available = screen->availableSize();
    return defaultWindowSize.expandedTo(available * 0.9).boundedTo(available);
}

IconId areaIcon(MainWindow::Area area)
{
    switch (area) {
    case MainWindow::Area::Plan: return IconId::Plan;
    case MainWindow::Area::LaunchJobs: return IconId::Launch;
    case MainWindow::Area::Logs: return IconId::Logs;
    case MainWindow::Area::Chat: return IconId::Chat;
    }
    Q_UNREACHABLE();
}

QString areaKey(MainWindow::Area area)
{
    switch (area) {
    case MainWindow::Area::Plan: return QStringLiteral("plan");
    case MainWindow::Area::LaunchJobs: return QStringLiteral("launchJobs");
    case MainWindow::Area::Logs: return QStringLiteral("logs");
    case MainWindow::Area::Chat: return QStringLiteral("chat");
    }
    Q_UNREACHABLE();
}

QString placeholderText(MainWindow::Area area)
{
    switch (area) {
    case MainWindow::Area::Plan:
        return MainWindow::tr("Pick a model preset and GPUs, and see before launching whether it fits in memory "
                              "(weights, KV cache, context length) and what it costs per hour.");
    case MainWindow::Area::LaunchJobs:
        return MainWindow::tr("Launch the planned deployment (Ray head, workers and the vLLM server), follow each "
                              "step, and see or stop your running jobs.");
    case MainWindow::Area::Logs:
        return MainWindow::tr("Live logs of the head, the workers and the vLLM server, with loading progress and "
                              "explanations of common failures.");
    case MainWindow::Area::Chat:
        return MainWindow::tr("Chat with the deployed model through its OpenAI-compatible endpoint, with the "
                              "model's reasoning shown apart from the answer.");
    }
    Q_UNREACHABLE();
}

} // namespace

MainWindow::MainWindow(const GlobalOptions &options, QWidget *parent)
    : MainWindow(options, Settings::instance(), parent)
{}

MainWindow::MainWindow(const GlobalOptions &options, Settings &settings, QWidget *parent)
    : QMainWindow(parent)
    , m_options(options)
    , m_settings(settings)
    , m_actions(new MainWindowActions(this))
    , m_connectionStatus(new ConnectionStatusWidget(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Apolo Deploy Console"));
    setWindowIcon(IconProvider::applicationIcon());
    setDockNestingEnabled(true);
    setDockOptions(AnimatedDocks | AllowNestedDocks | AllowTabbedDocks);
    setTabPosition(Qt::AllDockWidgetAreas, QTabWidget::North);

    createDocks();
    m_actions->buildMenus(m_docks);
    connect(m_actions, &MainWindowActions::focusAreaRequested, this, [this](int area) { focusArea(Area(area)); });
    connect(m_actions->resetLayoutAction(), &QAction::triggered, this, &MainWindow::resetLayout);
    connect(m_actions->aboutAction(), &QAction::triggered, this, &MainWindow::showAbout);
    for (QAction *action : {m_actions->focusAreaAction(0), m_actions->focusAreaAction(1), m_actions->focusAreaAction(2),
                            m_actions->focusAreaAction(3)})
        addAction(action); // shortcuts need the actions on a visible widget, menus are not enough offscreen

    statusBar()->setObjectName(QStringLiteral("mainStatusBar"));
    statusBar()->addPermanentWidget(m_connectionStatus);
    applyIcons();
    resize(initialWindowSize());
    applyDefaultLayout();
}

MainWindow::~MainWindow() = default;

QString MainWindow::areaTitle(Area area)
{
    switch (area) {
    case Area::Plan: return tr("Plan");
    case Area::LaunchJobs: return tr("Launch and Jobs");
    case Area::Logs: return tr("Logs");
    case Area::Chat: return tr("Chat");
    }
    Q_UNREACHABLE();
}

void MainWindow::createDocks()
{
    for (Area area : areas) {
        auto *dock = new QDockWidget(areaTitle(area), this);
        // saveState() identifies docks by object name: never rename these.
        dock->setObjectName(areaKey(area) + QStringLiteral("DockWidget"));
        dock->setAccessibleName(areaTitle(area));
        dock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable |
                          QDockWidget::DockWidgetFloatable);
        auto *placeholder = new PlaceholderPane(areaIcon(area), areaTitle(area), placeholderText(area), dock);
        placeholder->setObjectName(areaKey(area) + QStringLiteral("PlaceholderPane"));
        dock->setWidget(placeholder);
        dockSlot(area) = dock;
    }
}

// Plan, Launch and Jobs and Chat as tabs in the order of work, each with the window's full width
// (the planner's table and charts and the chat need it); Logs below them, visible whichever step
// is current, because a launch is watched there. The controller raises the tab a step needs.
void MainWindow::applyDefaultLayout()
{
    // Re-adding docks to a window grows it to the panes' size hints; the size is put back below.
    const QSize windowSize = size();
    for (QDockWidget *dock : m_docks) {
        dock->setFloating(false);
        dock->show();
        removeDockWidget(dock);
    }
    for (QDockWidget *dock : m_docks) {
        addDockWidget(Qt::LeftDockWidgetArea, dock);
        dock->show();
    }
    splitDockWidget(dock(Area::Plan), dock(Area::Logs), Qt::Vertical);
    tabifyDockWidget(dock(Area::Plan), dock(Area::LaunchJobs));
    tabifyDockWidget(dock(Area::LaunchJobs), dock(Area::Chat));
    // Once the layout has been applied (the tab bar exists, the panes' size hints have been taken,
    // which grows a window that is not shown yet): the window back to its size, Plan in front, the
    // work area above the log.
    const bool armed = m_sizeAfterLayout.isValid();
    m_sizeAfterLayout = windowSize;
    if (armed)
        return;
    QTimer::singleShot(0, this, [this] {
        const QSize target = std::exchange(m_sizeAfterLayout, QSize());
        if (target.isValid())
            resize(target);
        dock(Area::Plan)->raise();
        resizeDocks({dock(Area::Plan), dock(Area::Logs)}, {height() * 62 / 100, height() * 38 / 100}, Qt::Vertical);
    });
}

void MainWindow::setPane(Area area, QWidget *pane)
{
    Q_ASSERT(pane);
    QDockWidget *target = dock(area);
    QWidget *previous = target->widget();
    if (previous == pane)
        return;
    if (pane->accessibleName().isEmpty())
        pane->setAccessibleName(areaTitle(area));
    target->setWidget(pane);
    if (previous) {
        previous->hide();
        previous->deleteLater();
    }
}

QWidget *MainWindow::pane(Area area) const
{
    return dock(area)->widget();
}

QDockWidget *MainWindow::dock(Area area) const
{
    return m_docks.at(std::size_t(area));
}

void MainWindow::setConnectionState(ConnectionKind kind, const QString &cluster, const QString &org,
                                    const QString &project)
{
    m_connectionStatus->setState(kind, cluster, org, project);
}

void MainWindow::focusArea(Area area)
{
    QDockWidget *target = dock(area);
    target->show();
    target->raise(); // brings a tabified dock to the front
    QWidget *content = target->widget();
    // Focus the pane's own first focusable control rather than the container.
    QWidget *focusTarget = content->focusPolicy() != Qt::NoFocus ? content : content->nextInFocusChain();
    if (focusTarget && content->isAncestorOf(focusTarget))
        focusTarget->setFocus(Qt::ShortcutFocusReason);
    else
        content->setFocus(Qt::ShortcutFocusReason);
    if (target->isFloating())
        target->activateWindow();
}

void MainWindow::resetLayout()
{
    applyDefaultLayout();
}

void MainWindow::showAbout()
{
    auto *dialog = new AboutDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::saveLayout()
{
    m_settings.setValue(Settings::Key::WindowGeometry, saveGeometry());
    m_settings.setValue(Settings::Key::WindowState, saveState(layoutVersion));
}

bool MainWindow::restoreLayout()
{
    const QByteArray geometry = m_settings.value(Settings::Key::WindowGeometry).toByteArray();
    const QByteArray state = m_settings.value(Settings::Key::WindowState).toByteArray();
    if (!geometry.isEmpty() && restoreGeometry(geometry) && m_sizeAfterLayout.isValid())
        m_sizeAfterLayout = size(); // the saved size wins over the first-start one
    if (state.isEmpty() || !restoreState(state, layoutVersion)) {
        applyDefaultLayout();
        return false;
    }
    return true;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_closeGuard && !m_closeGuard()) {
        event->ignore();
        return;
    }
    saveLayout();
    m_settings.sync();
    QMainWindow::closeEvent(event);
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyIcons();
}

void MainWindow::applyIcons()
{
    for (Area area : areas) {
        const QIcon icon = IconProvider::icon(areaIcon(area), palette());
        dock(area)->setWindowIcon(icon);
        m_actions->focusAreaAction(int(area))->setIcon(icon);
    }
}

} // namespace ApoloDeploy
