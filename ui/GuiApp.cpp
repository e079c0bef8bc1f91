// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/GuiApp.h"

#include "core/AppInfo.h"
#include "ui/MainWindow.h"

#include <QApplication>
#include <QGuiApplication>
#include <QIcon>

#include <cstdio>

namespace ApoloDeploy::GuiApp {

namespace {

bool hasDisplay()
{
    const QByteArray platform = qgetenv("QT_QPA_PLATFORM");
    if (!platform.isEmpty())
        return true; // offscreen, xcb with an explicit choice, …: Qt decides.
    return !qgetenv("DISPLAY").isEmpty() || !qgetenv("WAYLAND_DISPLAY").isEmpty();
}

} // namespace

int run(int &argc, char **argv, const GlobalOptions &options)
{
    if (!hasDisplay()) {
        std::fputs("apolo-deploy: no display found (DISPLAY and WAYLAND_DISPLAY are empty).\n"
                   "Start it under a virtual display:  xvfb-run -a ./dev run\n"
                   "or use the command line:           apolo-deploy --help\n",
                   stderr);
        return 1;
    }
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QLatin1String(AppInfo::organizationName));
    QApplication::setApplicationName(QLatin1String(AppInfo::applicationName));
    QApplication::setApplicationDisplayName(QLatin1String(AppInfo::displayName));
    QApplication::setApplicationVersion(AppInfo::version());
    QGuiApplication::setDesktopFileName(QLatin1String(AppInfo::desktopFileName));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/app.svg")));

    MainWindow window(options);
    window.show();
    return QApplication::exec();
}

} // namespace ApoloDeploy::GuiApp
