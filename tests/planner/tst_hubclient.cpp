// SPDX-License-Identifier: GPL-3.0-or-later
// HubClient against the sandbox's Hugging Face stand-in on a real loopback HttpServer: config and
// index round trip, gated / not found / offline messages, the disk cache, and token scoping.

#include "planner/HubClient.h"
#include "planner/ModelConfig.h"
#include "sandbox/HttpServer.h"
#include "sandbox/HuggingFaceHub.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace ApoloDeploy;
using namespace ApoloDeploy::Planner;

namespace {

QByteArray catalogJson()
{
    QFile file(QStringLiteral(ADC_SOURCE_DIR "/resources/models/catalog.json"));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestHubClient : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_network;
    QTemporaryDir m_cache;
    std::unique_ptr<Sandbox::HttpServer> m_server;
    std::unique_ptr<Sandbox::HuggingFaceHub> m_hub;
    QList<QByteArray> m_authorizations;

    HubFetchResult fetch(HubClient &client, const QString &repo)
    {
        QSignalSpy fetched(&client, &HubClient::modelFetched);
        client.fetchModel(repo);
        if (!fetched.wait(10000))
            return {};
        return fetched.first().first().value<HubFetchResult>();
    }

    HubClient *client()
    {
        auto *hubClient = new HubClient(&m_network, this);
        hubClient->setEndpoint(QUrl(m_server->baseUrl() + QLatin1String("/hf")));
        hubClient->setCacheDirectory(m_cache.path());
        return hubClient;
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<Sandbox::HttpServer>();
        m_hub = std::make_unique<Sandbox::HuggingFaceHub>(QStringLiteral("/hf"), catalogJson());
        QVERIFY(m_hub->modelCount() >= 16);
        m_server->setHandler([this](const Sandbox::HttpRequest &request, Sandbox::HttpResponder *responder) {
            m_authorizations << request.header("authorization");
            if (!m_hub->handle(request, responder))
                responder->respondError(404, QStringLiteral("not a hub path"));
        });
        QVERIFY(m_server->listen());
    }

    void fetch_configAndIndexRoundTrip()
    {
        HubClient *hub = client();
        hub->setToken("hf_secret");
        const HubFetchResult result = fetch(*hub, QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ"));
        QVERIFY2(result.isOk(), qPrintable(result.message));
        const ModelConfigResult parsed = parseModelConfig(result.configJson);
        QVERIFY(parsed.config);
        QCOMPARE(parsed.config->checkpointQuant.method, QuantScheme::Method::Awq);
        QCOMPARE(result.checkpointBytes, std::optional<qint64>(364589829632));
        QVERIFY(!result.fromCache);
        QVERIFY(m_authorizations.contains("Bearer hf_secret"));
    }

    void fetch_gatedRepoSaysWhatToDo()
    {
        HubClient *hub = client();
        HubFetchResult result = fetch(*hub, QString::fromLatin1(Sandbox::HuggingFaceHub::kGatedRepo));
        QCOMPARE(result.status, HubFetchResult::Status::Gated);
        QVERIFY(result.message.contains(QLatin1String("accept its license")));
        hub->setToken("hf_not_approved");
        result = fetch(*hub, QString::fromLatin1(Sandbox::HuggingFaceHub::kGatedRepo));
        QCOMPARE(result.status, HubFetchResult::Status::Gated);
        QVERIFY(result.message.contains(QLatin1String("request access")));
    }

    void fetch_unknownRepoAndBadId()
    {
        HubClient *hub = client();
        HubFetchResult result = fetch(*hub, QStringLiteral("nobody/no-such-model"));
        QCOMPARE(result.status, HubFetchResult::Status::NotFound);
        QVERIFY(result.message.contains(QLatin1String("nobody/no-such-model")));
        result = fetch(*hub, QStringLiteral("not an id"));
        QCOMPARE(result.status, HubFetchResult::Status::InvalidId);
        hub->setEndpoint(QUrl(QStringLiteral("http://example.org")));
        result = fetch(*hub, QStringLiteral("a/b"));
        QCOMPARE(result.status, HubFetchResult::Status::InsecureEndpoint);
    }

    void offline_usesTheCacheOrExplains()
    {
        HubClient *hub = client();
        QVERIFY(fetch(*hub, QStringLiteral("meta-llama/Llama-3.1-8B")).isOk());
        const QString base = m_server->baseUrl();
        m_server.reset(); // the port is closed now: connection refused
        hub->setEndpoint(QUrl(base + QLatin1String("/hf")));
        HubFetchResult result = fetch(*hub, QStringLiteral("meta-llama/Llama-3.1-8B"));
        QVERIFY2(result.isOk(), qPrintable(result.message));
        QVERIFY(result.fromCache);
        QVERIFY(result.message.contains(QLatin1String("offline")));
        QCOMPARE(result.checkpointBytes, std::optional<qint64>(16060522496));
        result = fetch(*hub, QStringLiteral("Qwen/Qwen3-30B-A3B"));
        QCOMPARE(result.status, HubFetchResult::Status::Offline);
        QVERIFY(result.message.contains(QLatin1String("HF_ENDPOINT")));
    }
};

QTEST_GUILESS_MAIN(TestHubClient)
#include "tst_hubclient.moc"
