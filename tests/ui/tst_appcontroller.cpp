// SPDX-License-Identifier: GPL-3.0-or-later
// The console's whole flow, driven like a user in the real window against the embedded
// apolo-sandbox: plan → Use this plan → Launch → the serving log in the log pane → ready → chat.
// With ADC_SCREENSHOT_DIR set it saves a screenshot of each step (docs/screenshots/flow-*.png).
#include "apolo/PlatformSession.h"
#include "chat/ChatSession.h"
#include "chat/ChatTurn.h"
#include "chat/ChatWorkspace.h"
#include "deploy/Deployment.h"
#include "support/TempConfig.h"
#include "ui/AppController.h"
#include "ui/ChatPane.h"
#include "ui/JobsPane.h"
#include "ui/LaunchPane.h"
#include "ui/LogPane.h"
#include "ui/MainWindow.h"
#include "ui/MainWindowActions.h"
#include "ui/PlannerPane.h"
#include "ui/chat/ChatComposer.h"
#include "ui/chat/ServingMetricsView.h"

#include <QAbstractItemModel>
#include <QAbstractItemView>
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QDir>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTest>

using namespace ApoloDeploy;
using namespace ApoloDeploy::Test;

namespace {

// Every row of the log view's model, joined; the view shows the serving job's log.
QString logText(QAbstractItemView *view)
{
    QStringList lines;
    const QAbstractItemModel *model = view->model();
    for (int row = 0; row < model->rowCount(); ++row)
        lines << model->index(row, 0).data().toString();
    return lines.join(u'\n');
}

// The status column of every job row (children of the deployment rows).
QStringList statusTexts(const QAbstractItemModel *model, const QModelIndex &parent = {})
{
    QStringList texts;
    for (int row = 0; row < model->rowCount(parent); ++row) {
        texts << model->index(row, 1, parent).data().toString();
        texts << statusTexts(model, model->index(row, 0, parent));
    }
    return texts;
}

} // namespace

class tst_AppController : public QObject
{
    Q_OBJECT

private:
    QString m_screenshotDir = qEnvironmentVariable("ADC_SCREENSHOT_DIR");

    void shoot(QWidget *window, const QString &name)
    {
        if (m_screenshotDir.isEmpty())
            return;
        QDir().mkpath(m_screenshotDir);
        QVERIFY(window->grab().save(m_screenshotDir + u'/' + name + QStringLiteral(".png")));
    }

private Q_SLOTS:
    void planLaunchLogsChat_inTheSandbox()
    {
        TempConfig config;
        qputenv("APOLO_DEPLOY_SANDBOX_SPEED", "200");
        qunsetenv("APOLO_DEPLOY_TOKEN");
        GlobalOptions options;
        options.sandbox = true;
        MainWindow window(options);
        auto *controller = new AppController(options, &window);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.resize(1400, 900);
        controller->start();
        QTRY_COMPARE_WITH_TIMEOUT(controller->session()->state(), PlatformSession::State::Sandbox, 20000);

        // 1. Plan the flagship: DeepSeek-R1 AWQ on 2 dgx nodes (TP 8 x PP 2), 100k context; hand the
        //    plan to the launch form.
        auto *planner = window.findChild<PlannerPane *>();
        QVERIFY(planner);
        auto *model = planner->findChild<QComboBox *>(QStringLiteral("modelComboBox"));
        QVERIFY(model);
        const int index = model->findData(QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ"));
        QVERIFY(index >= 0);
        model->setCurrentIndex(index);
        planner->findChild<QSpinBox *>(QStringLiteral("nodesSpinBox"))->setValue(2);
        planner->findChild<QSpinBox *>(QStringLiteral("contextSpinBox"))->setValue(100000);
        auto *verdict = planner->findChild<QLabel *>(QStringLiteral("verdictLabel"));
        QTRY_VERIFY2_WITH_TIMEOUT(verdict->text().contains(QLatin1String("PP 2")), qPrintable(verdict->text()), 20000);
        auto *usePlan = planner->findChild<QPushButton *>(QStringLiteral("usePlanPushButton"));
        QVERIFY(usePlan);
        QTRY_VERIFY(usePlan->isEnabled());
        shoot(&window, QStringLiteral("flow-1-plan"));
        QTest::mouseClick(usePlan, Qt::LeftButton);

        // 2. Launch: the form is valid as planned; one click.
        auto *launch = window.findChild<QPushButton *>(QStringLiteral("launchPushButton"));
        QVERIFY(launch);
        QTRY_VERIFY_WITH_TIMEOUT(launch->isEnabled(), 10000);
        shoot(&window, QStringLiteral("flow-2-launch-form"));
        auto *launchPane = window.findChild<LaunchPane *>();
        const Deployment planned = launchPane->deployment();
        QCOMPARE(planned.model, QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ"));
        QCOMPARE(planned.pipelineParallel, 2);
        QCOMPARE(planned.maxModelLen, 100000);
        QSignalSpy ready(launchPane, &LaunchPane::ready);
        QSignalSpy serverReady(window.findChild<LogPane *>(), &LogPane::serverReady);
        QTest::mouseClick(launch, Qt::LeftButton);
        // The jobs table lists the new jobs as they are created, well before its 10 s poll.
        auto *jobsTree = window.findChild<QAbstractItemView *>(QStringLiteral("jobsTreeView"));
        QVERIFY(jobsTree);
        QTRY_VERIFY_WITH_TIMEOUT(!statusTexts(jobsTree->model()).filter(QLatin1String("pending")).isEmpty() ||
                                     !statusTexts(jobsTree->model()).filter(QLatin1String("running")).isEmpty(),
                                 5000);

        // 3. Logs: the serving worker's startup, phase by phase, until vLLM serves.
        auto *logView = window.findChild<QAbstractItemView *>(QStringLiteral("logListView"));
        QVERIFY(logView);
        QTRY_VERIFY_WITH_TIMEOUT(logText(logView).contains(QLatin1String("Loading")), 60000);
        // The server runs (the launch follows its log only then), and the table shows it from the
        // launch's own polls, not 10 s later at its next listing.
        QTRY_VERIFY_WITH_TIMEOUT(statusTexts(jobsTree->model()).filter(QLatin1String("pending")).isEmpty(), 4000);
        shoot(&window, QStringLiteral("flow-3-logs"));
        (void)QTest::qWaitFor([&] { return ready.size() == 1; }, 60000);
        if (ready.isEmpty())
            shoot(&window, QStringLiteral("flow-debug-not-ready"));
        QCOMPARE(ready.size(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(logText(logView).contains(QLatin1String("Application startup complete.")), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(serverReady.size(), 1, 10000); // the log pane saw it too (phase bar, notification)
        shoot(&window, QStringLiteral("flow-4-ready"));

        // 4. Chat with the deployment that just became ready.
        auto *chat = window.findChild<ChatPane *>();
        QVERIFY(chat);
        window.focusArea(MainWindow::Area::Chat);
        auto *endpointUrl = chat->findChild<QLabel *>(QStringLiteral("endpointUrlLabel"));
        QVERIFY(endpointUrl);
        QTRY_VERIFY(endpointUrl->text().contains(ready.constFirst().at(0).toUrl().host()));
        ChatSession *session = chat->workspace()->session();
        QTRY_VERIFY_WITH_TIMEOUT(!session->modelId().isEmpty(), 20000);
        QSignalSpy finished(session, &ChatSession::turnFinished);
        auto *prompt = chat->composer()->findChild<QPlainTextEdit *>(QStringLiteral("promptPlainTextEdit"));
        QVERIFY(prompt);
        prompt->setPlainText(QStringLiteral("Is 1001 prime?"));
        QTest::mouseClick(chat->composer()->findChild<QPushButton *>(QStringLiteral("sendPushButton")), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        const auto result = finished.first().at(1).value<ChatTurnResult>();
        QCOMPARE(result.status, ChatStreamResult::Status::Completed);
        QVERIFY(!result.content.isEmpty());
        QVERIFY2(!result.reasoning.isEmpty(), "R1's thinking comes apart from the answer");
        shoot(&window, QStringLiteral("flow-5-chat"));
        // The Metrics tab charts the server's /metrics, polled every 2 s since the endpoint came up.
        auto *sideTabs = chat->findChild<QTabWidget *>(QStringLiteral("chatSideTabWidget"));
        auto *metrics = chat->findChild<ServingMetricsView *>();
        QVERIFY(sideTabs && metrics);
        sideTabs->setCurrentWidget(metrics);
        QTRY_VERIFY_WITH_TIMEOUT(metrics->pointCount() >= 3, 15000);
        // One request, one time-to-first-token sample: it must show (a line of one point would not).
        QTRY_VERIFY(metrics->timeToFirstTokenSamples() >= 1);
        shoot(&window, QStringLiteral("flow-5-metrics"));

        // 5. Tear down from the launch pane: no job of the deployment is left running.
        auto *tearDown = window.findChild<QPushButton *>(QStringLiteral("tearDownPushButton"));
        QVERIFY(tearDown && tearDown->isEnabled());
        window.focusArea(MainWindow::Area::LaunchJobs);
        QTest::mouseClick(tearDown, Qt::LeftButton);
        auto *outcome = launchPane->findChild<QLabel *>(QStringLiteral("outcomeLabel"));
        QVERIFY(outcome);
        QTRY_VERIFY2_WITH_TIMEOUT(outcome->text().contains(QLatin1String("none is active")),
                                  qPrintable(outcome->text()), 30000);
        // The jobs pane sees the same on its next refresh; then closing asks nothing.
        auto *jobsPane = window.findChild<JobsPane *>();
        QVERIFY(jobsPane);
        QTest::mouseClick(jobsPane->findChild<QPushButton *>(QStringLiteral("refreshPushButton")), Qt::LeftButton);
        auto *jobsView = jobsPane->findChild<QAbstractItemView *>();
        QVERIFY(jobsView);
        QTRY_VERIFY_WITH_TIMEOUT(!statusTexts(jobsView->model()).contains(QLatin1String("running")), 30000);
        shoot(&window, QStringLiteral("flow-6-teardown"));
        QVERIFY(controller->confirmClose());

        // File > Import Flow… opens the launch pane's file dialog (window-modal, no nested loop).
        window.actions()->importFlowAction()->trigger();
        QTRY_VERIFY(window.findChild<QWidget *>(QStringLiteral("importFlowFileDialog")));
        auto *dialog = window.findChild<QDialog *>(QStringLiteral("importFlowFileDialog"));
        QVERIFY(dialog && dialog->isVisible());
        dialog->reject();
    }
};

QTEST_MAIN(tst_AppController)
#include "tst_appcontroller.moc"
