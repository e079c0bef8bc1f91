// SPDX-License-Identifier: GPL-3.0-or-later
// The launch and jobs panes against apolo-sandbox: inline validation, the previews, a launch
// from the Launch button to ready, the jobs tree with cost, and a teardown from the pane.
// With ADC_SCREENSHOT_DIR set (e.g. under xvfb-run) the panes are saved as PNGs there.

#include "DeploymentSamples.h"
#include "SandboxPlatform.h"
#include "deploy/DeploymentState.h"
#include "models/JobsModel.h"
#include "support/TempConfig.h"
#include "ui/JobsPane.h"
#include "ui/LaunchPane.h"

#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTreeView>
#include <QVBoxLayout>

using namespace ApoloDeploy;

namespace {

void saveScreenshot(QWidget *widget, const char *name)
{
    const QByteArray dir = qgetenv("ADC_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(QString::fromLocal8Bit(dir));
    QVERIFY(widget->grab().save(QString::fromLocal8Bit(dir) + QLatin1Char('/') + QLatin1String(name)));
}

LaunchSequence::Options fastLaunch()
{
    LaunchSequence::Options options;
    options.pollIntervalMs = 200;
    options.healthIntervalMs = 200;
    return options;
}

void clickButtonWithRole(QMessageBox *box, QMessageBox::ButtonRole role)
{
    for (QAbstractButton *button : box->buttons()) {
        if (box->buttonRole(button) == role) {
            button->click();
            return;
        }
    }
    QFAIL("the message box has no button with that role");
}

} // namespace

class TestLaunchPane : public QObject
{
    Q_OBJECT

private:
    void startPlatform()
    {
        m_platform = std::make_unique<Test::SandboxPlatform>();
        QString error;
        QVERIFY2(m_platform->connect(&error), qPrintable(error));
    }

    std::unique_ptr<Test::SandboxPlatform> m_platform;

private Q_SLOTS:
    void cleanup()
    {
        // The test's panes are gone; the calls they left in flight are dropped before the
        // client that carries them.
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        m_platform.reset();
    }

    void form_showsValidationInline_andPreviews()
    {
        Test::TempConfig config;
        LaunchPane pane;
        pane.resize(1280, 820);
        Deployment d = Test::deepSeekR1(2);
        d.name = QStringLiteral("Bad_Name");
        pane.setDeployment(d);
        auto *message = pane.findChild<QLabel *>(QStringLiteral("nameMessageLabel"));
        QVERIFY(message);
        QTRY_VERIFY(!message->isHidden());
        QVERIFY(message->text().contains(QLatin1String("lower-case")));
        auto *launch = pane.findChild<QPushButton *>(QStringLiteral("launchPushButton"));
        QVERIFY(!launch->isEnabled());
        pane.findChild<QLineEdit *>(QStringLiteral("nameLineEdit"))->setText(QStringLiteral("demo"));
        QTRY_VERIFY(message->isHidden());
        const QString preview =
            pane.findChild<QPlainTextEdit *>(QStringLiteral("apoloRunPlainTextEdit"))->toPlainText();
        QVERIFY(preview.contains(QLatin1String("apolo run --detach --preset dgx --name demo-head")));
        const QString yaml = pane.findChild<QPlainTextEdit *>(QStringLiteral("flowPlainTextEdit"))->toPlainText();
        QVERIFY(yaml.contains(QLatin1String("inspect_job('ray_head')")));
        QVERIFY(!launch->isEnabled()); // signed out
    }

    void launchButton_reachesReady_thenJobsPaneShowsAndTearsDown()
    {
        Test::TempConfig config;
        startPlatform();
        if (QTest::currentTestFailed())
            return;
        Test::SandboxPlatform &platform = *m_platform;
        LaunchPane pane;
        pane.resize(1280, 820);
        pane.show();
        pane.setClient(&platform.client);
        pane.setLaunchOptions(fastLaunch());
        pane.setDeployment(Test::deepSeekR1(2));
        QSignalSpy ready(&pane, &LaunchPane::ready);
        QSignalSpy created(&pane, &LaunchPane::launchJobCreated);
        QSignalSpy serverCreated(&pane, &LaunchPane::serverJobCreated);
        auto *launch = pane.findChild<QPushButton *>(QStringLiteral("launchPushButton"));
        QTRY_VERIFY(launch->isEnabled());
        launch->click();
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty(), 60000);
        // The log pane is told about every job once: the head and the serving node.
        QCOMPARE(created.count(), 2);
        QCOMPARE(created.at(0).at(1).toString(), QStringLiteral("demo-head"));
        QCOMPARE(created.at(1).at(1).toString(), QStringLiteral("demo-server"));
        QCOMPARE(serverCreated.count(), 1);
        QVERIFY(pane.findChild<QLabel *>(QStringLiteral("outcomeLabel"))->text().contains(QLatin1String("Ready")));
        QCOMPARE(ready.constFirst().at(1).toString(), QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ"));
        saveScreenshot(&pane, "launch-pane.png");

        JobsPane jobs;
        jobs.resize(1280, 720);
        jobs.show();
        jobs.setClient(&platform.client);
        auto *tree = jobs.findChild<QTreeView *>(QStringLiteral("jobsTreeView"));
        QTRY_VERIFY_WITH_TIMEOUT(tree->model()->rowCount() > 0, 10000);
        const QModelIndex group = tree->model()->index(0, 0);
        QCOMPARE(group.data(JobsModel::DeploymentRole).toString(), QStringLiteral("demo"));
        QTRY_COMPARE(tree->model()->rowCount(group), 2);
        tree->setCurrentIndex(tree->model()->index(1, 0, group));
        QVERIFY(jobs.findChild<QPlainTextEdit *>(QStringLiteral("jobDetailsPlainTextEdit"))
                    ->toPlainText()
                    .contains(QLatin1String("History:")));
        QVERIFY(jobs.findChild<QLabel *>(QStringLiteral("rateLabel"))->text().contains(QLatin1String("credits/h")));
        saveScreenshot(&jobs, "jobs-pane.png");

        // Extend the life span of the selected job by two hours (the sample's is 10 days).
        const auto details = [&] {
            return jobs.findChild<QPlainTextEdit *>(QStringLiteral("jobDetailsPlainTextEdit"))->toPlainText();
        };
        QVERIFY2(details().contains(QLatin1String("Life span: 10 d 0 h")), qPrintable(details()));
        jobs.findChild<QPushButton *>(QStringLiteral("extendPushButton"))->click();
        QInputDialog *extend = nullptr;
        QTRY_VERIFY((extend = jobs.findChild<QInputDialog *>(QStringLiteral("extendInputDialog"))));
        extend->setIntValue(2);
        extend->accept();
        QTRY_VERIFY_WITH_TIMEOUT(details().contains(QLatin1String("Life span: 10 d 2 h")), 15000);

        // Quitting with running jobs asks first.
        QWidget window;
        QVERIFY(!jobs.confirmClose(&window));

        // Tear down asks first, then kills and re-lists until none is active, and says so.
        tree->setCurrentIndex(group);
        auto *tearDown = jobs.findChild<QPushButton *>(QStringLiteral("tearDownDeploymentPushButton"));
        QVERIFY(tearDown->isEnabled());
        tearDown->click();
        QMessageBox *confirm = nullptr;
        QTRY_VERIFY((confirm = jobs.findChild<QMessageBox *>(QStringLiteral("tearDownMessageBox"))));
        QCOMPARE(platform.activeJobs(QStringLiteral("deployment:demo")).size(), 2); // nothing before the answer
        clickButtonWithRole(confirm, QMessageBox::DestructiveRole);
        auto *status = jobs.findChild<QLabel *>(QStringLiteral("jobsStatusLabel"));
        QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QLatin1String("none is active")), 30000);
        QVERIFY(platform.activeJobs(QStringLiteral("deployment:demo")).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!DeploymentStore::load(QStringLiteral("demo")), 10000);
    }

    // Quitting with a running deployment asks; "Tear down and quit" closes the window only once
    // the platform lists no active job of it.
    void quitGuard_tearDownAndQuit_closesOnlyWhenNothingIsActive()
    {
        Test::TempConfig config;
        startPlatform();
        if (QTest::currentTestFailed())
            return;
        Test::SandboxPlatform &platform = *m_platform;
        QWidget window;
        auto *layout = new QVBoxLayout(&window);
        auto *pane = new LaunchPane;
        auto *jobs = new JobsPane;
        layout->addWidget(pane);
        layout->addWidget(jobs);
        window.show();
        pane->setClient(&platform.client);
        pane->setLaunchOptions(fastLaunch());
        jobs->setClient(&platform.client);
        Deployment d = Test::deepSeekR1(1);
        d.name = QStringLiteral("quit");
        pane->setDeployment(d);
        QSignalSpy ready(pane, &LaunchPane::ready);
        auto *launch = pane->findChild<QPushButton *>(QStringLiteral("launchPushButton"));
        QTRY_VERIFY(launch->isEnabled());
        launch->click();
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty(), 60000);
        auto *tree = jobs->findChild<QTreeView *>(QStringLiteral("jobsTreeView"));
        QTRY_VERIFY_WITH_TIMEOUT(tree->model()->rowCount() > 0, 10000);

        QVERIFY(!jobs->confirmClose(&window));
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = window.findChild<QMessageBox *>(QStringLiteral("quitMessageBox"))));
        QVERIFY(box->text().contains(QLatin1String("quit")));
        clickButtonWithRole(box, QMessageBox::DestructiveRole);
        QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), 30000);
        QVERIFY(platform.activeJobs(QStringLiteral("deployment:quit")).isEmpty());
        QVERIFY(jobs->confirmClose(&window)); // decided: the next close goes through
    }
};

QTEST_MAIN(TestLaunchPane)
#include "tst_launchpane.moc"
