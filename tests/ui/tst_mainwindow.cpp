// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/AppInfo.h"
#include "core/Settings.h"
#include "support/TempConfig.h"
#include "ui/AboutDialog.h"
#include "ui/MainWindow.h"
#include "ui/MainWindowActions.h"
#include "ui/PlaceholderPane.h"
#include "ui/Theme.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDockWidget>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QTabBar>
#include <QTest>
#include <QTimer>
#include <QVBoxLayout>

using namespace ApoloDeploy;
using namespace ApoloDeploy::Test;
using Area = MainWindow::Area;

namespace {

// The colour of the most opaque pixel: what an icon was tinted with.
QColor inkOf(const QIcon &icon)
{
    const QImage image = icon.pixmap(32, 32).toImage().convertToFormat(QImage::Format_ARGB32);
    QColor best(Qt::transparent);
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor pixel = image.pixelColor(x, y);
            if (pixel.alpha() > best.alpha())
                best = pixel;
        }
    }
    return best;
}

QPalette darkPalette()
{
    QPalette palette;
    palette.setColor(QPalette::Window, QColor(0x20, 0x20, 0x24));
    palette.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
    palette.setColor(QPalette::Base, QColor(0x18, 0x18, 0x1b));
    palette.setColor(QPalette::Text, QColor(0xee, 0xee, 0xee));
    return palette;
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void fourAreas_showPlaceholdersSayingWhatTheyWillHold();
    void setPane_replacesPlaceholder();
    void connectionState_signedOut();
    void connectionState_sandboxShowsBadge();
    void connectionState_platformShowsClusterOrgProject();
    void actions_haveStandardShortcuts();
    void focusShortcut_showsAreaAndFocusesPane();
    void resetLayout_bringsBackClosedAreas();
    void layout_roundTripsThroughLocalSettings();
    void unreadableLayout_fallsBackToDefault();
    void about_opensModallyAndCopiesDebugInfo();
    void darkPalette_retintsIcons();
    void controls_haveAccessibleAndObjectNames();

private:
    std::unique_ptr<TempConfig> m_config;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<MainWindow> m_window;
};

void TestMainWindow::init()
{
    m_config = std::make_unique<TempConfig>();
    m_settings = Settings::createForDirectory(m_config->path());
    m_window = std::make_unique<MainWindow>(GlobalOptions{}, *m_settings);
}

void TestMainWindow::cleanup()
{
    m_window.reset();
    m_settings.reset();
    m_config.reset();
}

void TestMainWindow::fourAreas_showPlaceholdersSayingWhatTheyWillHold()
{
    const QStringList titles{QStringLiteral("Plan"), QStringLiteral("Launch and Jobs"), QStringLiteral("Logs"),
                             QStringLiteral("Chat")};
    QCOMPARE(m_window->findChildren<QDockWidget *>().size(), 4);
    for (Area area : MainWindow::areas) {
        QDockWidget *dock = m_window->dock(area);
        QVERIFY(dock);
        QCOMPARE(dock->windowTitle(), titles.at(int(area)));
        QVERIFY(dock->objectName().endsWith(QLatin1String("DockWidget")));
        auto *placeholder = qobject_cast<PlaceholderPane *>(m_window->pane(area));
        QVERIFY(placeholder);
        QCOMPARE(placeholder->title(), titles.at(int(area)));
        QVERIFY(placeholder->description().size() > 40);
    }
}

void TestMainWindow::setPane_replacesPlaceholder()
{
    QPointer<QWidget> placeholder = m_window->pane(Area::Logs);
    auto *pane = new QLineEdit;
    m_window->setPane(Area::Logs, pane);
    QCOMPARE(m_window->pane(Area::Logs), pane);
    QCOMPARE(m_window->dock(Area::Logs)->widget(), pane);
    QVERIFY(m_window->isAncestorOf(pane));
    QCOMPARE(pane->accessibleName(), QStringLiteral("Logs"));
    QTRY_VERIFY(placeholder.isNull());
    // The other areas keep their placeholders.
    QVERIFY(qobject_cast<PlaceholderPane *>(m_window->pane(Area::Chat)));
}

void TestMainWindow::connectionState_signedOut()
{
    m_window->setConnectionState(ConnectionKind::Platform, QStringLiteral("c"), QStringLiteral("o"),
                                 QStringLiteral("p"));
    m_window->setConnectionState(ConnectionKind::SignedOut);
    QCOMPARE(m_window->connectionStatus()->text(), QStringLiteral("Signed out"));
    QVERIFY(!m_window->connectionStatus()->badgeVisible());
    QCOMPARE(m_window->connectionStatus()->kind(), ConnectionKind::SignedOut);
}

void TestMainWindow::connectionState_sandboxShowsBadge()
{
    m_window->setConnectionState(ConnectionKind::Sandbox);
    QCOMPARE(m_window->connectionStatus()->text(), QStringLiteral("Sandbox"));
    QVERIFY(m_window->connectionStatus()->badgeVisible());
    QVERIFY(m_window->connectionStatus()->toolTip().contains(QLatin1String("emulated")));
}

void TestMainWindow::connectionState_platformShowsClusterOrgProject()
{
    m_window->setConnectionState(ConnectionKind::Platform, QStringLiteral("h100-cluster"), QStringLiteral("acme"),
                                 QStringLiteral("llm-serving"));
    QCOMPARE(m_window->connectionStatus()->text(), QStringLiteral("h100-cluster · acme · llm-serving"));
    QVERIFY(!m_window->connectionStatus()->badgeVisible());
    // No organization (a personal account) leaves no empty separator.
    m_window->setConnectionState(ConnectionKind::Platform, QStringLiteral("h100-cluster"), QString(),
                                 QStringLiteral("llm-serving"));
    QCOMPARE(m_window->connectionStatus()->text(), QStringLiteral("h100-cluster · llm-serving"));
}

void TestMainWindow::actions_haveStandardShortcuts()
{
    MainWindowActions *actions = m_window->actions();
    QCOMPARE(actions->quitAction()->shortcut(), QKeySequence(QKeySequence::Quit));
    QCOMPARE(actions->importFlowAction()->shortcut(), QKeySequence(QKeySequence::Open));
    QVERIFY(actions->importFlowAction()->toolTip().contains(QLatin1String("live.yml")));
    QCOMPARE(actions->exportFlowAction()->shortcut(), QKeySequence(QKeySequence::SaveAs));
    QVERIFY(actions->signInAction()->isEnabled());
    for (int area = 0; area < MainWindowActions::areaCount; ++area)
        QCOMPARE(actions->focusAreaAction(area)->shortcut(), QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + area)));
}

void TestMainWindow::focusShortcut_showsAreaAndFocusesPane()
{
    auto *pane = new QWidget;
    auto *edit = new QLineEdit(pane);
    edit->setObjectName(QStringLiteral("filterLineEdit"));
    (new QVBoxLayout(pane))->addWidget(edit);
    m_window->setPane(Area::Logs, pane);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    m_window->dock(Area::Logs)->close();
    QVERIFY(!m_window->dock(Area::Logs)->isVisible());

    QTest::keyClick(m_window.get(), Qt::Key_3, Qt::ControlModifier);
    QTRY_VERIFY(m_window->dock(Area::Logs)->isVisible());
    QTRY_COMPARE(QApplication::focusWidget(), edit);
}

void TestMainWindow::resetLayout_bringsBackClosedAreas()
{
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->dock(Area::Chat)->close();
    m_window->dock(Area::Plan)->setFloating(true);
    m_window->actions()->resetLayoutAction()->trigger();
    for (Area area : MainWindow::areas) {
        QVERIFY(m_window->dock(area)->toggleViewAction()->isChecked()); // open, maybe as a background tab
        QVERIFY(!m_window->dock(area)->isFloating());
    }
    // The steps of work are tabs, Plan in front; Logs stays in view below them.
    const QList<QDockWidget *> tabs = m_window->tabifiedDockWidgets(m_window->dock(Area::Plan));
    QVERIFY(tabs.contains(m_window->dock(Area::LaunchJobs)));
    QVERIFY(tabs.contains(m_window->dock(Area::Chat)));
    QVERIFY(!tabs.contains(m_window->dock(Area::Logs)));
    QTRY_VERIFY(m_window->dock(Area::Plan)->isVisible());
    QVERIFY(m_window->dock(Area::Logs)->isVisible());
    // Background tabs stay "visible" to Qt but are parked outside the window.
    QTRY_VERIFY(m_window->dock(Area::Chat)->visibleRegion().isEmpty());
    QVERIFY(!m_window->dock(Area::Plan)->visibleRegion().isEmpty());
    QVERIFY(m_window->dock(Area::Logs)->geometry().top() >= m_window->dock(Area::Plan)->geometry().bottom());
    QVERIFY(m_window->dock(Area::Plan)->width() > m_window->width() * 9 / 10);
}

void TestMainWindow::layout_roundTripsThroughLocalSettings()
{
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->dock(Area::Chat)->close();
    m_window->close(); // closing saves
    QVERIFY(!m_settings->value(Settings::Key::WindowState).toByteArray().isEmpty());
    QVERIFY(!m_settings->value(Settings::Key::WindowGeometry).toByteArray().isEmpty());
    QCOMPARE(Settings::scope(Settings::Key::WindowState), Settings::Scope::Local);

    MainWindow reopened(GlobalOptions{}, *m_settings);
    QVERIFY(reopened.restoreLayout());
    reopened.show();
    QVERIFY(QTest::qWaitForWindowExposed(&reopened));
    QVERIFY(!reopened.dock(Area::Chat)->isVisible());
    QVERIFY(reopened.dock(Area::Logs)->isVisible());
}

void TestMainWindow::unreadableLayout_fallsBackToDefault()
{
    m_settings->setValue(Settings::Key::WindowState, QByteArray("not a saved state"));
    MainWindow reopened(GlobalOptions{}, *m_settings);
    QVERIFY(!reopened.restoreLayout());
    reopened.show();
    QVERIFY(QTest::qWaitForWindowExposed(&reopened));
    for (Area area : MainWindow::areas)
        QVERIFY(reopened.dock(area)->toggleViewAction()->isChecked());
    QVERIFY(reopened.dock(Area::Plan)->isVisible());
    QVERIFY(reopened.dock(Area::Logs)->isVisible());
}

void TestMainWindow::about_opensModallyAndCopiesDebugInfo()
{
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    // KeePassXC's TEST_MODAL pattern: trigger from the event loop, then wait for the modal widget.
    QTimer::singleShot(0, m_window->actions()->aboutAction(), &QAction::trigger);
    QTRY_VERIFY(qobject_cast<AboutDialog *>(QApplication::activeModalWidget()));
    QPointer<AboutDialog> dialog = qobject_cast<AboutDialog *>(QApplication::activeModalWidget());

    const QString info = dialog->debugInfo();
    QVERIFY(info.contains(AppInfo::version()));
    QVERIFY(info.contains(AppInfo::gitHash()));
    QVERIFY(info.contains(QLatin1String("QtKeychain")));
    QVERIFY(info.contains(QLatin1String("yaml-cpp")));
    QVERIFY(AboutDialog::licenceText().contains(QLatin1String("GPL-3.0-or-later")));
    QVERIFY(AboutDialog::licenceText().contains(QLatin1String("Qt Charts (GPL-3.0")));

    auto *copy = dialog->findChild<QPushButton *>(QStringLiteral("copyPushButton"));
    QVERIFY(copy);
    QTest::mouseClick(copy, Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), info);

    dialog->reject();
    QTRY_VERIFY(dialog.isNull()); // deletes itself on close
    QVERIFY(!QApplication::activeModalWidget());
}

void TestMainWindow::darkPalette_retintsIcons()
{
    QPalette light;
    light.setColor(QPalette::Window, QColor(0xf4, 0xf4, 0xf5));
    light.setColor(QPalette::WindowText, QColor(0x11, 0x11, 0x11));
    m_window->setPalette(light);
    QVERIFY(!Theme::isDark(m_window->palette()));
    QVERIFY(inkOf(m_window->dock(Area::Plan)->windowIcon()).lightness() < 64);

    m_window->setPalette(darkPalette());
    QVERIFY(Theme::isDark(m_window->palette()));
    QVERIFY(inkOf(m_window->dock(Area::Plan)->windowIcon()).lightness() > 192);
}

void TestMainWindow::controls_haveAccessibleAndObjectNames()
{
    for (Area area : MainWindow::areas)
        QVERIFY(!m_window->dock(area)->accessibleName().isEmpty());
    QVERIFY(!m_window->connectionStatus()->accessibleName().isEmpty());
    const auto widgets = m_window->findChildren<QWidget *>();
    for (QWidget *widget : widgets) {
        const QString name = widget->objectName();
        if (name.isEmpty() || name.startsWith(QLatin1String("qt_")))
            continue; // Qt's internal children
        if (qobject_cast<QTabBar *>(widget->parentWidget()) && widget->parentWidget()->parentWidget() == m_window.get())
            continue; // the scroll buttons of the main window's own dock tab bar
        const QString className =
            QString::fromLatin1(widget->metaObject()->className()).section(QLatin1String("::"), -1);
        const QString suffix = className.startsWith(QLatin1Char('Q')) ? className.mid(1) : className;
        QVERIFY2(name.endsWith(suffix, Qt::CaseInsensitive) || name.endsWith(QLatin1String("Pane")),
                 qPrintable(name + QStringLiteral(" is a ") + className));
    }
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
