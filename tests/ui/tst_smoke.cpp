// SPDX-License-Identifier: GPL-3.0-or-later
// Launches the real apolo-deploy binary offscreen, like a user would, with a temporary
// configuration folder (qt-anchors §5.16: CI launches the real binary).
#include "support/TempConfig.h"
#include "ui/SingleInstance.h"

#include <QFile>
#include <QLocalSocket>
#include <QProcess>
#include <QTest>

using namespace ApoloDeploy;
using namespace ApoloDeploy::Test;

namespace {

const QString binary = QStringLiteral(ADC_BIN_DIR "/apolo-deploy");

QProcessEnvironment guiEnvironment(const TempConfig &config)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    environment.insert(QStringLiteral("APOLO_DEPLOY_CONFIG_DIR"), config.path());
    return environment;
}

} // namespace

class TestSmoke : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void start_showsWindowQuitsCleanlyAndSavesLayout();
    void secondLaunch_raisesFirstAndExitsZero();
    void noDisplay_explainsHowToStart();
};

void TestSmoke::start_showsWindowQuitsCleanlyAndSavesLayout()
{
    TempConfig config;
    QProcess app;
    QProcessEnvironment environment = guiEnvironment(config);
    environment.insert(QStringLiteral("APOLO_DEPLOY_SMOKE_QUIT_AFTER_SHOW"), QStringLiteral("1"));
    app.setProcessEnvironment(environment);
    app.start(binary, {});
    QVERIFY2(app.waitForFinished(30000), "the window never appeared (or the app did not quit)");
    const QByteArray errors = app.readAllStandardError();
    QCOMPARE(app.exitStatus(), QProcess::NormalExit);
    QVERIFY2(app.exitCode() == 0, errors.constData());

    QFile state(config.path() + QStringLiteral("/state.ini"));
    QVERIFY2(state.open(QIODevice::ReadOnly), "the window layout was not saved on exit");
    const QByteArray stateText = state.readAll();
    QVERIFY(stateText.contains("[window]"));
    QVERIFY(stateText.contains("state="));
    QVERIFY(stateText.contains("geometry="));
    // Volatile state stays out of the preferences file.
    QFile settings(config.path() + QStringLiteral("/settings.ini"));
    if (settings.open(QIODevice::ReadOnly))
        QVERIFY(!settings.readAll().contains("[window]"));
}

void TestSmoke::secondLaunch_raisesFirstAndExitsZero()
{
    TempConfig config;
    QProcess first;
    QProcessEnvironment environment = guiEnvironment(config);
    environment.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("adc.ui.singleinstance.debug=true"));
    first.setProcessEnvironment(environment);
    first.start(binary, {});
    QVERIFY(first.waitForStarted());

    // Ready once the first instance accepts connections on its hand-off socket.
    const QString serverName = SingleInstance(config.path()).serverName();
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            QLocalSocket probe;
            probe.connectToServer(serverName);
            return probe.waitForConnected(200);
        }(),
        20000);

    QProcess second;
    second.setProcessEnvironment(guiEnvironment(config));
    second.start(binary, {});
    QVERIFY(second.waitForFinished(20000));
    QVERIFY2(second.exitCode() == 0, second.readAllStandardError().constData());
    QByteArray firstErrors;
    QTRY_VERIFY_WITH_TIMEOUT((firstErrors += first.readAllStandardError()).contains("raise requested"), 10000);
    QCOMPARE(first.state(), QProcess::Running); // the first one stays

    first.kill();
    QVERIFY(first.waitForFinished(10000));
}

void TestSmoke::noDisplay_explainsHowToStart()
{
    TempConfig config;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"})
        environment.remove(QString::fromLatin1(name));
    environment.insert(QStringLiteral("APOLO_DEPLOY_CONFIG_DIR"), config.path());
    QProcess app;
    app.setProcessEnvironment(environment);
    app.start(binary, {});
    QVERIFY(app.waitForFinished(20000));
    QCOMPARE(app.exitCode(), 1);
    QVERIFY(app.readAllStandardError().contains("xvfb-run"));
}

QTEST_GUILESS_MAIN(TestSmoke)
#include "tst_smoke.moc"
