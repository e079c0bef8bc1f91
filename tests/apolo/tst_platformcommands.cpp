// SPDX-License-Identifier: GPL-3.0-or-later
// The real apolo-deploy binary's platform commands against the embedded sandbox.
#include "support/CliRunner.h"
#include "support/SandboxFixture.h"
#include "support/TempConfig.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace ApoloDeploy;
using namespace ApoloDeploy::Test;

class tst_PlatformCommands : public QObject
{
    Q_OBJECT

private:
    TempConfig m_config;
    QProcessEnvironment m_environment = QProcessEnvironment::systemEnvironment();

private Q_SLOTS:
    void initTestCase()
    {
        m_environment.insert(QStringLiteral("APOLO_DEPLOY_CONFIG_DIR"), m_config.path());
        m_environment.remove(QStringLiteral("APOLO_DEPLOY_TOKEN"));
        QVERIFY2(!m_environment.value(QStringLiteral("ADC_SANDBOX_BIN")).isEmpty(), "register with SANDBOX");
    }

    void help_namesTheCommand_notTheBinaryPath()
    {
        const QStringList commands{QStringLiteral("up"),     QStringLiteral("down"),     QStringLiteral("status"),
                                   QStringLiteral("logs"),   QStringLiteral("diagnose"), QStringLiteral("chat"),
                                   QStringLiteral("plan"),   QStringLiteral("presets"),  QStringLiteral("jobs"),
                                   QStringLiteral("kill"),   QStringLiteral("whoami"),   QStringLiteral("login"),
                                   QStringLiteral("logout"), QStringLiteral("use"),      QStringLiteral("hf-token")};
        for (const QString &command : commands) {
            const CliRun run = runCli({command, QStringLiteral("--help")}, m_environment);
            QCOMPARE(run.exitCode, 0);
            QVERIFY2(run.out.startsWith(QByteArray("Usage: apolo-deploy " + command.toUtf8() + ' ')),
                     run.out.left(100));
        }
        const CliRun flowCheck =
            runCli({QStringLiteral("flow"), QStringLiteral("check"), QStringLiteral("--help")}, m_environment);
        QVERIFY2(flowCheck.out.startsWith("Usage: apolo-deploy flow check "), flowCheck.out.left(100));
    }

    void presetsJson_listsTheSandboxPresetsWithDecimalCredits()
    {
        SandboxFixture reference;
        QVERIFY2(reference.start(), qPrintable(reference.errorString()));
        const QJsonArray expected = reference.get(QStringLiteral("config"))
                                        .json()
                                        .value(u"clusters")
                                        .toArray()
                                        .first()
                                        .toObject()
                                        .value(u"resource_presets")
                                        .toArray();
        QVERIFY(!expected.isEmpty());

        const Test::CliRun run = Test::runCli(
            {QStringLiteral("--sandbox"), QStringLiteral("presets"), QStringLiteral("--json")}, m_environment);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QJsonParseError error;
        const QJsonArray presets = QJsonDocument::fromJson(run.out, &error).array();
        QVERIFY2(error.error == QJsonParseError::NoError, run.out.constData());
        QCOMPARE(presets.size(), expected.size());
        for (qsizetype i = 0; i < presets.size(); ++i) {
            const QJsonObject preset = presets.at(i).toObject();
            const QJsonObject server = expected.at(i).toObject();
            QCOMPARE(preset.value(u"name").toString(), server.value(u"name").toString());
            // Decimal credits are passed through as strings, never as floats.
            QVERIFY(preset.value(u"credits_per_hour").isString());
            QCOMPARE(preset.value(u"credits_per_hour").toString(), server.value(u"credits_per_hour").toString());
            QCOMPARE(preset.value(u"memory_bytes").toInteger(), server.value(u"memory").toInteger());
            QCOMPARE(preset.value(u"gpu_count").toInt(),
                     server.value(u"nvidia_gpu").toObject().value(u"count").toInt());
        }
    }

    void presetsTable_isAlignedText()
    {
        const Test::CliRun run = Test::runCli({QStringLiteral("--sandbox"), QStringLiteral("presets")}, m_environment);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QList<QByteArray> lines = run.out.trimmed().split('\n');
        QVERIFY(lines.size() >= 2);
        QVERIFY(lines.first().startsWith("NAME"));
        const qsizetype creditsColumn = lines.first().indexOf("CREDITS/H");
        QVERIFY(creditsColumn > 0);
        QVERIFY(run.out.contains("dgx"));
    }

    void whoamiAndJobs_workInTheSandbox()
    {
        Test::CliRun run = Test::runCli(
            {QStringLiteral("--sandbox"), QStringLiteral("whoami"), QStringLiteral("--json")}, m_environment);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject who = QJsonDocument::fromJson(run.out).object();
        QVERIFY(who.value(u"sandbox").toBool());
        QVERIFY(!who.value(u"cluster").toString().isEmpty());
        QVERIFY(!who.value(u"project").toString().isEmpty());

        run = Test::runCli(
            {QStringLiteral("--sandbox"), QStringLiteral("jobs"), QStringLiteral("--all"), QStringLiteral("--json")},
            m_environment);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(QJsonDocument::fromJson(run.out).isArray());

        run = Test::runCli({QStringLiteral("--sandbox"), QStringLiteral("kill"), QStringLiteral("no-such-job")},
                           m_environment);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("no-such-job"), run.err.constData());
    }

    // The whole account cycle against a standalone sandbox: the token goes in through stdin only,
    // lives in the keychain (the suite runs inside a private, unlocked gnome-keyring), and is gone
    // after logout.
    void loginWhoamiLogout_keepTheTokenInTheKeychainOnly()
    {
        SandboxFixture sandbox;
        QVERIFY2(sandbox.start(), qPrintable(sandbox.errorString()));
        const QString api = sandbox.apiUrl().toString();
        Test::CliRun run =
            Test::runCli({QStringLiteral("--api-url"), api, QStringLiteral("login"), QStringLiteral("--token-stdin")},
                         m_environment, "wrong-token\n");
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("login"), run.err.constData());

        run = Test::runCli({QStringLiteral("--api-url"), api, QStringLiteral("login"), QStringLiteral("--token-stdin")},
                           m_environment, sandbox.token() + "\n");
        if (run.exitCode != 0 && run.err.contains("keychain"))
            QFAIL(qPrintable(QStringLiteral("needs a Secret Service (run inside ./dev test): ") +
                             QString::fromUtf8(run.err)));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.contains("Signed in"), run.out.constData());

        // No --api-url: the remembered API and the keychain's token are used.
        run = Test::runCli({QStringLiteral("whoami"), QStringLiteral("--json")}, m_environment);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(QJsonDocument::fromJson(run.out).object().value(u"sandbox").toBool(), false);
        for (const QString &path : m_config.files()) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY2(!file.readAll().contains(sandbox.token()), qPrintable(path));
        }

        run = Test::runCli({QStringLiteral("logout")}, m_environment);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        run = Test::runCli({QStringLiteral("whoami")}, m_environment);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("login"), run.err.constData());
    }

    void use_listsProjectsAndRefusesAnUnknownOne()
    {
        Test::CliRun run =
            Test::runCli({QStringLiteral("--sandbox"), QStringLiteral("use"), QStringLiteral("--json")}, m_environment);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonArray projects = QJsonDocument::fromJson(run.out).array();
        QVERIFY(projects.size() >= 2);
        int current = 0;
        for (const QJsonValue &project : projects)
            current += project.toObject().value(u"current").toBool() ? 1 : 0;
        QCOMPARE(current, 1);

        run = Test::runCli({QStringLiteral("--sandbox"), QStringLiteral("use"), QStringLiteral("--project"),
                            QStringLiteral("no-such-project")},
                           m_environment);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("no-such-project") && run.err.contains("research"), run.err.constData());
        QVERIFY2(!run.err.contains("QProcess"), run.err.constData()); // the embedded sandbox ends cleanly
    }

    void errors_exitCodes()
    {
        Test::CliRun run = Test::runCli({QStringLiteral("jobs"), QStringLiteral("--bogus")}, m_environment);
        QCOMPARE(run.exitCode, 2);
        run = Test::runCli({QStringLiteral("kill")}, m_environment);
        QCOMPARE(run.exitCode, 2);
        QProcessEnvironment withToken = m_environment;
        withToken.insert(QStringLiteral("APOLO_DEPLOY_TOKEN"), QStringLiteral("t"));
        run = Test::runCli(
            {QStringLiteral("--api-url"), QStringLiteral("http://api.example.com/api/v1"), QStringLiteral("whoami")},
            withToken);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("https"), run.err.constData());
    }
};

QTEST_GUILESS_MAIN(tst_PlatformCommands)
#include "tst_platformcommands.moc"
