// SPDX-License-Identifier: GPL-3.0-or-later
// `apolo-deploy logs JOB [--follow] [--timestamps]` (the real binary) against apolo-sandbox with
// the drop-logs fault: whatever the connection does, stdout gets every line the job printed,
// once and in order.

#include "support/CliRunner.h"
#include "support/SandboxFixture.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace ApoloDeploy;

class TestLogsCli : public QObject
{
    Q_OBJECT

private:
    Test::CliRun run(const QStringList &arguments)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("APOLO_DEPLOY_TOKEN"), QString::fromLatin1(m_sandbox.token()));
        env.insert(QStringLiteral("APOLO_DEPLOY_CONFIG_DIR"), m_config.path());
        return Test::runCli(QStringList{QStringLiteral("--api-url"), m_sandbox.apiUrlString()} + arguments, env, {},
                            25000);
    }

    // A job that prints `lines` numbered lines in bursts that share a timestamp.
    QString startEchoJob(int lines, QByteArrayList &expected)
    {
        QStringList commands;
        for (int i = 1; i <= lines; ++i) {
            const QString text = QStringLiteral("line-%1 ünïcödé payload").arg(i, 4, 10, QLatin1Char('0'));
            expected << text.toUtf8();
            commands << QStringLiteral("echo ") + text;
            if (i % 25 == 0)
                commands << QStringLiteral("sleep 2");
        }
        const QString command = QStringLiteral("-c '") + commands.join(QStringLiteral("; ")) + u'\'';
        const auto created =
            m_sandbox.createJob({{"image", "ubuntu:22.04"}, {"entrypoint", "bash"}, {"command", command}});
        return created.status == 202 ? created.json().value(QLatin1String("id")).toString() : QString();
    }

    static QByteArrayList numberedLines(const QByteArray &out)
    {
        QByteArrayList lines;
        for (const QByteArray &line : out.split('\n')) {
            const qsizetype at = line.indexOf("line-");
            if (at >= 0)
                lines << line.mid(at);
        }
        return lines;
    }

    Test::SandboxFixture m_sandbox{Test::SandboxFixture::Options{100, QStringLiteral("drop-logs=700"), {}, {}}};
    QTemporaryDir m_config;

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString())); }

    void follow_throughDroppedConnections_everyLineOnce()
    {
        QByteArrayList expected;
        const QString jobId = startEchoJob(300, expected);
        QVERIFY(!jobId.isEmpty());
        // Follows while the job still prints (12 bursts, 2 simulated seconds apart).
        const Test::CliRun result = run({QStringLiteral("logs"), jobId, QStringLiteral("--follow")});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QCOMPARE(numberedLines(result.out), expected);
        QVERIFY2(result.err.contains("reconnecting"), "the fault should have cut the stream");
    }

    void timestamps_prefixEveryLine()
    {
        QByteArrayList expected;
        const QString jobId = startEchoJob(60, expected);
        QVERIFY(!jobId.isEmpty());
        QCOMPARE(m_sandbox.waitForStatus(jobId, QStringLiteral("succeeded")).value(QLatin1String("status")).toString(),
                 QStringLiteral("succeeded"));
        const Test::CliRun result = run({QStringLiteral("logs"), jobId, QStringLiteral("--timestamps")});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QCOMPARE(numberedLines(result.out), expected);
        static const QRegularExpression stamped(QStringLiteral(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{1,9}Z line-)"));
        for (const QByteArray &line : result.out.split('\n')) {
            if (line.contains("line-"))
                QVERIFY2(stamped.match(QString::fromUtf8(line)).hasMatch(), line.constData());
        }
    }

    void unknownJob_saysSo()
    {
        const Test::CliRun result = run({QStringLiteral("logs"), QStringLiteral("no-such-job")});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains("no-such-job"), result.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestLogsCli)
#include "tst_logscli.moc"
