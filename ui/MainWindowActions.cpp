// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/MainWindowActions.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenuBar>

namespace ApoloDeploy {

namespace {

// Dock titles such as "Launch & Jobs" must not turn into a mnemonic in menus.
QString menuText(const QString &title)
{
    QString text = title;
    return text.replace(QLatin1Char('&'), QLatin1String("&&"));
}

QAction *makeAction(QObject *parent, const QString &objectName, const QString &text, const QString &toolTip)
{
    auto *action = new QAction(text, parent);
    action->setObjectName(objectName);
    action->setToolTip(toolTip);
    action->setStatusTip(toolTip);
    return action;
}

} // namespace

MainWindowActions::MainWindowActions(QMainWindow *window)
    : QObject(window)
    , m_window(window)
    , m_importFlow(
          makeAction(this, QStringLiteral("importFlowAction"), tr("&Import Flow…"),
                     tr("Open an apolo-flow live.yml: check it and map its Ray / vLLM jobs onto the launch form.")))
    , m_exportFlow(makeAction(this, QStringLiteral("exportFlowAction"), tr("&Export Flow…"),
                              tr("Save the launch form's deployment as an apolo-flow live.yml.")))
    , m_quit(makeAction(this, QStringLiteral("quitAction"), tr("&Quit"),
                        tr("Quit Apolo Deploy Console. Running jobs keep running on the platform.")))
    , m_signIn(makeAction(this, QStringLiteral("signInAction"), tr("&Sign In…"),
                          tr("Sign in to Apolo in the browser, with a token, or with the apolo CLI's login.")))
    , m_signOut(makeAction(this, QStringLiteral("signOutAction"), tr("Sign &Out"),
                           tr("Remove the Apolo token from the system keychain.")))
    , m_hubToken(makeAction(this, QStringLiteral("hubTokenAction"), tr("&Hugging Face Token…"),
                            tr("Keep a Hugging Face token in the keychain to read gated models' configs.")))
    , m_resetLayout(makeAction(this, QStringLiteral("resetLayoutAction"), tr("&Reset Layout"),
                               tr("Put the Plan, Launch and Jobs, Logs and Chat areas back where they started.")))
    , m_about(makeAction(this, QStringLiteral("aboutAction"), tr("&About Apolo Deploy Console"),
                         tr("Version, build and licence information.")))
    , m_aboutQt(
          makeAction(this, QStringLiteral("aboutQtAction"), tr("About &Qt"), tr("Information about the Qt toolkit.")))
{
    m_importFlow->setShortcut(QKeySequence::Open);
    m_exportFlow->setShortcut(QKeySequence::SaveAs);
    m_quit->setShortcut(QKeySequence::Quit);
    m_quit->setMenuRole(QAction::QuitRole);
    m_about->setMenuRole(QAction::AboutRole);
    m_aboutQt->setMenuRole(QAction::AboutQtRole);
    connect(m_quit, &QAction::triggered, m_window, &QWidget::close);
    connect(m_aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);

    for (int area = 0; area < areaCount; ++area) {
        auto *action = new QAction(this);
        action->setObjectName(QStringLiteral("focusArea%1Action").arg(area + 1));
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + area)));
        // Window-wide, so the shortcut works even when focus is inside a floating dock.
        action->setShortcutContext(Qt::ApplicationShortcut);
        connect(action, &QAction::triggered, this, [this, area] { Q_EMIT focusAreaRequested(area); });
        m_focusArea.at(std::size_t(area)) = action;
    }
}

void MainWindowActions::buildMenus(const std::array<QDockWidget *, areaCount> &docks)
{
    QMenuBar *bar = m_window->menuBar();
    bar->setObjectName(QStringLiteral("mainMenuBar"));

    QMenu *file = bar->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("fileMenu"));
    file->setToolTipsVisible(true); // disabled actions explain themselves
    file->addAction(m_importFlow);
    file->addAction(m_exportFlow);
    file->addSeparator();
    file->addAction(m_quit);

    QMenu *account = bar->addMenu(tr("&Account"));
    account->setObjectName(QStringLiteral("accountMenu"));
    account->setToolTipsVisible(true);
    account->addAction(m_signIn);
    account->addAction(m_signOut);
    m_projectMenu = account->addMenu(tr("&Project"));
    m_projectMenu->setObjectName(QStringLiteral("projectMenu"));
    m_projectMenu->setEnabled(false);
    account->addSeparator();
    account->addAction(m_hubToken);

    QMenu *view = bar->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("viewMenu"));
    view->setToolTipsVisible(true);
    for (std::size_t area = 0; area < docks.size(); ++area) {
        QAction *toggle = docks.at(area)->toggleViewAction();
        toggle->setObjectName(docks.at(area)->objectName() + QStringLiteral("ToggleAction"));
        toggle->setText(tr("Show %1").arg(menuText(docks.at(area)->windowTitle())));
        view->addAction(toggle);
    }
    view->addSeparator();
    QMenu *goTo = view->addMenu(tr("&Go To"));
    goTo->setObjectName(QStringLiteral("goToMenu"));
    for (std::size_t area = 0; area < docks.size(); ++area) {
        QAction *focus = m_focusArea.at(area);
        focus->setText(menuText(docks.at(area)->windowTitle()));
        focus->setIcon(docks.at(area)->windowIcon());
        focus->setToolTip(tr("Show and focus the %1 area").arg(docks.at(area)->windowTitle()));
        goTo->addAction(focus);
    }
    view->addSeparator();
    view->addAction(m_resetLayout);

    QMenu *help = bar->addMenu(tr("&Help"));
    help->setObjectName(QStringLiteral("helpMenu"));
    help->addAction(m_about);
    help->addAction(m_aboutQt);
}

} // namespace ApoloDeploy
