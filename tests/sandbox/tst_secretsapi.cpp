// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/SandboxFixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using ApoloDeploy::Test::SandboxFixture;

class TstSecretsApi : public QObject
{
    Q_OBJECT

private:
    SandboxFixture m_sandbox;
    QString m_secretsUrl;
    QString scoped(const QString &path) const
    {
        return m_secretsUrl + path + QStringLiteral("?org_name=acme&project_name=research");
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
        m_secretsUrl = m_sandbox.get(QStringLiteral("config"))
                           .json()
                           .value(QLatin1String("clusters"))
                           .toArray()
                           .at(0)
                           .toObject()
                           .value(QLatin1String("secrets_url"))
                           .toString();
    }

    void secrets_createListGetDelete()
    {
        const auto created = m_sandbox.postJson(
            m_secretsUrl,
            {{"key", "HF_TOKEN"}, {"value", "aGZfc2VjcmV0"}, {"org_name", "acme"}, {"project_name", "research"}});
        QCOMPARE(created.status, 201);
        QCOMPARE(created.json(),
                 (QJsonObject{
                     {"key", "HF_TOKEN"}, {"owner", "research"}, {"org_name", "acme"}, {"project_name", "research"}}));
        const auto list = m_sandbox.get(scoped(QString()));
        QCOMPARE(list.status, 200);
        QCOMPARE(QJsonDocument::fromJson(list.body).array().size(), 1);
        const auto one = m_sandbox.get(scoped(QStringLiteral("/HF_TOKEN")));
        QCOMPARE(one.json().value(QLatin1String("value")).toString(), QStringLiteral("aGZfc2VjcmV0"));
        // A job can now use it, and the workload gets the decoded value.
        const auto job =
            m_sandbox.createJob({{"secret_env", QJsonObject{{"HF_TOKEN", "secret://default/acme/research/HF_TOKEN"}}}});
        QCOMPARE(job.status, 202);
        m_sandbox.send("DELETE", QStringLiteral("jobs/") + job.json().value(QLatin1String("id")).toString());
        QCOMPARE(m_sandbox.send("DELETE", scoped(QStringLiteral("/HF_TOKEN"))).status, 204);
        const auto gone = m_sandbox.get(scoped(QStringLiteral("/HF_TOKEN")));
        QCOMPARE(gone.status, 404);
        QVERIFY(gone.json().contains(QLatin1String("error")));
        QCOMPARE(m_sandbox.send("DELETE", scoped(QStringLiteral("/HF_TOKEN"))).status, 404);
    }

    void secrets_rejectBadKeysValuesAndScope()
    {
        auto post = [this](const QString &key, const QString &value) {
            return m_sandbox
                .postJson(m_secretsUrl,
                          {{"key", key}, {"value", value}, {"org_name", "acme"}, {"project_name", "research"}})
                .status;
        };
        QCOMPARE(post(QStringLiteral("bad key"), QStringLiteral("YQ==")), 400);
        QCOMPARE(post(QStringLiteral(".."), QStringLiteral("YQ==")), 400);
        QCOMPARE(post(QStringLiteral("OK"), QStringLiteral("not base64!")), 400);
        QCOMPARE(post(QStringLiteral("BIG"), QString(1024 * 1024 + 4, u'A')), 400);
        QCOMPARE(m_sandbox.get(m_secretsUrl + QStringLiteral("?org_name=acme")).status, 400);
        QCOMPARE(m_sandbox.send("GET", scoped(QString()), {}, {}, false).status, 401);
    }
};

QTEST_GUILESS_MAIN(TstSecretsApi)
#include "tst_secretsapi.moc"
