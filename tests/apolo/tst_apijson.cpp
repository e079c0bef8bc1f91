// SPDX-License-Identifier: GPL-3.0-or-later
#include "ApoloTestData.h"
#include "apolo/ApiJson.h"

#include <QTest>
#include <QTimeZone>

using namespace ApoloDeploy;
using Kind = ApoloError::Kind;

class tst_ApiJson : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void config_authorizedKeepsPresetsInServerOrder()
    {
        const ApoloResult<ServerConfig> config = ApiJson::parseServerConfig(apoloFixture("config-authorized.json"));
        QVERIFY2(config.ok(), qPrintable(config.error().toString()));
        QVERIFY(config->authorized);
        QCOMPARE(config->orgs.size(), 2);
        QCOMPARE(config->orgs.at(1).role, QStringLiteral("admin"));
        QCOMPARE(config->clusters.size(), 2);
        const Cluster &c1 = config->clusters.first();
        QCOMPARE(c1.name, QStringLiteral("c1"));
        QCOMPARE(c1.orgs, QStringList({"acme", "beta"}));
        QCOMPARE(c1.monitoringUrl, QUrl(QStringLiteral("https://c1.org.apolo.us/api/v1/jobs")));
        QCOMPARE(c1.registryUrl.host(), QStringLiteral("registry.c1.org.apolo.us"));
        QCOMPARE(c1.presets.size(), 3);
        QCOMPARE(c1.presets.at(0).name, QStringLiteral("cpu-small"));
        QCOMPARE(c1.presets.at(1).name, QStringLiteral("gpu-h100x1"));
        QCOMPARE(c1.presets.at(2).name, QStringLiteral("dgx"));
        const Preset &h100 = c1.presets.at(1);
        QCOMPARE(h100.creditsPerHour, QStringLiteral("4.2"));
        QCOMPARE(h100.creditsPerHourValue().toString(2), QStringLiteral("4.20"));
        QCOMPARE(h100.memoryBytes, Q_INT64_C(128849018880));
        QCOMPARE(h100.gpuCount(), 1);
        QCOMPARE(h100.gpuModel(), QStringLiteral("nvidia-h100-80gb"));
        QCOMPARE(h100.gpuMemoryBytes(), Q_INT64_C(85899345920));
        QCOMPARE(h100.resourcePoolNames, QStringList{"h100"});
        const Preset &dgx = c1.presets.at(2);
        QCOMPARE(dgx.creditsPerHour, QStringLiteral("33.6125"));
        QCOMPARE(dgx.cpu, 220.0);
        QCOMPARE(dgx.gpuCount(), 8);
        QVERIFY(dgx.schedulerEnabled);
        QVERIFY(dgx.preemptibleNode);
        QCOMPARE(dgx.nvidiaMigs.value(QStringLiteral("1g.10gb")).count, 7);
        QVERIFY(dgx.availableResourcePoolNames.isEmpty());
        QCOMPARE(c1.resourcePools.size(), 1);
        QCOMPARE(c1.resourcePools.first().maxSize, 4);
        QCOMPARE(c1.storageVolumes.first().creditsPerHourPerGb, QStringLiteral("0.0001"));
        QCOMPARE(c1.energyScheduleNames, QStringList{"default"});
        QCOMPARE(c1.location, QStringLiteral("us-east"));
        QVERIFY(c1.preset(QStringLiteral("dgx")));
        QVERIFY(!c1.preset(QStringLiteral("nope")));
        // The project without an org is ignored, as the SDK does.
        QCOMPARE(config->projects.size(), 3);
        QCOMPARE(config->adminUrl.host(), QStringLiteral("api.apolo.us"));
        QVERIFY(config->oauth.isValid());
        QCOMPARE(config->oauth.callbackUrls.size(), 3);
        QCOMPARE(config->oauth.callbackUrls.first(), QUrl(QStringLiteral("http://127.0.0.1:54540")));
        QCOMPARE(config->oauth.audience, QStringLiteral("https://platform.apolo.us"));
        QVERIFY(config->cluster(QStringLiteral("c2")));
    }

    void config_anonymousHasOnlyOAuth()
    {
        const ApoloResult<ServerConfig> config = ApiJson::parseServerConfig(apoloFixture("config-anonymous.json"));
        QVERIFY(config.ok());
        QVERIFY(!config->authorized);
        QVERIFY(config->clusters.isEmpty());
        QCOMPARE(config->oauth.tokenUrl, QUrl(QStringLiteral("https://auth.apolo.us/oauth/token")));
        QCOMPARE(config->oauth.clientId, QStringLiteral("client-123"));
    }

    void config_refusesMalformedInput_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("html") << QByteArray("<html>502 Bad Gateway</html>");
        QTest::newRow("array") << QByteArray("[]");
        QTest::newRow("no authorized") << QByteArray("{\"clusters\": []}");
        QTest::newRow("float price") << QByteArray(
            "{\"authorized\": true, \"clusters\": [{\"name\": \"c\", \"resource_presets\": [{\"name\": \"p\", "
            "\"credits_per_hour\": \"x\"}]}]}");
        QTest::newRow("nameless cluster") << QByteArray("{\"authorized\": true, \"clusters\": [{}]}");
    }
    void config_refusesMalformedInput()
    {
        QFETCH(QByteArray, body);
        const ApoloResult<ServerConfig> config = ApiJson::parseServerConfig(body);
        QVERIFY(!config.ok());
        QCOMPARE(config.error().kind, Kind::Protocol);
        QVERIFY(!config.error().message.isEmpty());
    }

    void job_decodesEveryField()
    {
        const ApoloResult<Job> job = ApiJson::parseJob(apoloFixture("job-running.json"));
        QVERIFY2(job.ok(), qPrintable(job.error().toString()));
        QCOMPARE(job->id, QStringLiteral("job-324eab93-5fec-4cf6-bda5-3b6c701162bb"));
        QCOMPARE(job->name, QStringLiteral("ray-head"));
        QCOMPARE(job->owner, QStringLiteral("alice"));
        QCOMPARE(job->status, JobStatus::Running);
        QCOMPARE(job->statuses.size(), 3);
        QCOMPARE(job->statuses.at(1).reason, QStringLiteral("Pulling"));
        QCOMPARE(job->statuses.at(1).description, QStringLiteral("Pulling image \"vllm/vllm-openai:v0.7.2\""));
        QCOMPARE(job->statuses.at(0).transitionTime,
                 QDateTime(QDate(2026, 5, 1), QTime(10, 0, 0, 123), QTimeZone::utc()));
        QCOMPARE(job->createdAt(), QDateTime(QDate(2026, 5, 1), QTime(10, 0, 0, 123), QTimeZone::utc()));
        QCOMPARE(job->history.startedAt, QDateTime(QDate(2026, 5, 1), QTime(10, 3, 0, 500), QTimeZone::utc()));
        QCOMPARE(job->runTimeSeconds(), 3600.25);
        QCOMPARE(job->container.image, QStringLiteral("vllm/vllm-openai:v0.7.2"));
        QCOMPARE(job->container.entrypoint, QStringLiteral("ray"));
        QCOMPARE(job->container.command, QStringLiteral("start --block --head --port=6379"));
        QCOMPARE(job->container.env.value(QStringLiteral("VLLM_LOGGING_LEVEL")), QStringLiteral("INFO"));
        QCOMPARE(job->container.secretEnv.value(QStringLiteral("HF_TOKEN")),
                 QStringLiteral("secret://c1/acme/research/HF_TOKEN"));
        QCOMPARE(job->container.volumes.size(), 1);
        QVERIFY(!job->container.volumes.first().readOnly);
        QVERIFY(job->container.http);
        QCOMPARE(job->container.http->port, 8000);
        QVERIFY(job->container.http->requiresAuth);
        QCOMPARE(job->container.resources.nvidiaGpu, 8);
        QCOMPARE(job->container.resources.memoryBytes, Q_INT64_C(2199023255552));
        QVERIFY(job->container.resources.shm);
        QCOMPARE(job->tags, QStringList({"deepseek", "qt-client"}));
        QCOMPARE(job->internalHostnameNamed, QStringLiteral("ray-head--0e1436ea6a.platform-jobs"));
        QCOMPARE(job->preferredHttpUrl(), QUrl(QStringLiteral("https://ray-head--0e1436ea6a.jobs.c1.org.apolo.us")));
        QCOMPARE(job->priceCreditsPerHour, QStringLiteral("33.6125"));
        QCOMPARE(job->totalPriceCredits, QStringLiteral("33.6126"));
        QCOMPARE(job->maxRunTimeMinutes, std::optional<int>(14400));
        QCOMPARE(job->presetName, QStringLiteral("dgx"));
        QCOMPARE(job->description, QStringLiteral("Ray head"));
        QCOMPARE(job->orgProjectHash, QStringLiteral("0e1436ea6a"));
    }

    void job_cancelledCarriesReason()
    {
        const ApoloResult<Job> job = ApiJson::parseJob(apoloFixture("job-cancelled.json"));
        QVERIFY(job.ok());
        QCOMPARE(job->status, JobStatus::Cancelled);
        QCOMPARE(job->reason, QStringLiteral("UserRequested"));
        QVERIFY(!job->maxRunTimeMinutes);
        QVERIFY(!job->container.http);
        QCOMPARE(job->container.resources.memoryBytes, Q_INT64_C(4096) * 1024 * 1024);
        QVERIFY(job->history.finishedAt.isValid());
    }

    void job_unknownStatusIsKeptVerbatim()
    {
        const ApoloResult<Job> job = ApiJson::parseJob("{\"id\": \"job-1\", \"status\": \"hibernating\"}");
        QVERIFY(job.ok());
        QCOMPARE(job->status, JobStatus::Unknown);
        QCOMPARE(job->statusText, QStringLiteral("hibernating"));
        QVERIFY(!ApiJson::parseJob("{\"status\": \"running\"}").ok());
    }

    void jobList_plainJson()
    {
        const ApoloResult<QList<Job>> jobs = ApiJson::parseJobList(apoloFixture("jobs-list.json"));
        QVERIFY(jobs.ok());
        QCOMPARE(jobs->size(), 2);
        QVERIFY(!ApiJson::parseJobList("{}").ok());
    }

    void capacity_secrets_admin()
    {
        const ApoloResult<Capacity> capacity = ApiJson::parseCapacity("{\"cpu-small\": 12, \"dgx\": 0}");
        QVERIFY(capacity.ok());
        QCOMPARE(capacity->value(QStringLiteral("cpu-small")), 12);
        QCOMPARE(capacity->value(QStringLiteral("dgx")), 0);
        QVERIFY(!ApiJson::parseCapacity("{\"dgx\": \"many\"}").ok());

        const ApoloResult<QList<Secret>> secrets =
            ApiJson::parseSecretList("[{\"key\": \"HF_TOKEN\", \"owner\": \"research\", \"org_name\": \"acme\", "
                                     "\"project_name\": \"research\"}]");
        QVERIFY(secrets.ok());
        QCOMPARE(secrets->first().key, QStringLiteral("HF_TOKEN"));
        QCOMPARE(secrets->first().projectName, QStringLiteral("research"));
        QVERIFY(!ApiJson::parseSecretList("{}").ok());

        const ApoloResult<ClusterUserInfo> user = ApiJson::parseClusterUserInfo(
            "{\"user_name\": \"alice\", \"role\": \"user\", \"org_name\": \"acme\", \"quota\": "
            "{\"total_running_jobs\": null}, \"balance\": {\"credits\": \"120.50\", \"spent_credits\": \"3.25\"}}");
        QVERIFY(user.ok());
        QCOMPARE(user->userName, QStringLiteral("alice"));
        QVERIFY(!user->quota.totalRunningJobs);
        QCOMPARE(user->balance.credits, std::optional<QString>(QStringLiteral("120.50")));
        QCOMPARE(user->balance.spentCredits, QStringLiteral("3.25"));

        const ApoloResult<OrgClusterInfo> org = ApiJson::parseOrgClusterInfo(
            "{\"org_name\": \"acme\", \"balance\": {\"credits\": null, \"spent_credits\": \"0\"}, \"quota\": "
            "{\"total_running_jobs\": 10}, \"default_role\": \"user\", \"maintenance\": true}");
        QVERIFY(org.ok());
        QVERIFY(!org->balance.credits); // null = unlimited
        QCOMPARE(org->quota.totalRunningJobs, std::optional<int>(10));
        QVERIFY(org->maintenance);
    }

    void token_refreshKeepsOriginalRefreshToken()
    {
        const QDateTime now(QDate(2026, 1, 1), QTime(0, 0), QTimeZone::utc());
        const ApoloResult<Credentials> login = ApiJson::parseTokenResponse(
            "{\"access_token\": \"a1\", \"expires_in\": 86400, \"refresh_token\": \"r1\", \"token_type\": \"Bearer\"}",
            now);
        QVERIFY(login.ok());
        QCOMPARE(login->refreshToken, QStringLiteral("r1"));
        QCOMPARE(login->expiresAt, now.addSecs(86400));
        QCOMPARE(login->refreshAt, now.addSecs(64800)); // 75 %
        QVERIFY(!login->needsRefresh(now.addSecs(64799)));
        QVERIFY(login->needsRefresh(now.addSecs(64800)));
        const ApoloResult<Credentials> refreshed = ApiJson::parseTokenResponse(
            "{\"access_token\": \"a2\", \"expires_in\": 100, \"refresh_token\": \"rotated\"}", now,
            QStringLiteral("r1"));
        QCOMPARE(refreshed->accessToken, QStringLiteral("a2"));
        QCOMPARE(refreshed->refreshToken, QStringLiteral("r1"));
        QVERIFY(!ApiJson::parseTokenResponse("{\"error\": \"invalid_grant\"}", now).ok());
    }

    void credentials_roundTripAndUserName()
    {
        Credentials credentials = Credentials::fromTokenResponse(
            QStringLiteral("x"), 3600, QStringLiteral("r"), QDateTime(QDate(2026, 1, 1), QTime(), QTimeZone::utc()));
        const Credentials back = Credentials::fromSecret(credentials.toSecret());
        QCOMPARE(back.accessToken, credentials.accessToken);
        QCOMPARE(back.refreshToken, credentials.refreshToken);
        QCOMPARE(back.expiresAt, credentials.expiresAt);
        QCOMPARE(back.refreshAt, credentials.refreshAt);
        QCOMPARE(Credentials::fromSecret("bare-token\n").accessToken, QStringLiteral("bare-token"));

        const QByteArray claims = QByteArray("{\"https://platform.neuromation.io/user\": \"alice/sub\", \"exp\": 1}")
                                      .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        Credentials jwt;
        jwt.accessToken =
            QStringLiteral("eyJhbGciOiJIUzI1NiJ9.") + QString::fromLatin1(claims) + QStringLiteral(".sig");
        QCOMPARE(jwt.userName(), QStringLiteral("alice/sub"));
        jwt.accessToken = QStringLiteral("not-a-jwt");
        QCOMPARE(jwt.userName(), QString());
    }

    void errors_mapStatusAndText_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("message");
        QTest::newRow("validation") << 400
                                    << QByteArray("{\"error\": \"{'name': DataError('does not match pattern')}\"}")
                                    << int(Kind::Validation) << "{'name': DataError('does not match pattern')}";
        QTest::newRow("no such job") << 400 << QByteArray("{\"error\": \"no such job ray-x\"}") << int(Kind::NotFound)
                                     << "no such job ray-x";
        QTest::newRow("quota") << 400 << QByteArray("{\"error\": \"Jobs limit quota exceeded for user 'u'\"}")
                               << int(Kind::Quota) << "Jobs limit quota exceeded for user 'u'";
        QTest::newRow("credits") << 400 << QByteArray("{\"error\": \"No credits left for org 'o'\"}")
                                 << int(Kind::Credits) << "No credits left for org 'o'";
        QTest::newRow("401 text") << 401 << QByteArray("401: Unauthorized") << int(Kind::Unauthorized)
                                  << "401: Unauthorized";
        QTest::newRow("401 empty") << 401 << QByteArray() << int(Kind::Unauthorized) << "";
        QTest::newRow("403 error") << 403 << QByteArray("{\"error\": \"No clusters\"}") << int(Kind::Forbidden)
                                   << "No clusters";
        QTest::newRow("404") << 404 << QByteArray("{\"error\": \"Secret HF not found\"}") << int(Kind::NotFound)
                             << "Secret HF not found";
        QTest::newRow("409") << 409 << QByteArray("{\"error\": \"conflict\"}") << int(Kind::Validation) << "conflict";
        QTest::newRow("500") << 500
                             << QByteArray(
                                    "{\"error\": \"Unexpected exception KeyError: 'x'. Path with query: /jobs\"}")
                             << int(Kind::Server) << "Unexpected exception KeyError: 'x'. Path with query: /jobs";
        QTest::newRow("502 html") << 502 << QByteArray("<html>Bad Gateway</html>") << int(Kind::Server)
                                  << "<html>Bad Gateway</html>";
    }
    void errors_mapStatusAndText()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(int, kind);
        QFETCH(QString, message);
        const ApoloError error = ApiJson::parseApiError(status, body);
        QCOMPARE(int(error.kind), kind);
        QCOMPARE(error.httpStatus, status);
        if (!message.isEmpty())
            QCOMPARE(error.message, message);
        QVERIFY(!error.message.isEmpty());
        QVERIFY(!error.hint.isEmpty());
    }

    void errors_forbiddenListsMissingPermissions()
    {
        const ApoloError error =
            ApiJson::parseApiError(403, "{\"missing\": [{\"uri\": \"job://c1/acme/research\", \"action\": \"write\"}, "
                                        "{\"uri\": \"secret://c1/acme/research/HF_TOKEN\", \"action\": \"read\"}]}");
        QCOMPARE(error.kind, Kind::Forbidden);
        QCOMPARE(error.missing.size(), 2);
        QCOMPARE(error.missing.at(1).uri, QStringLiteral("secret://c1/acme/research/HF_TOKEN"));
        QCOMPARE(error.missing.at(1).action, QStringLiteral("read"));
        QVERIFY(error.toString().contains(QStringLiteral("secret://c1/acme/research/HF_TOKEN")));
    }

    void errors_transientOnlyForGatewayFailures()
    {
        QVERIFY(ApiJson::parseApiError(502, {}).isTransient());
        QVERIFY(ApiJson::parseApiError(503, {}).isTransient());
        QVERIFY(ApiJson::parseApiError(504, {}).isTransient());
        QVERIFY(!ApiJson::parseApiError(500, {}).isTransient());
        QVERIFY(!ApiJson::parseApiError(400, {}).isTransient());
    }

    void errors_handshakeErrorFromXErrorHeader()
    {
        const ApoloError error = ApiJson::parseApiError(404, {}, "{\"error\": \"Job is not running\"}");
        QCOMPARE(error.kind, Kind::NotFound);
        QCOMPARE(error.message, QStringLiteral("Job is not running"));
    }

    void timestamps_parseAndFormat()
    {
        const QDateTime expected(QDate(2026, 5, 1), QTime(10, 0, 0, 123), QTimeZone::utc());
        QCOMPARE(ApiJson::parseTimestamp(QStringLiteral("2026-05-01T10:00:00.123456+00:00")), expected);
        QCOMPARE(ApiJson::parseTimestamp(QStringLiteral("2026-05-01T10:00:00.123456789Z")), expected);
        QCOMPARE(ApiJson::parseTimestamp(QStringLiteral("2026-05-01T12:00:00.123+02:00")), expected);
        QVERIFY(!ApiJson::parseTimestamp(QStringLiteral("yesterday")).isValid());
        QCOMPARE(ApiJson::formatTimestamp(expected), QStringLiteral("2026-05-01T10:00:00.123Z"));
    }
};

QTEST_GUILESS_MAIN(tst_ApiJson)
#include "tst_apijson.moc"
