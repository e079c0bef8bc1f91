// SPDX-License-Identifier: GPL-3.0-or-later
// Command line dispatch: parsing of global options, and the real binary's exit codes.

#include "cli/CliApp.h"
#include "core/AppInfo.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace ApoloDeploy;

class TestCliApp : public QObject
{
    Q_OBJECT

private:
    static QProcess *start(const QStringList &arguments)
    {
        auto *process = new QProcess;
        process->start(QStringLiteral(ADC_BIN_DIR "/apolo-deploy"), arguments);
        return process;
    }

private Q_SLOTS:
    void parse_noArguments_meansGui()
    {
        const auto invocation = CliApp::parse({QStringLiteral("apolo-deploy")});
        QVERIFY(invocation.commandArguments.isEmpty());
        QVERIFY(invocation.error.isEmpty());
        QVERIFY(!invocation.global.sandbox);
    }

    void parse_globalOptionsThenCommand_keepsCommandOptions()
    {
        const auto invocation = CliApp::parse({QStringLiteral("apolo-deploy"), QStringLiteral("--api-url"),
                                               QStringLiteral("https://api.example.org/api/v1"), QStringLiteral("plan"),
                                               QStringLiteral("--json"), QStringLiteral("--sandbox")});
        QVERIFY2(invocation.error.isEmpty(), qPrintable(invocation.error));
        QCOMPARE(invocation.global.apiUrl, QUrl(QStringLiteral("https://api.example.org/api/v1")));
        QVERIFY(!invocation.global.sandbox); // after the command it is the command's option
        QCOMPARE(invocation.commandArguments,
                 QStringList({QStringLiteral("plan"), QStringLiteral("--json"), QStringLiteral("--sandbox")}));
    }

    void parse_sandboxAndApiUrl_isUsageError()
    {
        const auto invocation = CliApp::parse({QStringLiteral("apolo-deploy"), QStringLiteral("--sandbox"),
                                               QStringLiteral("--api-url=https://x.example/api/v1")});
        QVERIFY(!invocation.error.isEmpty());
    }

    void parse_badApiUrl_isUsageError()
    {
        const auto invocation =
            CliApp::parse({QStringLiteral("apolo-deploy"), QStringLiteral("--api-url"), QStringLiteral("ftp://x")});
        QVERIFY(invocation.error.contains(QStringLiteral("ftp://x")));
    }

    void parse_qtGuiOptions_areAccepted()
    {
        const auto invocation =
            CliApp::parse({QStringLiteral("apolo-deploy"), QStringLiteral("-platform"), QStringLiteral("offscreen")});
        QVERIFY2(invocation.error.isEmpty(), qPrintable(invocation.error));
        QVERIFY(invocation.commandArguments.isEmpty());
    }

    void binary_version_printsVersionAndHash()
    {
        std::unique_ptr<QProcess> process(start({QStringLiteral("--version")}));
        QVERIFY(process->waitForFinished(30000));
        QCOMPARE(process->exitCode(), 0);
        const QString output = QString::fromUtf8(process->readAllStandardOutput());
        QVERIFY2(output.contains(AppInfo::version()), qPrintable(output));
        QVERIFY2(output.contains(QStringLiteral("git ")), qPrintable(output));
    }

    void binary_unknownCommand_exitsTwoWithMessage()
    {
        std::unique_ptr<QProcess> process(start({QStringLiteral("frobnicate")}));
        QVERIFY(process->waitForFinished(30000));
        QCOMPARE(process->exitCode(), 2);
        QVERIFY(QString::fromUtf8(process->readAllStandardError()).contains(QStringLiteral("frobnicate")));
    }

    void binary_unknownGlobalOption_exitsTwo()
    {
        std::unique_ptr<QProcess> process(start({QStringLiteral("--no-such-option")}));
        QVERIFY(process->waitForFinished(30000));
        QCOMPARE(process->exitCode(), 2);
    }

    void binary_help_listsUsage()
    {
        std::unique_ptr<QProcess> process(start({QStringLiteral("--help")}));
        QVERIFY(process->waitForFinished(30000));
        QCOMPARE(process->exitCode(), 0);
        QVERIFY(QString::fromUtf8(process->readAllStandardOutput()).contains(QStringLiteral("--sandbox")));
    }

    void binary_commandHelp_namesTheCommand()
    {
        std::unique_ptr<QProcess> process(start({QStringLiteral("plan"), QStringLiteral("--help")}));
        QVERIFY(process->waitForFinished(30000));
        QCOMPARE(process->exitCode(), 0);
        const QString help = QString::fromUtf8(process->readAllStandardOutput());
        QVERIFY2(help.startsWith(QLatin1String("Usage: apolo-deploy plan ")), qPrintable(help.left(80)));
    }

    // The UNCONFIRMED profile terms can be replaced by a user's own measurements.
    void binary_planOverheadOverrides_changeTheRanks()
    {
        const auto activationOf = [this](const QStringList &extra) {
            std::unique_ptr<QProcess> process(
                start(QStringList{QStringLiteral("plan"), QStringLiteral("--model"),
                                  QStringLiteral("meta-llama/Llama-3.1-8B"), QStringLiteral("--gpu"),
                                  QStringLiteral("nvidia-h100-80gb"), QStringLiteral("--json")} +
                      extra));
            if (!process->waitForFinished(30000) || process->exitCode() != 0)
                return qint64(-1);
            const QJsonObject rank = QJsonDocument::fromJson(process->readAllStandardOutput())
                                         .object()
                                         .value(QLatin1String("ranks"))
                                         .toArray()
                                         .first()
                                         .toObject();
            return qint64(rank.value(QLatin1String("activation_bytes")).toDouble());
        };
        const qint64 estimated = activationOf({});
        QVERIFY(estimated > 0);
        QCOMPARE(activationOf({QStringLiteral("--activation-gib"), QStringLiteral("6")}), qint64(6) << 30);
        std::unique_ptr<QProcess> bad(
            start({QStringLiteral("plan"), QStringLiteral("--model"), QStringLiteral("meta-llama/Llama-3.1-8B"),
                   QStringLiteral("--non-torch-gib"), QStringLiteral("lots")}));
        QVERIFY(bad->waitForFinished(30000));
        QCOMPARE(bad->exitCode(), 2);
    }
};

QTEST_GUILESS_MAIN(TestCliApp)
#include "tst_cliapp.moc"
