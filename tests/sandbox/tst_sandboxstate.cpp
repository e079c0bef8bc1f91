// SPDX-License-Identifier: GPL-3.0-or-later
// --state: jobs, logs, secrets and credits survive a restart of apolo-sandbox.
#include "support/SandboxFixture.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using ApoloDeploy::Test::SandboxFixture;

class TstSandboxState : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void state_survivesRestart()
    {
        QTemporaryDir dir;
        SandboxFixture::Options options;
        options.statePath = dir.filePath(QStringLiteral("sandbox.json"));
        SandboxFixture sandbox(options);
        QVERIFY2(sandbox.start(), qPrintable(sandbox.errorString()));
        QVERIFY(sandbox.setBalance(QStringLiteral("500")));
        QCOMPARE(
            sandbox
                .postJson(sandbox.baseUrl().toString() + QStringLiteral("/secrets/api/v1/secrets"),
                          {{"key", "KEPT"}, {"value", "a2VwdA=="}, {"org_name", "acme"}, {"project_name", "research"}})
                .status,
            201);
        const QString finished =
            sandbox.createJob({{"command", "sh -c 'echo kept line'"}}).json().value(QLatin1String("id")).toString();
        QCOMPARE(sandbox.waitForStatus(finished, QStringLiteral("succeeded")).value(QLatin1String("status")).toString(),
                 QStringLiteral("succeeded"));
        const QString running = sandbox.createJob({{"name", "survivor"}}).json().value(QLatin1String("id")).toString();
        QCOMPARE(sandbox.waitForStatus(running, QStringLiteral("running")).value(QLatin1String("status")).toString(),
                 QStringLiteral("running"));

        QVERIFY2(sandbox.restart(), qPrintable(sandbox.errorString()));
        const QJsonObject done = sandbox.get(QStringLiteral("jobs/") + finished).json();
        QCOMPARE(done.value(QLatin1String("status")).toString(), QStringLiteral("succeeded"));
        const QJsonObject survivor = sandbox.get(QStringLiteral("jobs/survivor")).json();
        QCOMPARE(survivor.value(QLatin1String("id")).toString(), running);
        QCOMPARE(survivor.value(QLatin1String("status")).toString(), QStringLiteral("running"));
        QCOMPARE(survivor.value(QLatin1String("history")).toObject().value(QLatin1String("restarts")).toInt(), 1);
        const auto secret =
            sandbox.get(sandbox.baseUrl().toString() +
                        QStringLiteral("/secrets/api/v1/secrets/KEPT?org_name=acme&project_name=research"));
        QCOMPARE(secret.status, 200);
        QVERIFY(sandbox.controlState().value(QLatin1String("balance")).toString().toDouble() > 0);
        const auto log = sandbox.get(sandbox.baseUrl().toString() + QStringLiteral("/monitoring/api/v1/jobs/") +
                                     finished + QStringLiteral("/log"));
        QCOMPARE(log.body, QByteArray("kept line\n"));
    }
};

QTEST_GUILESS_MAIN(TstSandboxState)
#include "tst_sandboxstate.moc"
