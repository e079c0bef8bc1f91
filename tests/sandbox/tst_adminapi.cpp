// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/SandboxFixture.h"

#include <QTest>

using ApoloDeploy::Test::SandboxFixture;

class TstAdminApi : public QObject
{
    Q_OBJECT

private:
    SandboxFixture m_sandbox;
    QString m_adminUrl;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
        m_adminUrl = m_sandbox.get(QStringLiteral("config")).json().value(QLatin1String("admin_url")).toString();
        QVERIFY(!m_adminUrl.isEmpty());
    }

    void orgUser_reportsQuotaAndBalanceAsDecimalStrings()
    {
        QVERIFY(m_sandbox.setBalance(QStringLiteral("12.5")));
        QVERIFY(m_sandbox.setJobsQuota(3));
        const auto reply =
            m_sandbox.get(m_adminUrl + QStringLiteral("/clusters/default/orgs/acme/users/alice?with_user_info=false"));
        QCOMPARE(reply.status, 200);
        const QJsonObject user = reply.json();
        QCOMPARE(user.value(QLatin1String("user_name")).toString(), QStringLiteral("alice"));
        QCOMPARE(user.value(QLatin1String("org_name")).toString(), QStringLiteral("acme"));
        QCOMPARE(user.value(QLatin1String("quota")).toObject().value(QLatin1String("total_running_jobs")).toInt(), 3);
        const QJsonObject balance = user.value(QLatin1String("balance")).toObject();
        QCOMPARE(balance.value(QLatin1String("credits")).toString(), QStringLiteral("12.5"));
        QVERIFY(balance.value(QLatin1String("spent_credits")).isString());
    }

    void unlimited_isNull()
    {
        QVERIFY(m_sandbox.setBalance(QString()));
        QVERIFY(m_sandbox.setJobsQuota(-1));
        const QJsonObject user = m_sandbox.get(m_adminUrl + QStringLiteral("/clusters/default/users/alice")).json();
        QVERIFY(user.value(QLatin1String("balance")).toObject().value(QLatin1String("credits")).isNull());
        QVERIFY(user.value(QLatin1String("quota")).toObject().value(QLatin1String("total_running_jobs")).isNull());
        const QJsonObject org = m_sandbox.get(m_adminUrl + QStringLiteral("/clusters/default/orgs/acme")).json();
        QCOMPARE(org.value(QLatin1String("org_name")).toString(), QStringLiteral("acme"));
        QVERIFY(org.contains(QLatin1String("balance")) && org.contains(QLatin1String("quota")));
    }

    void unknownUser_is404()
    {
        QCOMPARE(m_sandbox.get(m_adminUrl + QStringLiteral("/clusters/default/orgs/acme/users/bob")).status, 404);
    }
};

QTEST_GUILESS_MAIN(TstAdminApi)
#include "tst_adminapi.moc"
