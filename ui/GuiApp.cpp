// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/GuiApp.h"

#include "core/AppInfo.h"
#include "core/Settings.h"
#include "ui/AppController.h"
#include "ui/IconProvider.h"
#include "ui/MainWindow.h"
#include "ui/SingleInstance.h"

#include <QApplication>
#include <QGuiApplication>
#include <QTimer>
#include <QWindow>

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

void bringToFront(MainWindow &window)
{
    if (window.isMinimized())
        window.showNormal();
    window.show();
    window.raise();
    window.activateWindow();
}

// Test hook for the smoke test (tests/ui/tst_smoke): once the window is really on screen, close
// it the normal way, so the run also proves that the layout is saved on exit.
void quitAfterExposedIfRequested(MainWindow &window)
{
    if (qEnvironmentVariableIntValue("APOLO_DEPLOY_SMOKE_QUIT_AFTER_SHOW") != 1)
        return;
    auto *poll = new QTimer(&window);
    poll->setInterval(20);
    QObject::connect(poll, &QTimer::timeout, &window, [&window, poll] {
        if (window.windowHandle() && window.windowHandle()->isExposed()) {
            poll->stop();
            window.close();
        }
    });
    poll->start();
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
    QApplication::setWindowIcon(IconProvider::applicationIcon());

    SingleInstance instance(Settings::localDirectory());
    if (!instance.tryBecomePrimary()) {
        QObject::connect(&instance, &SingleInstance::handOffFinished, &app, [](bool delivered, const QString &error) {
            if (!delivered)
                std::fprintf(stderr, "apolo-deploy: %s\n", qPrintable(error));
            QCoreApplication::exit(delivered ? 0 : 1);
        });
        instance.requestRaise();
        return QApplication::exec();
    }

    MainWindow window(options);
    // Owned by the window and deleted after the panes, which keep pointers into it.
    auto *controller = new AppController(options, &window);
    window.setCloseGuard([controller] { return controller->confirmClose(); });
    window.restoreLayout();
    QObject::connect(&instance, &SingleInstance::raiseRequested, &window, [&window] { bringToFront(window); });
    window.show();
    controller->start();
    quitAfterExposedIfRequested(window);
    return QApplication::exec();
}

} // namespace ApoloDeploy::GuiApp
