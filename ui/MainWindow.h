// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/GlobalOptions.h"
#include "ui/ConnectionStatusWidget.h"

#include <QMainWindow>

#include <array>
#include <functional>

class QDockWidget;

namespace ApoloDeploy {

class MainWindowActions;
class Settings;

// The console's frame: four dockable areas (Plan, Launch & Jobs, Logs, Chat), menus, and a status
// bar with the connection state. The panes themselves are built elsewhere and installed with
// setPane(); until then each area shows a placeholder saying what it will hold.
//
// The user's layout (geometry and dock state) is local state in Settings, apart from preferences.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    enum class Area { Plan, LaunchJobs, Logs, Chat };
    Q_ENUM(Area)
    static constexpr std::array<Area, 4> areas{Area::Plan, Area::LaunchJobs, Area::Logs, Area::Chat};

    explicit MainWindow(const GlobalOptions &options, QWidget *parent = nullptr);
    // For tests: layout goes to settings instead of the global Settings::instance().
    MainWindow(const GlobalOptions &options, Settings &settings, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Installs pane in area and takes ownership; the placeholder (or a previous pane) is deleted.
    void setPane(Area area, QWidget *pane);
    QWidget *pane(Area area) const;
    QDockWidget *dock(Area area) const;
    static QString areaTitle(Area area);

    void setConnectionState(ConnectionKind kind, const QString &cluster = {}, const QString &org = {},
                            const QString &project = {});
    ConnectionStatusWidget *connectionStatus() const { return m_connectionStatus; }
    MainWindowActions *actions() const { return m_actions; }
    const GlobalOptions &options() const { return m_options; }

    // Shows, raises and focuses an area (Ctrl+1..Ctrl+4).
    void focusArea(Area area);
    void resetLayout();
    // Asked when the window is about to close; returning false keeps it open (e.g. the user
    // went back to tear down running jobs).
    void setCloseGuard(std::function<bool()> guard) { m_closeGuard = std::move(guard); }

    // Opens the About dialog window-modally (no nested event loop).
    void showAbout();
    // Layout persistence; restoreLayout() falls back to the default layout when nothing (or
    // something unreadable) was saved.
    void saveLayout();
    bool restoreLayout();

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void createDocks();
    void applyDefaultLayout();
    void applyIcons();
    QDockWidget *&dockSlot(Area area) { return m_docks.at(std::size_t(area)); }

    GlobalOptions m_options;
    Settings &m_settings;
    std::array<QDockWidget *, 4> m_docks{};
    MainWindowActions *m_actions = nullptr;
    ConnectionStatusWidget *m_connectionStatus = nullptr;
    std::function<bool()> m_closeGuard;
    QSize m_sizeAfterLayout; // set while a default layout waits to be applied
};

} // namespace ApoloDeploy
