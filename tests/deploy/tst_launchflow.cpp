// SPDX-License-Identifier: GPL-3.0-or-later
// The whole GUI flow in sandbox mode, through the real main window and AppController:
// plan -> Use this plan -> Launch -> phases in the log pane -> ready -> chat has the endpoint.
// With ADC_SCREENSHOT_DIR set (under xvfb-run) each step is saved as a PNG there.

#include "core/Settings.h"
#include "support/TempConfig.h"
#include "ui/AppController.h"
#include "ui/ChatPane.h"
#include "ui/LaunchPane.h"
#include "ui/LogPane.h"
#include "ui/MainWindow.h"
#include "ui/PlannerPane.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

using namespace ApoloDeploy;

namespace {

void saveScreenshot(QWidget *widget, const char *name)
{
    const QByteArray dir = qgetenv("ADC_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QVERIFY(widget->grab().save(QString::fromLocal8Bit(dir) + QLatin1Char('/') + QLatin1String(name)));
}

} // namespace

class TestLaunchFlow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void planUsePlanLaunch_reachesChat()
    {
        Test::TempConfig config;
        qputenv("APOLO_DEPLOY_SANDBOX_SPEED", "200");
        const std::unique_ptr<Settings> settings = Settings::createForDirectory(config.path());
        const GlobalOptions options{QUrl(), /*sandbox=*/true};
        MainWindow window(options, *settings);
        window.resize(1400, 900);
        auto *controller = new AppController(options, &window);
        controller->start();
        window.show();

        auto *planner = window.findChild<PlannerPane *>(QStringLiteral("plannerPane"));
        auto *launchPane = window.findChild<LaunchPane *>(QStringLiteral("launchPane"));
        auto *logs = window.findChild<LogPane *>();
        auto *chat = window.findChild<ChatPane *>();
        QVERIFY(planner && launchPane && logs && chat);

        // 1. Plan the flagship: DeepSeek-R1 AWQ, 2 nodes, 100k context.
        auto *model = planner->findChild<QComboBox *>(QStringLiteral("modelComboBox"));
        const int index = model->findData(QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ"));
        QVERIFY(index >= 0);
        model->setCurrentIndex(index);
        planner->findChild<QSpinBox *>(QStringLiteral("nodesSpinBox"))->setValue(2);
        planner->findChild<QSpinBox *>(QStringLiteral("contextSpinBox"))->setValue(100000);
        auto *usePlan = planner->findChild<QPushButton *>(QStringLiteral("usePlanPushButton"));
        auto *verdict = planner->findChild<QLabel *>(QStringLiteral("verdictLabel"));
        QTRY_VERIFY2_WITH_TIMEOUT(verdict->text().contains(QLatin1String("DeepSeek-R1-AWQ")) &&
                                      verdict->text().contains(QLatin1String("PP 2")),
                                  qPrintable(verdict->text()), 20000);
        QVERIFY(usePlan->isEnabled());
        window.focusArea(MainWindow::Area::Plan);
        saveScreenshot(&window, "flow-1-plan.png");

        // 2. Use this plan: the launch form holds it, valid, and Launch is enabled once connected.
        usePlan->click();
        auto *launch = launchPane->findChild<QPushButton *>(QStringLiteral("launchPushButton"));
        QTRY_VERIFY_WITH_TIMEOUT(launch->isEnabled(), 20000);
        const Deployment d = launchPane->deployment();
        QCOMPARE(d.model, QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ"));
        QCOMPARE(d.pipelineParallel, 2);
        QCOMPARE(d.maxModelLen, 100000);
        saveScreenshot(&window, "flow-2-use-plan.png");

        // 3. Launch: the log pane follows the server and shows its phases; 4. ready.
        QSignalSpy serverReady(logs, &LogPane::serverReady);
        QSignalSpy ready(launchPane, &LaunchPane::ready);
        launch->click();
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty(), 90000);
        QTRY_VERIFY_WITH_TIMEOUT(!serverReady.isEmpty(), 20000);
        window.focusArea(MainWindow::Area::Logs);
        saveScreenshot(&window, "flow-3-log-phases.png");
        window.focusArea(MainWindow::Area::LaunchJobs);
        saveScreenshot(&window, "flow-4-ready.png");

        // 5. Chat knows the deployment's endpoint.
        auto *endpointUrl = chat->findChild<QLabel *>(QStringLiteral("endpointUrlLabel"));
        QVERIFY(endpointUrl);
        QTRY_VERIFY(endpointUrl->text().contains(ready.constFirst().at(0).toUrl().host()));
        window.focusArea(MainWindow::Area::Chat);
        saveScreenshot(&window, "flow-5-chat.png");
        qunsetenv("APOLO_DEPLOY_SANDBOX_SPEED");
    }
};

QTEST_MAIN(TestLaunchFlow)
#include "tst_launchflow.moc"
