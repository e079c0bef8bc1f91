// SPDX-License-Identifier: GPL-3.0-or-later
// The "done when" on the real binary and its embedded sandbox: `up` reaches ready and
// prints the endpoint, `status --json` shows the jobs running, `down --yes` leaves no active
// job; a deployment vLLM would refuse is refused before any job exists.

#include "support/TempConfig.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run apoloDeploy(const QStringList &arguments, int timeoutMs = 60000)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("APOLO_DEPLOY_SANDBOX_SPEED"), QStringLiteral("200"));
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(ADC_BIN_DIR "/apolo-deploy"), QStringList{QStringLiteral("--sandbox")} + arguments);
    Run run;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
    } else if (process.exitStatus() == QProcess::NormalExit) {
        run.exitCode = process.exitCode();
    }
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

QJsonObject statusOf(const QString &name)
{
    const Run status =
        apoloDeploy({QStringLiteral("status"), QStringLiteral("--name"), name, QStringLiteral("--json")});
    if (status.exitCode != 0)
        qWarning("status failed: %s", qPrintable(status.err));
    return QJsonDocument::fromJson(status.out.toUtf8())
        .object()
        .value(QLatin1String("deployments"))
        .toArray()
        .at(0)
        .toObject();
}

const QStringList flagship{QStringLiteral("--model"),         QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ"),
                           QStringLiteral("--preset"),        QStringLiteral("dgx"),
                           QStringLiteral("--nodes"),         QStringLiteral("2"),
                           QStringLiteral("--max-model-len"), QStringLiteral("100000")};

} // namespace

class TestUpCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void upStatusDown_flagship()
    {
        ApoloDeploy::Test::TempConfig config;
        const Run up = apoloDeploy(QStringList{QStringLiteral("up")} + flagship +
                                   QStringList{QStringLiteral("--name"), QStringLiteral("demo")});
        QVERIFY2(up.exitCode == 0, qPrintable(up.out + up.err));
        QVERIFY2(up.out.contains(QLatin1String("[ready]")), qPrintable(up.out));
        QVERIFY2(up.out.contains(QLatin1String("Ready: http://127.0.0.1:")) && up.out.contains(QLatin1String("/v1")),
                 qPrintable(up.out));

        QJsonObject status = statusOf(QStringLiteral("demo"));
        QCOMPARE(status.value(QLatin1String("phase")).toString(), QStringLiteral("ready"));
        QCOMPARE(status.value(QLatin1String("activeJobs")).toInt(), 2);
        QStringList roles;
        for (const QJsonValue &job : status.value(QLatin1String("jobs")).toArray()) {
            QCOMPARE(job.toObject().value(QLatin1String("status")).toString(), QStringLiteral("running"));
            roles << job.toObject().value(QLatin1String("role")).toString();
        }
        roles.sort();
        QCOMPARE(roles, (QStringList{QStringLiteral("head"), QStringLiteral("server")}));
        QVERIFY(status.value(QLatin1String("endpoint")).toString().startsWith(QLatin1String("http://127.0.0.1:")));

        const Run down = apoloDeploy(
            {QStringLiteral("down"), QStringLiteral("--name"), QStringLiteral("demo"), QStringLiteral("--yes")});
        QVERIFY2(down.exitCode == 0, qPrintable(down.out + down.err));
        QVERIFY2(down.out.contains(QLatin1String("none is active")), qPrintable(down.out));
        status = statusOf(QStringLiteral("demo"));
        QCOMPARE(status.value(QLatin1String("activeJobs")).toInt(), 0);
        QVERIFY(status.value(QLatin1String("jobs")).toArray().isEmpty());
    }

    void up_refusesWhatVllmWouldRefuse_beforeCreatingJobs()
    {
        ApoloDeploy::Test::TempConfig config;
        const Run up = apoloDeploy(
            QStringList{QStringLiteral("up")} + flagship +
            QStringList{QStringLiteral("--tp"), QStringLiteral("6"), QStringLiteral("--name"), QStringLiteral("bad")});
        QCOMPARE(up.exitCode, 2);
        QVERIFY2(up.err.contains(QLatin1String("must be divisible by tensor parallel size (6)")), qPrintable(up.err));
        QVERIFY(!up.out.contains(QLatin1String("Creating")));
        QCOMPARE(statusOf(QStringLiteral("bad")).value(QLatin1String("jobs")).toArray().size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestUpCommand)
#include "tst_upcommand.moc"
