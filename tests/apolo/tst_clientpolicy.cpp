// SPDX-License-Identifier: GPL-3.0-or-later
// ApoloClient's transport policies against raw loopback servers: https-only for remote hosts,
// the token never sent to foreign hosts (also not through redirects), timeouts vs cancels.
#include "ClientTestSupport.h"
#include "apolo/ApiUrls.h"
#include "apolo/ApoloClient.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace ApoloDeploy;
using namespace ApoloDeploy::Test;
using Kind = ApoloError::Kind;

namespace {

// Answers every request with a fixed response and records what it received.
class ScriptedServer : public QObject
{
public:
    explicit ScriptedServer(QByteArray response)
        : m_response(std::move(response))
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
                    m_received += socket->readAll();
                    if (!m_received.contains("\r\n\r\n") || m_response.isEmpty())
                        return; // silent server: never answers
                    socket->write(m_response);
                    socket->disconnectFromHost();
                });
            }
        });
    }
    quint16 port() const { return m_server.serverPort(); }
    const QByteArray &received() const { return m_received; }

private:
    QTcpServer m_server;
    QByteArray m_response;
    QByteArray m_received;
};

QByteArray redirectTo(const QByteArray &location)
{
    return "HTTP/1.1 302 Found\r\nLocation: " + location + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
}

ApoloClient *clientFor(quint16 port, QObject *parent)
{
    auto *client = new ApoloClient(parent);
    client->setApiUrl(QUrl(QStringLiteral("http://127.0.0.1:%1/api/v1").arg(port)));
    Credentials credentials;
    credentials.accessToken = QStringLiteral("secret-token");
    client->setCredentials(credentials);
    client->setRetryDelays({});
    return client;
}

} // namespace

class tst_ClientPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void transport_httpsRequiredExceptLoopback_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("https") << "https://api.apolo.us/api/v1" << true;
        QTest::newRow("wss") << "wss://c1.org.apolo.us/api/v1/jobs" << true;
        QTest::newRow("http remote") << "http://api.apolo.us/api/v1" << false;
        QTest::newRow("ws remote") << "ws://c1.org.apolo.us/x" << false;
        QTest::newRow("http loopback") << "http://127.0.0.1:8080/api/v1" << true;
        QTest::newRow("http localhost") << "http://localhost:8080/api/v1" << true;
        QTest::newRow("http ipv6 loopback") << "http://[::1]:8080/api/v1" << true;
        QTest::newRow("http 127.x") << "http://127.1.2.3/api/v1" << true;
        QTest::newRow("ftp") << "ftp://api.apolo.us/" << false;
    }
    void transport_httpsRequiredExceptLoopback()
    {
        QFETCH(QString, url);
        QFETCH(bool, allowed);
        const ApoloError error = ApoloClient::checkTransport(QUrl(url));
        QCOMPARE(!error.isError(), allowed);
        if (!allowed) {
            QCOMPARE(error.kind, Kind::Insecure);
            QVERIFY(!error.hint.isEmpty());
        }
    }

    void request_plainHttpToRemoteHostIsNeverSent()
    {
        ApoloClient client;
        client.setApiUrl(QUrl(QStringLiteral("http://api.apolo.us/api/v1")));
        ApoloResult<ServerConfig> result =
            awaitCall<ServerConfig>([&](QObject *c, auto done) { client.fetchConfig(c, done); });
        QCOMPARE(result.error().kind, Kind::Insecure);
    }

    void trustedHosts_comeFromConfig()
    {
        ApoloClient client;
        client.setApiUrl(QUrl(QStringLiteral("https://api.apolo.us/api/v1")));
        ServerConfig config;
        Cluster cluster;
        cluster.name = QStringLiteral("c1");
        cluster.monitoringUrl = QUrl(QStringLiteral("https://c1.org.apolo.us/api/v1/jobs"));
        cluster.secretsUrl = QUrl(QStringLiteral("https://secrets.c1.org.apolo.us/api/v1/secrets"));
        config.clusters << cluster;
        config.adminUrl = QUrl(QStringLiteral("https://admin.apolo.us/apis/admin/v1"));
        client.setServerConfig(config);
        QVERIFY(client.isTrustedHost(QUrl(QStringLiteral("https://api.apolo.us/api/v1/jobs"))));
        QVERIFY(client.isTrustedHost(QUrl(QStringLiteral("wss://c1.org.apolo.us/api/v1/jobs/x/log_ws"))));
        QVERIFY(client.isTrustedHost(QUrl(QStringLiteral("https://SECRETS.c1.org.apolo.us/other"))));
        QVERIFY(client.isTrustedHost(QUrl(QStringLiteral("https://admin.apolo.us/x"))));
        QVERIFY(!client.isTrustedHost(QUrl(QStringLiteral("https://evil.example/api/v1"))));
        QVERIFY(!client.isTrustedHost(QUrl(QStringLiteral("https://api.apolo.us:8443/api/v1"))));
        QVERIFY(!client.isTrustedHost(QUrl(QStringLiteral("http://api.apolo.us/api/v1"))));
        // A log transport is only built for the configured monitoring service.
        ApoloError error;
        QVERIFY(!client.createLogConnection(QStringLiteral("job-x"), {}, &client, &error));
        QCOMPARE(error.kind, Kind::Validation);
    }

    void redirect_toAnotherHostIsRefusedAndGetsNoToken()
    {
        ScriptedServer foreign("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
        // "localhost" is another origin than "127.0.0.1" even on the same machine.
        ScriptedServer api(redirectTo("http://localhost:" + QByteArray::number(foreign.port()) + "/steal"));
        QObject owner;
        ApoloClient *client = clientFor(api.port(), &owner);
        ApoloResult<Job> result =
            awaitCall<Job>([&](QObject *c, auto done) { client->getJob(QStringLiteral("job-1"), c, done); });
        QCOMPARE(result.error().kind, Kind::Insecure);
        QVERIFY(api.received().contains("Authorization: Bearer secret-token"));
        QVERIFY(!QTest::qWaitFor([&] { return !foreign.received().isEmpty(); }, 200));
    }

    void redirect_sameOriginIsFollowedWithToken()
    {
        ScriptedServer api("");
        const QByteArray target = "http://127.0.0.1:" + QByteArray::number(api.port()) + "/api/v1/jobs/job-2";
        ScriptedServer first(redirectTo(target));
        // first → api on another port is a different origin: refused...
        QObject owner;
        ApoloClient *client = clientFor(first.port(), &owner);
        ApoloResult<Job> refused =
            awaitCall<Job>([&](QObject *c, auto done) { client->getJob(QStringLiteral("job-1"), c, done); });
        QCOMPARE(refused.error().kind, Kind::Insecure);
        QVERIFY(api.received().isEmpty());

        // ...while a redirect on the same origin is followed, token included.
        ScriptedServer job("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 37\r\n"
                           "Connection: close\r\n\r\n{\"id\": \"job-2\", \"status\": \"running\"}");
        ScriptedServer same(redirectTo("http://127.0.0.1:" + QByteArray::number(job.port()) + "/api/v1/jobs/job-2"));
        ApoloClient *sameClient = clientFor(same.port(), &owner);
        ServerConfig config;
        Cluster cluster;
        cluster.name = QStringLiteral("c");
        cluster.monitoringUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/jobs").arg(job.port()));
        config.clusters << cluster;
        sameClient->setServerConfig(config); // the target is now a configured service host
        ApoloResult<Job> followed =
            awaitCall<Job>([&](QObject *c, auto done) { sameClient->getJob(QStringLiteral("job-1"), c, done); });
        QVERIFY2(followed.ok(), qPrintable(followed.error().toString()));
        QCOMPARE(followed->id, QStringLiteral("job-2"));
        QVERIFY(job.received().contains("Authorization: Bearer secret-token"));
    }

    void silence_isATimeoutNotACancel()
    {
        ScriptedServer silent("");
        QObject owner;
        ApoloClient *client = clientFor(silent.port(), &owner);
        client->setTransferTimeout(300);
        ApoloResult<ServerConfig> timedOut =
            awaitCall<ServerConfig>([&](QObject *c, auto done) { client->fetchConfig(c, done); });
        QCOMPARE(timedOut.error().kind, Kind::Timeout);

        client->setTransferTimeout(60000);
        std::optional<ApoloResult<ServerConfig>> cancelled;
        QObject context;
        ApoloCall *call = client->fetchConfig(&context, [&](const ApoloResult<ServerConfig> &r) { cancelled = r; });
        QTRY_VERIFY(!silent.received().isEmpty());
        call->abort();
        QTRY_VERIFY(cancelled.has_value());
        QCOMPARE(cancelled->error().kind, Kind::Cancelled);
    }

    void unreachable_isANetworkErrorAfterRetries()
    {
        quint16 closedPort = 0;
        {
            QTcpServer probe;
            probe.listen(QHostAddress::LocalHost, 0);
            closedPort = probe.serverPort();
        }
        QObject owner;
        ApoloClient *client = clientFor(closedPort, &owner);
        client->setRetryDelays({10, 10});
        int retries = 0;
        std::optional<ApoloResult<Job>> result;
        QObject context;
        ApoloCall *call =
            client->getJob(QStringLiteral("job-1"), &context, [&](const ApoloResult<Job> &r) { result = r; });
        connect(call, &ApoloCall::retrying, &context, [&] { ++retries; });
        QTRY_VERIFY(result.has_value());
        QCOMPARE(result->error().kind, Kind::Network);
        QCOMPARE(retries, 2);
    }

    void urls_listQueryEncodesPlusAndScope()
    {
        JobListFilter filter;
        filter.statuses = {JobStatus::Pending, JobStatus::Running};
        filter.tags = {QStringLiteral("a+b")};
        filter.since = QDateTime::fromString(QStringLiteral("2026-05-01T12:00:00+02:00"), Qt::ISODate);
        filter.reverse = true;
        filter.limit = 5;
        const QUrl url = ApiUrls::jobList(QUrl(QStringLiteral("https://api.apolo.us/api/v1/")), filter,
                                          {QStringLiteral("c1"), QStringLiteral("acme"), QStringLiteral("research")});
        const QByteArray encoded = url.toEncoded();
        QCOMPARE(encoded, QByteArray("https://api.apolo.us/api/v1/jobs?status=pending&status=running&tag=a%2Bb"
                                     "&cluster_name=c1&org_name=acme&project_name=research"
                                     "&since=2026-05-01T10%3A00%3A00.000Z&reverse=1&limit=5"
                                     "&being_dropped=False&logs_removed=False"));
        filter.allProjects = true;
        QVERIFY(!ApiUrls::jobList(QUrl(QStringLiteral("https://a/api/v1")), filter,
                                  {QStringLiteral("c"), QStringLiteral("o"), QStringLiteral("p")})
                     .toEncoded()
                     .contains("project_name"));
        const QUrl lookup = ApiUrls::jobLookup(QUrl(QStringLiteral("https://a/api/v1")), QStringLiteral("ray-head"),
                                               {QStringLiteral("c"), QStringLiteral("o"), QStringLiteral("p")});
        QCOMPARE(lookup.toEncoded(),
                 QByteArray("https://a/api/v1/jobs?name=ray-head&project_name=p&reverse=1"
                            "&cluster_name=c&org_name=o&being_dropped=False&logs_removed=False&limit=1"));
        QCOMPARE(ApiUrls::join(QUrl(QStringLiteral("https://a/api/v1")), {QStringLiteral("jobs")},
                               {{QStringLiteral("from_preset"), QString()}})
                     .toEncoded(),
                 QByteArray("https://a/api/v1/jobs?from_preset"));
        QVERIFY(ApiUrls::isJobId(QStringLiteral("job-324eab93-5fec-4cf6-bda5-3b6c701162bb")));
        QVERIFY(!ApiUrls::isJobId(QStringLiteral("ray-head")));
        QVERIFY(!ApiUrls::isJobId(QStringLiteral("job-324EAB93-5fec-4cf6-bda5-3b6c701162bb")));
    }
};

QTEST_GUILESS_MAIN(tst_ClientPolicy)
#include "tst_clientpolicy.moc"
