// SPDX-License-Identifier: GPL-3.0-or-later
// The platform API of apolo-sandbox over real loopback HTTP: config, job create/validate,
// lifecycle and reasons, list filters, kill, life span, quota and credits.
#include "support/SandboxFixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using ApoloDeploy::Test::SandboxFixture;

namespace {

QStringList transitions(const QJsonObject &job)
{
    QStringList result;
    for (const QJsonValue &value : job.value(QLatin1String("statuses")).toArray()) {
        const QJsonObject status = value.toObject();
        const QString reason = status.value(QLatin1String("reason")).toString();
        result << status.value(QLatin1String("status")).toString() + (reason.isEmpty() ? QString() : u' ' + reason);
    }
    return result;
}

} // namespace

class TstPlatformApi : public QObject
{
    Q_OBJECT

private:
    SandboxFixture m_sandbox;

    QString createdId(const QJsonObject &fields = {})
    {
        const auto reply = m_sandbox.createJob(fields);
        return reply.status == 202 ? reply.json().value(QLatin1String("id")).toString() : QString();
    }
    QString errorOf(const QJsonObject &fields)
    {
        return m_sandbox.createJob(fields).json().value(QLatin1String("error")).toString();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString())); }
    void init()
    {
        QVERIFY(
            m_sandbox.control({{"balance", QJsonValue::Null}, {"max_running_jobs", QJsonValue::Null}, {"faults", ""}}));
        // Every test starts with no active job (quota and name checks count them).
        for (const QJsonValue &job : m_sandbox.get(QStringLiteral("jobs?status=pending&status=running"))
                                         .json()
                                         .value(QLatin1String("jobs"))
                                         .toArray())
            QCOMPARE(
                m_sandbox.send("DELETE", QStringLiteral("jobs/") + job.toObject().value(QLatin1String("id")).toString())
                    .status,
                204);
    }

    void config_withoutTokenOnlyOAuthFields()
    {
        const auto reply = m_sandbox.send("GET", QStringLiteral("config"), {}, {}, false);
        QCOMPARE(reply.status, 200);
        const QJsonObject config = reply.json();
        QCOMPARE(config.value(QLatin1String("authorized")).toBool(true), false);
        QVERIFY(!config.contains(QLatin1String("clusters")));
        QVERIFY(config.value(QLatin1String("auth_url")).toString().startsWith(QLatin1String("http://127.0.0.1")));
        QCOMPARE(config.value(QLatin1String("callback_urls")).toArray().size(), 3);
    }

    void config_withTokenListsClusterAndPresetsInOrder()
    {
        const QJsonObject config = m_sandbox.get(QStringLiteral("config")).json();
        QVERIFY(config.value(QLatin1String("authorized")).toBool());
        const QJsonObject cluster = config.value(QLatin1String("clusters")).toArray().at(0).toObject();
        QCOMPARE(cluster.value(QLatin1String("name")).toString(), QString::fromLatin1(SandboxFixture::clusterName));
        for (const char *key :
             {"monitoring_url", "storage_url", "secrets_url", "registry_url", "users_url", "disks_url", "buckets_url"})
            QVERIFY2(cluster.value(QLatin1String(key)).toString().startsWith(QLatin1String("http://127.0.0.1")), key);
        const QJsonArray presets = cluster.value(QLatin1String("resource_presets")).toArray();
        QCOMPARE(presets.at(0).toObject().value(QLatin1String("name")).toString(), QStringLiteral("cpu-small"));
        QJsonObject dgx;
        bool haveH200 = false;
        for (const QJsonValue &value : presets) {
            const QJsonObject preset = value.toObject();
            QVERIFY(preset.value(QLatin1String("credits_per_hour")).isString());
            QCOMPARE(preset.value(QLatin1String("memory_mb")).toInteger(),
                     preset.value(QLatin1String("memory")).toInteger() / (1024 * 1024));
            if (preset.value(QLatin1String("name")).toString() == QLatin1String("dgx"))
                dgx = preset;
            haveH200 = haveH200 || preset.value(QLatin1String("nvidia_gpu"))
                                       .toObject()
                                       .value(QLatin1String("model"))
                                       .toString()
                                       .contains(QLatin1String("h200"));
        }
        const QJsonObject gpu = dgx.value(QLatin1String("nvidia_gpu")).toObject();
        QCOMPARE(gpu.value(QLatin1String("count")).toInt(), 8);
        QCOMPARE(gpu.value(QLatin1String("model")).toString(), QStringLiteral("nvidia-h100-80gb"));
        QCOMPARE(gpu.value(QLatin1String("memory")).toInteger(), qint64(85899345920));
        QVERIFY(haveH200);
        QCOMPARE(config.value(QLatin1String("projects")).toArray().size(), 2);
        QVERIFY(config.contains(QLatin1String("admin_url")));
    }

    void auth_badTokenIs401PlainText()
    {
        const auto reply = m_sandbox.send("GET", QStringLiteral("jobs"), {}, {{"Authorization", "Bearer nope"}}, false);
        QCOMPARE(reply.status, 401);
        QCOMPARE(reply.body, QByteArray("401: Unauthorized"));
    }

    void create_returns202WithFullJob()
    {
        const auto reply = m_sandbox.createJob({{"name", "shape-check"},
                                                {"tags", QJsonArray{"b", "a", "b"}},
                                                {"http", QJsonObject{{"port", 8000}, {"requires_auth", true}}},
                                                {"max_run_time_minutes", 60},
                                                {"preset_name", "dgx"}});
        QCOMPARE(reply.status, 202);
        const QJsonObject job = reply.json();
        const QString id = job.value(QLatin1String("id")).toString();
        QVERIFY(id.startsWith(QLatin1String("job-")) && id.size() == 40);
        QCOMPARE(job.value(QLatin1String("status")).toString(), QStringLiteral("pending"));
        QCOMPARE(transitions(job), QStringList{QStringLiteral("pending Creating")});
        QCOMPARE(job.value(QLatin1String("tags")).toArray(), (QJsonArray{"a", "b"}));
        QCOMPARE(job.value(QLatin1String("owner")).toString(), QString::fromLatin1(SandboxFixture::userName));
        const QString hash = job.value(QLatin1String("org_project_hash")).toString();
        QCOMPARE(hash.size(), 10);
        QCOMPARE(job.value(QLatin1String("internal_hostname")).toString(), id + QStringLiteral(".platform-jobs"));
        QCOMPARE(job.value(QLatin1String("internal_hostname_named")).toString(),
                 QStringLiteral("shape-check--%1.platform-jobs").arg(hash));
        QVERIFY(job.value(QLatin1String("http_url")).toString().startsWith(QLatin1String("http://127.0.0.1:")));
        QCOMPARE(job.value(QLatin1String("price_credits_per_hour")).toString(), QStringLiteral("33.6"));
        QVERIFY(job.value(QLatin1String("total_price_credits")).isString());
        const QJsonObject resources =
            job.value(QLatin1String("container")).toObject().value(QLatin1String("resources")).toObject();
        QCOMPARE(resources.value(QLatin1String("nvidia_gpu")).toInt(), 8);
        QCOMPARE(job.value(QLatin1String("uri")).toString(), QStringLiteral("job://default/acme/research/") + id);
        QVERIFY(m_sandbox.send("DELETE", QStringLiteral("jobs/") + id).status == 204);
    }

    void validators_answerWithPlatformTexts_data()
    {
        QTest::addColumn<QJsonObject>("fields");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown key") << QJsonObject{{"colour", "red"}} << QStringLiteral("colour is not allowed key");
        QTest::newRow("name pattern") << QJsonObject{{"name", "Bad_Name"}} << QStringLiteral("does not match pattern");
        QTest::newRow("name short") << QJsonObject{{"name", "ab"}}
                                    << QStringLiteral("String is shorter than 3 characters");
        QTest::newRow("name long") << QJsonObject{{"name", QString(41, u'a')}} << QStringLiteral("longer than 40");
        QTest::newRow("job- prefix") << QJsonObject{{"name", "job-thing"}}
                                     << QStringLiteral(
                                            "Failed to create job: job name cannot start with 'job-' prefix.");
        QTest::newRow("storage scheme")
            << QJsonObject{{"volumes", QJsonArray{QJsonObject{{"src_storage_uri", "disk://default/acme/research/x"},
                                                              {"dst_path", "/data"}}}}}
            << QStringLiteral("Invalid URI scheme: 'disk' != 'storage'");
        QTest::newRow("storage cluster")
            << QJsonObject{{"volumes",
                            QJsonArray{QJsonObject{{"src_storage_uri", "storage://hf-cache/x"}, {"dst_path", "/d"}}}}}
            << QStringLiteral("Invalid URI cluster: 'hf-cache' != 'default'");
        QTest::newRow("relative mount")
            << QJsonObject{{"volumes", QJsonArray{QJsonObject{{"src_storage_uri", "storage://default/acme/research/x"},
                                                              {"dst_path", "data"}}}}}
            << QStringLiteral("Mount path must be absolute");
        QTest::newRow("secret cluster") << QJsonObject{{"secret_env",
                                                        QJsonObject{{"HF_TOKEN", "secret://other/acme/research/HF"}}}}
                                        << QStringLiteral("Invalid URI cluster: 'other' != 'default'");
        QTest::newRow("preset") << QJsonObject{{"preset_name", "tpu-v9"}} << QStringLiteral("Preset was not found");
        QTest::newRow("port") << QJsonObject{{"http", QJsonObject{{"port", 70000}}}}
                              << QStringLiteral("value is greater than 65535");
        QTest::newRow("tag space") << QJsonObject{{"tags", QJsonArray{"two words"}}}
                                   << QStringLiteral("does not match pattern");
        QTest::newRow("too many tags") << QJsonObject{{"tags",
                                                       [] {
                                                           QJsonArray a;
                                                           for (int i = 0; i < 17; ++i)
                                                               a.append(QString::number(i));
                                                           return a;
                                                       }()}}
                                       << QStringLiteral("list length is greater than 16");
        QTest::newRow("life span") << QJsonObject{{"max_run_time_minutes", 0}}
                                   << QStringLiteral("value is less than 1");
        QTest::newRow("resources") << QJsonObject{{"resources", QJsonObject{{"cpu", 4}}}}
                                   << QStringLiteral("Both preset and resources are not allowed");
        QTest::newRow("missing secret")
            << QJsonObject{{"secret_env", QJsonObject{{"HF_TOKEN", "secret://default/acme/research/NOPE"}}}}
            << QStringLiteral("Missing secrets: 'NOPE'");
    }
    void validators_answerWithPlatformTexts()
    {
        QFETCH(QJsonObject, fields);
        QFETCH(QString, expected);
        const auto reply = m_sandbox.createJob(fields);
        QCOMPARE(reply.status, 400);
        QVERIFY2(reply.json().value(QLatin1String("error")).toString().contains(expected), reply.body.constData());
    }

    void create_unknownProjectIs403Missing()
    {
        const auto reply = m_sandbox.createJob({{"project_name", "elsewhere"}});
        QCOMPARE(reply.status, 403);
        QCOMPARE(reply.json()
                     .value(QLatin1String("missing"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QLatin1String("action"))
                     .toString(),
                 QStringLiteral("write"));
    }

    void names_uniqueAmongActiveJobsOfAProject()
    {
        const QString first = createdId({{"name", "unique-one"}});
        QVERIFY(!first.isEmpty());
        QCOMPARE(errorOf({{"name", "unique-one"}}),
                 QStringLiteral(
                     "Failed to create job: job with name 'unique-one' and project 'research' already exists: '%1'")
                     .arg(first));
        const QString staging = createdId({{"name", "unique-one"}, {"project_name", "staging"}});
        QVERIFY(!staging.isEmpty());
        // By name, GET resolves to the caller's newest job of that name, whatever the project.
        QCOMPARE(m_sandbox.get(QStringLiteral("jobs/unique-one")).json().value(QLatin1String("id")).toString(),
                 staging);
        QCOMPARE(m_sandbox.send("DELETE", QStringLiteral("jobs/") + first).status, 204);
        QVERIFY(!createdId({{"name", "unique-one"}}).isEmpty()); // a finished job frees its name
    }

    void get_unknownJobIs400NoSuchJob()
    {
        const auto reply = m_sandbox.get(QStringLiteral("jobs/job-00000000-0000-0000-0000-000000000000"));
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.json().value(QLatin1String("error")).toString(),
                 QStringLiteral("no such job job-00000000-0000-0000-0000-000000000000"));
    }

    void lifecycle_pendingReasonsThenRunningThenExit()
    {
        const QString id = createdId({{"command", "sh -c 'echo started; sleep 2; exit 3'"}});
        const QJsonObject job = m_sandbox.waitForStatus(id, QStringLiteral("failed"));
        QCOMPARE(job.value(QLatin1String("status")).toString(), QStringLiteral("failed"));
        QCOMPARE(transitions(job),
                 (QStringList{QStringLiteral("pending Creating"), QStringLiteral("pending Scheduling"),
                              QStringLiteral("pending Pulling"), QStringLiteral("pending ContainerCreating"),
                              QStringLiteral("running"), QStringLiteral("failed Error")}));
        const QJsonObject history = job.value(QLatin1String("history")).toObject();
        QCOMPARE(history.value(QLatin1String("exit_code")).toInt(), 3);
        QVERIFY(history.contains(QLatin1String("started_at")) && history.contains(QLatin1String("finished_at")));
        QVERIFY(history.value(QLatin1String("run_time_seconds")).toDouble() >= 1.5);
    }

    void lifecycle_cleanExitSucceedsWithNullReason()
    {
        const QString id = createdId({{"command", "sh -c 'echo done'"}});
        const QJsonObject job = m_sandbox.waitForStatus(id, QStringLiteral("succeeded"));
        QCOMPARE(job.value(QLatin1String("status")).toString(), QStringLiteral("succeeded"));
        QVERIFY(job.value(QLatin1String("history")).toObject().value(QLatin1String("reason")).isNull());
    }

    void lifecycle_missingImageIsCollected()
    {
        const QString id = createdId({{"image", "ghcr.io/nobody/does-not-exist:1"}});
        const QJsonObject job = m_sandbox.waitForStatus(id, QStringLiteral("failed"));
        QVERIFY(transitions(job).contains(QStringLiteral("pending ErrImagePull")));
        QCOMPARE(transitions(job).constLast(), QStringLiteral("failed Collected"));
        QCOMPARE(job.value(QLatin1String("history")).toObject().value(QLatin1String("description")).toString(),
                 QStringLiteral("Image 'ghcr.io/nobody/does-not-exist:1' can not be pulled"));
    }

    void kill_cancelsWithUserRequested()
    {
        const QString id = createdId();
        QCOMPARE(m_sandbox.waitForStatus(id, QStringLiteral("running")).value(QLatin1String("status")).toString(),
                 QStringLiteral("running"));
        QCOMPARE(m_sandbox.send("DELETE", QStringLiteral("jobs/") + id).status, 204);
        const QJsonObject job = m_sandbox.get(QStringLiteral("jobs/") + id).json();
        QCOMPARE(transitions(job).constLast(), QStringLiteral("cancelled UserRequested"));
    }

    void lifeSpan_endsRunningJobAndCanBeExtended()
    {
        const QString id = createdId({{"max_run_time_minutes", 1}});
        QCOMPARE(m_sandbox.waitForStatus(id, QStringLiteral("running")).value(QLatin1String("status")).toString(),
                 QStringLiteral("running"));
        QCOMPARE(m_sandbox
                     .send("PUT", QStringLiteral("jobs/%1/max_run_time_minutes").arg(id),
                           R"({"additional_max_run_time_minutes": 1})")
                     .status,
                 204);
        QCOMPARE(
            m_sandbox.get(QStringLiteral("jobs/") + id).json().value(QLatin1String("max_run_time_minutes")).toInt(), 2);
        QCOMPARE(m_sandbox
                     .send("PUT", QStringLiteral("jobs/%1/max_run_time_minutes").arg(id),
                           R"({"max_run_time_minutes": 1, "additional_max_run_time_minutes": 1})")
                     .status,
                 400);
        const QJsonObject job = m_sandbox.waitForStatus(id, QStringLiteral("cancelled"), 15000);
        QCOMPARE(transitions(job).constLast(), QStringLiteral("cancelled LifeSpanEnded"));
        QVERIFY(job.value(QLatin1String("history")).toObject().value(QLatin1String("run_time_seconds")).toDouble() >=
                120);
        QVERIFY(job.value(QLatin1String("total_price_credits")).toString().toDouble() > 0);
    }

    void list_ndjsonAndFilters()
    {
        const QString tagged = createdId({{"name", "listed-job"}, {"tags", QJsonArray{"alpha", "beta"}}});
        const QString other = createdId({{"tags", QJsonArray{"alpha"}}, {"project_name", "staging"}});
        const auto ndjson =
            m_sandbox.send("GET", QStringLiteral("jobs?tag=alpha&tag=beta&status=pending&status=running"), {},
                           {{"Accept", "application/x-ndjson"}});
        QCOMPARE(ndjson.status, 200);
        QVERIFY(ndjson.header("Content-Type").startsWith("application/x-ndjson"));
        const QList<QByteArray> lines = ndjson.body.trimmed().split('\n');
        QCOMPARE(lines.size(), 1);
        QCOMPARE(QJsonDocument::fromJson(lines.at(0)).object().value(QLatin1String("id")).toString(), tagged);

        const QJsonArray byProject = m_sandbox.get(QStringLiteral("jobs?tag=alpha&project_name=staging"))
                                         .json()
                                         .value(QLatin1String("jobs"))
                                         .toArray();
        QCOMPARE(byProject.size(), 1);
        QCOMPARE(byProject.at(0).toObject().value(QLatin1String("id")).toString(), other);
        const QJsonArray newest = m_sandbox.get(QStringLiteral("jobs?tag=alpha&reverse=1&limit=1"))
                                      .json()
                                      .value(QLatin1String("jobs"))
                                      .toArray();
        QCOMPARE(newest.size(), 1);
        QCOMPARE(newest.at(0).toObject().value(QLatin1String("id")).toString(), other);
        QCOMPARE(
            m_sandbox.get(QStringLiteral("jobs?name=listed-job")).json().value(QLatin1String("jobs")).toArray().size(),
            1);
        const QString created = m_sandbox.get(QStringLiteral("jobs/") + other)
                                    .json()
                                    .value(QLatin1String("history"))
                                    .toObject()
                                    .value(QLatin1String("created_at"))
                                    .toString();
        const QString since = QString::fromLatin1(QUrl::toPercentEncoding(created));
        const QJsonArray sinceOther = m_sandbox.get(QStringLiteral("jobs?tag=alpha&since=") + since)
                                          .json()
                                          .value(QLatin1String("jobs"))
                                          .toArray();
        QCOMPARE(sinceOther.size(), 1);
        QCOMPARE(m_sandbox.get(QStringLiteral("jobs?status=bogus")).status, 400);
        m_sandbox.send("DELETE", QStringLiteral("jobs/") + tagged);
        m_sandbox.send("DELETE", QStringLiteral("jobs/") + other);
    }

    void quota_refusesBeyondMaxRunningJobs()
    {
        QVERIFY(m_sandbox.setJobsQuota(1));
        const QString first = createdId();
        QVERIFY(!first.isEmpty());
        QCOMPARE(errorOf({}), QStringLiteral("Jobs limit quota exceeded for user 'alice'"));
        QVERIFY(!createdId({{"wait_for_jobs_quota", true}}).isEmpty());
    }

    void credits_refuseAtZeroAndCancelRunningJobs()
    {
        QVERIFY(m_sandbox.setBalance(QStringLiteral("0.05")));
        const QString id = createdId({{"preset_name", "dgx"}});
        QVERIFY(!id.isEmpty());
        // 0.05 credits at 33.6/h last about 5 simulated seconds of running.
        const QJsonObject job = m_sandbox.waitForStatus(id, QStringLiteral("cancelled"), 15000);
        QCOMPARE(transitions(job).constLast(), QStringLiteral("cancelled QuotaExhausted"));
        QCOMPARE(errorOf({}), QStringLiteral("No credits left for user 'alice'"));
        QVERIFY(m_sandbox.controlState().value(QLatin1String("balance")).toString().toDouble() <= 0);
    }

    void faults_http5xxAnswers503()
    {
        QVERIFY(m_sandbox.setFaults(QStringLiteral("http5xx=1")));
        QCOMPARE(m_sandbox.get(QStringLiteral("jobs")).status, 503);
        QVERIFY(m_sandbox.setFaults(QString()));
        QCOMPARE(m_sandbox.get(QStringLiteral("jobs")).status, 200);
    }
};

QTEST_GUILESS_MAIN(TstPlatformApi)
#include "tst_platformapi.moc"
