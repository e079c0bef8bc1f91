// SPDX-License-Identifier: GPL-3.0-or-later
// ApoloClient against apolo-sandbox over loopback: every call, and the fault paths.
#include "ClientTestSupport.h"
#include "apolo/ApoloClient.h"
#include "apolo/PlatformSession.h"
#include "support/SandboxFixture.h"

#include <QNetworkReply>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

using namespace ApoloDeploy;
using namespace ApoloDeploy::Test;
using Kind = ApoloError::Kind;

namespace {

QString uniqueName(const char *prefix)
{
    return QString::fromLatin1(prefix) + u'-' + QString::number(QRandomGenerator::global()->bounded(100000, 999999));
}

} // namespace

class tst_ApoloClient : public QObject
{
    Q_OBJECT

private:
    SandboxFixture m_sandbox;
    ApoloClient m_client;
    QString m_preset;

    JobRequest sleeper(const QString &name)
    {
        JobRequest request;
        request.image = QStringLiteral("busybox:latest");
        request.command = QStringLiteral("sleep 3600");
        request.name = name;
        request.presetName = m_preset;
        request.tags = {QStringLiteral("tst-apoloclient")};
        request.maxRunTimeMinutes = 60;
        return request;
    }

    ApoloResult<Job> create(const JobRequest &request, ApoloClient &client)
    {
        return awaitCall<Job>([&](QObject *c, auto done) { client.createJob(request, c, done); });
    }

    // Polls GET /jobs/{id} until the status is reached (or the job finished otherwise).
    Job waitForStatus(const QString &id, JobStatus wanted)
    {
        Job last;
        (void)QTest::qWaitFor(
            [&] {
                ApoloResult<Job> job = awaitCall<Job>([&](QObject *c, auto done) { m_client.getJob(id, c, done); });
                if (job.ok())
                    last = job.value();
                return last.status == wanted || isFinished(last.status);
            },
            20000);
        return last;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
        m_client.setApiUrl(m_sandbox.apiUrl());
        Credentials credentials;
        credentials.accessToken = QString::fromLatin1(m_sandbox.token());
        m_client.setCredentials(credentials);
        m_client.setRetryDelays({50, 100, 200});
        ApoloResult<ServerConfig> config =
            awaitCall<ServerConfig>([&](QObject *c, auto done) { m_client.fetchConfig(c, done); });
        QVERIFY2(config.ok(), qPrintable(config.error().toString()));
        m_client.setServerConfig(config.value());
        m_client.setScope(PlatformSession::chooseScope(config.value(), {}));
        QVERIFY(!config->clusters.isEmpty() && !config->clusters.first().presets.isEmpty());
        m_preset = config->clusters.first().presets.first().name;
    }

    void config_authorizedWithPresetsAndScope()
    {
        const ServerConfig &config = m_client.serverConfig();
        QVERIFY(config.authorized);
        QCOMPARE(m_client.scope(), (ProjectScope{QString::fromLatin1(SandboxFixture::clusterName),
                                                 QString::fromLatin1(SandboxFixture::orgName),
                                                 QString::fromLatin1(SandboxFixture::projectName)}));
        for (const Preset &preset : config.clusters.first().presets) {
            QVERIFY2(Decimal::parse(preset.creditsPerHour), qPrintable(preset.creditsPerHour));
            QVERIFY(preset.memoryBytes > 0);
        }
        QVERIFY(m_client.currentCluster()->monitoringUrl.isValid());
        QCOMPARE(m_client.credentials().userName(), QString::fromLatin1(SandboxFixture::userName));
    }

    void config_anonymousOffersOAuthAndBadTokenIsRefused()
    {
        ApoloClient anonymous;
        anonymous.setApiUrl(m_sandbox.apiUrl());
        ApoloResult<ServerConfig> config =
            awaitCall<ServerConfig>([&](QObject *c, auto done) { anonymous.fetchConfigAnonymously(c, done); });
        QVERIFY2(config.ok(), qPrintable(config.error().toString()));
        QVERIFY(!config->authorized);
        QVERIFY(config->oauth.isValid());

        Credentials wrong;
        wrong.accessToken = QStringLiteral("not-the-sandbox-token");
        anonymous.setCredentials(wrong);
        QSignalSpy lost(&anonymous, &ApoloClient::authenticationRequired);
        config = awaitCall<ServerConfig>([&](QObject *c, auto done) { anonymous.fetchConfig(c, done); });
        QVERIFY(!config.ok());
        QCOMPARE(config.error().kind, Kind::Unauthorized);
        QVERIFY(!config.error().hint.isEmpty());
    }

    void jobs_createGetResolveListExtendKill()
    {
        const QString name = uniqueName("tst-life");
        ApoloResult<Job> created = create(sleeper(name), m_client);
        QVERIFY2(created.ok(), qPrintable(created.error().toString()));
        QVERIFY(created->id.startsWith(QStringLiteral("job-")));
        QCOMPARE(created->name, name);
        QCOMPARE(created->presetName, m_preset);
        QVERIFY(created->container.resources.shm);

        ApoloResult<Job> byName = awaitCall<Job>([&](QObject *c, auto done) { m_client.resolveJob(name, c, done); });
        QVERIFY2(byName.ok(), qPrintable(byName.error().toString()));
        QCOMPARE(byName->id, created->id);
        const QString uri = QStringLiteral("job:") + name;
        ApoloResult<Job> byUri = awaitCall<Job>([&](QObject *c, auto done) { m_client.resolveJob(uri, c, done); });
        QVERIFY2(byUri.ok(), qPrintable(byUri.error().toString()));
        QCOMPARE(byUri->id, created->id);

        const Job running = waitForStatus(created->id, JobStatus::Running);
        QCOMPARE(running.status, JobStatus::Running);

        JobListFilter filter;
        filter.name = name;
        filter.statuses = {JobStatus::Running};
        QList<Job> listed;
        ApoloResult<Done> list = awaitCall<Done>([&](QObject *c, auto done) {
            m_client.listJobs(
                filter, c, [&](const QList<Job> &jobs) { listed += jobs; }, done);
        });
        QVERIFY2(list.ok(), qPrintable(list.error().toString()));
        QCOMPARE(listed.size(), 1);
        QCOMPARE(listed.first().id, created->id);

        ApoloResult<Done> extended =
            awaitCall<Done>([&](QObject *c, auto done) { m_client.extendLifeSpan(created->id, 30, c, done); });
        QVERIFY2(extended.ok(), qPrintable(extended.error().toString()));
        ApoloResult<Job> after = awaitCall<Job>([&](QObject *c, auto done) { m_client.getJob(created->id, c, done); });
        QCOMPARE(after->maxRunTimeMinutes, std::optional<int>(90));

        ApoloResult<Done> killed =
            awaitCall<Done>([&](QObject *c, auto done) { m_client.killJob(created->id, c, done); });
        QVERIFY2(killed.ok(), qPrintable(killed.error().toString()));
        const Job cancelled = waitForStatus(created->id, JobStatus::Cancelled);
        QCOMPARE(cancelled.status, JobStatus::Cancelled);
        QCOMPARE(cancelled.reason, QStringLiteral("UserRequested"));
    }

    void jobs_errorsCarryTheServerText()
    {
        const QString name = uniqueName("tst-dup");
        ApoloResult<Job> first = create(sleeper(name), m_client);
        QVERIFY2(first.ok(), qPrintable(first.error().toString()));
        ApoloResult<Job> second = create(sleeper(name), m_client);
        QVERIFY(!second.ok());
        QCOMPARE(second.error().kind, Kind::Validation);
        QVERIFY2(second.error().message.contains(QStringLiteral("already exists")), qPrintable(second.error().message));

        JobRequest unknownPreset = sleeper(uniqueName("tst-preset"));
        unknownPreset.presetName = QStringLiteral("no-such-preset");
        ApoloResult<Job> refused = create(unknownPreset, m_client);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().httpStatus, 400);

        ApoloResult<Job> missing =
            awaitCall<Job>([&](QObject *c, auto done) { m_client.resolveJob(QStringLiteral("no-such-job"), c, done); });
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().kind, Kind::NotFound);
        awaitCall<Done>([&](QObject *c, auto done) { m_client.killJob(first->id, c, done); });
    }

    void capacity_secrets_admin()
    {
        ApoloResult<Capacity> capacity =
            awaitCall<Capacity>([&](QObject *c, auto done) { m_client.fetchCapacity(c, done); });
        QVERIFY2(capacity.ok(), qPrintable(capacity.error().toString()));
        QVERIFY(capacity->contains(m_preset));

        const QString key = QStringLiteral("TST_SECRET_%1").arg(QRandomGenerator::global()->bounded(1000000));
        ApoloResult<Secret> added =
            awaitCall<Secret>([&](QObject *c, auto done) { m_client.addSecret(key, "s3cr3t\n\x01", c, done); });
        QVERIFY2(added.ok(), qPrintable(added.error().toString()));
        QCOMPARE(added->key, key);
        ApoloResult<QList<Secret>> secrets =
            awaitCall<QList<Secret>>([&](QObject *c, auto done) { m_client.listSecrets(c, done); });
        QVERIFY2(secrets.ok(), qPrintable(secrets.error().toString()));
        QVERIFY(std::any_of(secrets->begin(), secrets->end(), [&](const Secret &s) { return s.key == key; }));
        ApoloResult<Done> removed =
            awaitCall<Done>([&](QObject *c, auto done) { m_client.deleteSecret(key, c, done); });
        QVERIFY2(removed.ok(), qPrintable(removed.error().toString()));
        removed = awaitCall<Done>([&](QObject *c, auto done) { m_client.deleteSecret(key, c, done); });
        QCOMPARE(removed.error().kind, Kind::NotFound);
        ApoloResult<Secret> badKey =
            awaitCall<Secret>([&](QObject *c, auto done) { m_client.addSecret(QStringLiteral("a b"), "x", c, done); });
        QCOMPARE(badKey.error().kind, Kind::Validation);

        QVERIFY(m_sandbox.setBalance(QStringLiteral("123.45")));
        ApoloResult<ClusterUserInfo> user = awaitCall<ClusterUserInfo>(
            [&](QObject *c, auto done) { m_client.fetchUserInfo(m_client.credentials().userName(), c, done); });
        QVERIFY2(user.ok(), qPrintable(user.error().toString()));
        QCOMPARE(user->userName, QString::fromLatin1(SandboxFixture::userName));
        ApoloResult<OrgClusterInfo> org =
            awaitCall<OrgClusterInfo>([&](QObject *c, auto done) { m_client.fetchOrgInfo(c, done); });
        QVERIFY2(org.ok(), qPrintable(org.error().toString()));
        QCOMPARE(org->orgName, QString::fromLatin1(SandboxFixture::orgName));
        QVERIFY(m_sandbox.setBalance(QString()));
    }

    void faults_gatewayErrorsRetryGetsOnly()
    {
        QVERIFY(m_sandbox.setFaults(QStringLiteral("http5xx=1")));
        int retries = 0;
        std::optional<ApoloResult<Job>> result;
        QObject context;
        ApoloCall *call = m_client.getJob(QStringLiteral("job-00000000-0000-0000-0000-000000000000"), &context,
                                          [&](const ApoloResult<Job> &r) { result = r; });
        connect(call, &ApoloCall::retrying, &context, [&] { ++retries; });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 10000);
        QVERIFY(m_sandbox.setFaults(QString()));
        QCOMPARE(retries, 3);
        QCOMPARE(result->error().kind, Kind::Server);
        QVERIFY(result->error().isTransient());
    }

    void faults_droppedCreationIsLookedUpNotDuplicated()
    {
        DroppingProxy proxy(quint16(m_sandbox.apiUrl().port()));
        ApoloClient client;
        QUrl apiUrl = m_sandbox.apiUrl();
        apiUrl.setPort(proxy.port());
        client.setApiUrl(apiUrl);
        client.setCredentials(m_client.credentials());
        client.setServerConfig(m_client.serverConfig());
        client.setScope(m_client.scope());
        client.setRetryDelays({50, 100, 200});
        proxy.countRequests("POST ");
        proxy.dropNextAnswerTo("POST ");

        const QString name = uniqueName("tst-drop");
        int verifications = 0;
        std::optional<ApoloResult<Job>> result;
        QObject context;
        ApoloCall *call = client.createJob(sleeper(name), &context, [&](const ApoloResult<Job> &r) { result = r; });
        connect(call, &ApoloCall::verifyingCreation, &context, [&] { ++verifications; });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 15000);
        QVERIFY2(result->ok(), qPrintable(result->error().toString()));
        QCOMPARE(proxy.droppedCount(), 1);
        QCOMPARE(verifications, 1);
        QCOMPARE(result->value().name, name);
        // Qt may re-send the POST itself on the dropped connection (the server then refuses the
        // duplicate name); either way exactly one job exists and the client reports it.
        QVERIFY(proxy.requestCount("POST ") >= 1);

        JobListFilter filter;
        filter.name = name;
        QList<Job> listed;
        awaitCall<Done>([&](QObject *c, auto done) {
            m_client.listJobs(
                filter, c, [&](const QList<Job> &jobs) { listed += jobs; }, done);
        });
        QCOMPARE(listed.size(), 1);
        awaitCall<Done>([&](QObject *c, auto done) { m_client.killJob(listed.first().id, c, done); });
    }

    void slowResponses_reportWaiting()
    {
        QVERIFY(m_sandbox.setFaults(QStringLiteral("latency=1600")));
        int waitingSignals = 0;
        std::optional<ApoloResult<ServerConfig>> result;
        QObject context;
        ApoloCall *call = m_client.fetchConfig(&context, [&](const ApoloResult<ServerConfig> &r) { result = r; });
        connect(call, &ApoloCall::waiting, &context, [&](int elapsedMs) {
            QVERIFY(elapsedMs >= 900);
            ++waitingSignals;
        });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 10000);
        QVERIFY(m_sandbox.setFaults(QString()));
        QVERIFY2(result->ok(), qPrintable(result->error().toString()));
        QVERIFY(waitingSignals >= 1);
    }

    void contextGone_noCallbackAndAbortIsCancelled()
    {
        bool called = false;
        {
            QObject context;
            m_client.fetchConfig(&context, [&](const ApoloResult<ServerConfig> &) { called = true; });
        }
        std::optional<ApoloResult<ServerConfig>> aborted;
        QObject context;
        ApoloCall *call = m_client.fetchConfig(&context, [&](const ApoloResult<ServerConfig> &r) { aborted = r; });
        call->abort();
        QTRY_VERIFY(aborted.has_value());
        QCOMPARE(aborted->error().kind, Kind::Cancelled);
        // Let any straggler run: the first callback must still not come.
        QVERIFY(!QTest::qWaitFor([&] { return called; }, 300));
    }

    // A window closing while requests are on the wire destroys the client with its calls: the calls
    // must abort their replies while the access manager still exists (it used to crash).
    void destroyedWithCallsInFlight_abortsCleanly()
    {
        QVERIFY(m_sandbox.setFaults(QStringLiteral("latency=2000")));
        auto client = std::make_unique<ApoloClient>();
        client->setApiUrl(m_sandbox.apiUrl());
        client->setCredentials(m_client.credentials());
        QObject context;
        bool called = false;
        client->fetchConfig(&context, [&](const ApoloResult<ServerConfig> &) { called = true; });
        client->fetchConfig(nullptr, [&](const ApoloResult<ServerConfig> &) { called = true; });
        QTRY_VERIFY(client->findChild<QNetworkReply *>() != nullptr); // on the wire, the server is slow
        client.reset();
        QVERIFY(m_sandbox.setFaults(QString()));
        QVERIFY(!QTest::qWaitFor([&] { return called; }, 300));
    }
};

QTEST_GUILESS_MAIN(tst_ApoloClient)
#include "tst_apoloclient.moc"
