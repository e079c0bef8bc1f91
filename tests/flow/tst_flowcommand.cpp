// SPDX-License-Identifier: GPL-3.0-or-later
// The `flow` commands of the real apolo-deploy binary: export -> check -> import gives back the
// deployment the options described, and the seed guide's live.yml checks with its warnings.

#include "support/TempConfig.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run apoloDeploy(const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral(ADC_BIN_DIR "/apolo-deploy"), arguments);
    Run run;
    if (!process.waitForFinished(20000)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

QStringList issueCodes(const QJsonObject &check)
{
    QStringList codes;
    for (const QJsonValue &issue : check.value(QLatin1String("issues")).toArray())
        codes << issue.toObject().value(QLatin1String("code")).toString();
    return codes;
}

} // namespace

class TestFlowCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exportCheckImport_givesTheSameDeployment()
    {
        ApoloDeploy::Test::TempConfig config;
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("live.yml"));
        const QStringList options{
            QStringLiteral("--model"),         QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ"),
            QStringLiteral("--preset"),        QStringLiteral("dgx"),
            QStringLiteral("--nodes"),         QStringLiteral("3"),
            QStringLiteral("--max-model-len"), QStringLiteral("100000"),
            QStringLiteral("--name"),          QStringLiteral("demo")};
        const Run exported = apoloDeploy(QStringList{QStringLiteral("flow"), QStringLiteral("export")} + options);
        QVERIFY2(exported.exitCode == 0, exported.err.constData());
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(exported.out);
        out.close();

        const Run checked =
            apoloDeploy({QStringLiteral("flow"), QStringLiteral("check"), file, QStringLiteral("--json")});
        QVERIFY2(checked.exitCode == 0, checked.out.constData());
        const QJsonObject check = QJsonDocument::fromJson(checked.out).object();
        QVERIFY(check.value(QLatin1String("valid")).toBool());
        QVERIFY(check.value(QLatin1String("recognisedDeployment")).toBool());
        QVERIFY2(!issueCodes(check).contains(QLatin1String("seed-no-separator")), checked.out.constData());

        const Run imported = apoloDeploy({QStringLiteral("flow"), QStringLiteral("import"), file,
                                          QStringLiteral("--project-id"), QStringLiteral("research")});
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
        const QJsonObject deployment = QJsonDocument::fromJson(imported.out).object();
        QCOMPARE(deployment, check.value(QLatin1String("deployment")).toObject());
        QCOMPARE(deployment.value(QLatin1String("name")).toString(), QStringLiteral("demo"));
        QCOMPARE(deployment.value(QLatin1String("model")).toString(),
                 QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ"));
        QCOMPARE(deployment.value(QLatin1String("preset")).toString(), QStringLiteral("dgx"));
        QCOMPARE(deployment.value(QLatin1String("pipelineParallel")).toInt(), 3);
        QCOMPARE(deployment.value(QLatin1String("tensorParallel")).toInt(), 8);
        QCOMPARE(deployment.value(QLatin1String("maxModelLen")).toInt(), 100000);

        // Exporting the imported deployment again writes the same file.
        const Run again = apoloDeploy(QStringList{QStringLiteral("flow"), QStringLiteral("export")} + options);
        QCOMPARE(again.out, exported.out);
    }

    void seedFlow_checksWithItsWarnings()
    {
        ApoloDeploy::Test::TempConfig config;
        const Run checked =
            apoloDeploy({QStringLiteral("flow"), QStringLiteral("check"),
                         QStringLiteral(ADC_TEST_DATA_DIR "/flow/seed-guide-live.yml"), QStringLiteral("--json"),
                         QStringLiteral("--max-model-len"), QStringLiteral("128000")});
        QVERIFY2(checked.exitCode == 0, checked.out.constData()); // apolo-flow accepts it …
        const QJsonObject check = QJsonDocument::fromJson(checked.out).object();
        const QStringList codes = issueCodes(check);
        // … with the guide's pitfalls, each at its line:column.
        QVERIFY2(codes.contains(QLatin1String("seed-inspect-job-name")), qPrintable(codes.join(u' ')));
        QVERIFY2(codes.contains(QLatin1String("seed-no-separator")), qPrintable(codes.join(u' ')));
        for (const QJsonValue &issue : check.value(QLatin1String("issues")).toArray())
            QVERIFY(issue.toObject().value(QLatin1String("line")).toInt() > 0);
        QVERIFY(check.value(QLatin1String("recognisedDeployment")).toBool());
        QStringList notes;
        for (const QJsonValue &issue : check.value(QLatin1String("importNotes")).toArray())
            notes << issue.toObject().value(QLatin1String("code")).toString();
        QVERIFY2(notes.contains(QLatin1String("seed-context-mismatch")), qPrintable(notes.join(u' ')));
    }

    void badUsage_exitsTwoWithUsage()
    {
        const Run run = apoloDeploy({QStringLiteral("flow"), QStringLiteral("check")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("Usage: apolo-deploy flow check FILE"));
    }
};

QTEST_GUILESS_MAIN(TestFlowCommand)
#include "tst_flowcommand.moc"
