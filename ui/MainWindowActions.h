// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

#include <array>

class QAction;
class QMenu;
class QDockWidget;
class QMainWindow;

namespace ApoloDeploy {

// Every main-window action in one place, with its standard shortcut, and the menus built from
// them. Actions that belong to features still being built exist but are disabled, with a tooltip
// that says what they will do; whoever lands the feature connects triggered() and enables them.
class MainWindowActions final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindowActions)

public:
    static constexpr int areaCount = 4;

    explicit MainWindowActions(QMainWindow *window);

    // Fills the menu bar; docks are in MainWindow::Area order.
    void buildMenus(const std::array<QDockWidget *, areaCount> &docks);

    QAction *importFlowAction() const { return m_importFlow; }
    QAction *exportFlowAction() const { return m_exportFlow; }
    QAction *quitAction() const { return m_quit; }
    QAction *signInAction() const { return m_signIn; }
    QAction *signOutAction() const { return m_signOut; }
    QAction *hubTokenAction() const { return m_hubToken; }
    // Filled by the controller with the account's projects (one checkable action each).
    QMenu *projectMenu() const { return m_projectMenu; }
    QAction *resetLayoutAction() const { return m_resetLayout; }
    QAction *aboutAction() const { return m_about; }
    QAction *aboutQtAction() const { return m_aboutQt; }
    // Ctrl+1..Ctrl+4: show, raise and focus an area.
    QAction *focusAreaAction(int area) const { return m_focusArea.at(std::size_t(area)); }

Q_SIGNALS:
    void focusAreaRequested(int area);

private:
    QMainWindow *m_window;
    QAction *m_importFlow;
    QAction *m_exportFlow;
    QAction *m_quit;
    QAction *m_signIn;
    QAction *m_signOut;
    QAction *m_hubToken;
    QMenu *m_projectMenu = nullptr;
    QAction *m_resetLayout;
    QAction *m_about;
    QAction *m_aboutQt;
    std::array<QAction *, areaCount> m_focusArea{};
};

} // namespace ApoloDeploy
