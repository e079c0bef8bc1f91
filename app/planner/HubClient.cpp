// SPDX-License-Identifier: GPL-3.0-or-later
#include "planner/HubClient.h"

#include "planner/ModelConfig.h"
#include "planner/PlannerLogging.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>

namespace ApoloDeploy::Planner {

namespace {

constexpr int kMaxRedirects = 5;
constexpr int kTransferTimeoutMs = 30000;

bool isLoopback(const QUrl &url)
{
    const QString host = url.host();
    return host == QLatin1String("localhost") || QHostAddress(host).isLoopback();
}

} // namespace

// One repo's fetch: config.json, then the safetensors index (optional), following redirects by hand.
class HubClient::Fetch final : public QObject
{
public:
    Fetch(HubClient *client, const QString &repoId)
        : QObject(client)
        , m_client(client)
    {
        m_result.repoId = repoId;
    }

    void start() { get(fileUrl(QStringLiteral("config.json")), 0); }

private:
    // Same translation context as HubClient (this helper has no Q_OBJECT of its own).
    static QString tr(const char *text) { return QCoreApplication::translate("ApoloDeploy::Planner::HubClient", text); }

    QUrl fileUrl(const QString &file) const
    {
        QUrl url = m_client->m_endpoint;
        QString base = url.path();
        if (base.endsWith(QLatin1Char('/')))
            base.chop(1);
        url.setPath(base + QLatin1Char('/') + m_result.repoId + QLatin1String("/resolve/main/") + file);
        return url;
    }

    void get(const QUrl &url, int redirects)
    {
        QNetworkRequest request(url);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        request.setTransferTimeout(kTransferTimeoutMs);
        request.setRawHeader("Accept", "application/json");
        // The token goes to the configured endpoint's host only (CONTRIBUTING rule 8).
        if (!m_client->m_token.isEmpty() && url.host() == m_client->m_endpoint.host() &&
            url.port() == m_client->m_endpoint.port())
            request.setRawHeader("Authorization", "Bearer " + m_client->m_token);
        QNetworkReply *reply = m_client->m_network->get(request);
        connect(reply, &QNetworkReply::finished, this, [this, reply, redirects] {
            reply->deleteLater();
            onReply(reply, redirects);
        });
    }

    void onReply(QNetworkReply *reply, int redirects)
    {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray errorCode = reply->rawHeader("X-Error-Code");
        const bool index = m_fetchingIndex;
        if (status >= 300 && status < 400 && reply->hasRawHeader("Location")) {
            if (redirects >= kMaxRedirects)
                return fail(HubFetchResult::Status::BadResponse,
                            tr("%1: too many redirects").arg(reply->url().toString()));
            const QUrl target = reply->url().resolved(QUrl::fromEncoded(reply->rawHeader("Location")));
            if (target.scheme() != QLatin1String("https") && !isLoopback(target))
                return fail(HubFetchResult::Status::InsecureEndpoint,
                            tr("the hub redirected to %1, which is not https: refusing").arg(target.toString()));
            return get(target, redirects + 1);
        }
        if (status == 0 && reply->error() != QNetworkReply::NoError) {
            if (index) // the config arrived; a missing index only costs the exact byte count
                return done();
            return offline(reply->errorString());
        }
        if (index) {
            if (status == 200) {
                QString error;
                m_result.checkpointBytes = parseSafetensorsIndexTotalSize(reply->readAll(), &error);
                if (!error.isEmpty())
                    qCWarning(lcPlanner) << m_result.repoId << error;
            }
            return done(); // 404: single-file checkpoints have no index
        }
        const QString repo = m_result.repoId;
        const QString page = m_client->m_endpoint.toString() + QLatin1Char('/') + repo;
        if (errorCode == "GatedRepo" || status == 403)
            return fail(HubFetchResult::Status::Gated,
                        m_client->m_token.isEmpty()
                            ? tr("%1 is a gated model: accept its license on %2, then add your Hugging Face token "
                                 "(it is kept in the system keychain)")
                                  .arg(repo, page)
                            : tr("%1 is a gated model and your Hugging Face token has no access yet: request access "
                                 "on %2 and wait for approval")
                                  .arg(repo, page));
        if (errorCode == "RepoNotFound" || status == 404)
            return fail(HubFetchResult::Status::NotFound,
                        tr("no model \"%1\" on %2: check the id (owner/name, case matters on some mirrors)")
                            .arg(repo, m_client->m_endpoint.host()));
        if (status == 401)
            return fail(HubFetchResult::Status::NotFound,
                        tr("%1 was not found or is private: check the id, or add a Hugging Face token that can read it")
                            .arg(repo));
        if (status != 200)
            return fail(HubFetchResult::Status::BadResponse,
                        tr("%1 answered HTTP %2 for %3's config.json: try again later")
                            .arg(m_client->m_endpoint.host())
                            .arg(status)
                            .arg(repo));
        m_result.configJson = reply->readAll();
        const ModelConfigResult parsed = parseModelConfig(m_result.configJson);
        if (!parsed.config)
            return fail(HubFetchResult::Status::BadResponse, tr("%1: %2").arg(repo, parsed.error));
        m_fetchingIndex = true;
        get(fileUrl(QStringLiteral("model.safetensors.index.json")), 0);
    }

    void offline(const QString &networkError)
    {
        if (std::optional<HubFetchResult> cached = m_client->fromCache(m_result.repoId)) {
            cached->message = tr("offline (%1): using the cached config of %2").arg(networkError, m_result.repoId);
            return m_client->finish(this, *cached);
        }
        fail(
            HubFetchResult::Status::Offline,
            tr("cannot reach %1 (%2) and %3 is not cached: check the network, or set HF_ENDPOINT to a reachable mirror")
                .arg(m_client->m_endpoint.toString(), networkError, m_result.repoId));
    }

    void fail(HubFetchResult::Status status, const QString &message)
    {
        m_result.status = status;
        m_result.message = message;
        m_result.configJson.clear();
        m_client->finish(this, m_result);
    }

    void done()
    {
        m_client->store(m_result);
        m_client->finish(this, m_result);
    }

    HubClient *m_client;
    HubFetchResult m_result;
    bool m_fetchingIndex = false;
};

HubClient::HubClient(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_network(network)
{
    const QString fromEnvironment = qEnvironmentVariable("HF_ENDPOINT");
    setEndpoint(fromEnvironment.isEmpty() ? QUrl(QStringLiteral("https://huggingface.co")) : QUrl(fromEnvironment));
    const QString cache = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
    if (!cache.isEmpty())
        m_cacheDirectory = cache + QLatin1String("/huggingface");
}

void HubClient::setEndpoint(const QUrl &endpoint)
{
    m_endpoint = endpoint.adjusted(QUrl::StripTrailingSlash);
}

bool HubClient::isRepoId(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9][\\w.-]*/[\\w.-]+$"));
    return pattern.match(text).hasMatch() && !text.contains(QLatin1String(".."));
}

void HubClient::fetchModel(const QString &repoId)
{
    auto *fetch = new Fetch(this, repoId.trimmed());
    HubFetchResult early;
    early.repoId = repoId;
    if (!isRepoId(repoId.trimmed())) {
        early.status = HubFetchResult::Status::InvalidId;
        early.message =
            tr("\"%1\" is not a Hugging Face model id: write owner/name, e.g. deepseek-ai/DeepSeek-R1").arg(repoId);
    } else if (!m_endpoint.isValid() || m_endpoint.host().isEmpty()) {
        early.status = HubFetchResult::Status::InsecureEndpoint;
        early.message = tr("the Hugging Face endpoint \"%1\" is not a URL").arg(m_endpoint.toString());
    } else if (m_endpoint.scheme() != QLatin1String("https") && !isLoopback(m_endpoint)) {
        early.status = HubFetchResult::Status::InsecureEndpoint;
        early.message = tr("the Hugging Face endpoint %1 must use https (plain http is only allowed on loopback)")
                            .arg(m_endpoint.toString());
    } else if (!m_network) {
        early.status = HubFetchResult::Status::Offline;
        early.message = tr("no network access manager was given to the Hugging Face client");
    } else {
        fetch->start();
        return;
    }
    // Report on the next event loop turn, like every other outcome.
    QMetaObject::invokeMethod(
        this, [this, fetch, early] { finish(fetch, early); }, Qt::QueuedConnection);
}

void HubClient::finish(Fetch *fetch, HubFetchResult result)
{
    fetch->deleteLater();
    Q_EMIT modelFetched(result);
}

std::optional<HubFetchResult> HubClient::fromCache(const QString &repoId) const
{
    if (m_cacheDirectory.isEmpty())
        return std::nullopt;
    const QString directory =
        m_cacheDirectory + QLatin1Char('/') + QString(repoId).replace(QLatin1Char('/'), QLatin1String("--"));
    QFile config(directory + QLatin1String("/config.json"));
    if (!config.open(QIODevice::ReadOnly))
        return std::nullopt;
    HubFetchResult result;
    result.repoId = repoId;
    result.configJson = config.readAll();
    result.fromCache = true;
    QFile index(directory + QLatin1String("/model.safetensors.index.json"));
    if (index.open(QIODevice::ReadOnly))
        result.checkpointBytes = parseSafetensorsIndexTotalSize(index.readAll());
    return result;
}

void HubClient::store(const HubFetchResult &result) const
{
    if (m_cacheDirectory.isEmpty() || !result.isOk())
        return;
    const QString directory =
        m_cacheDirectory + QLatin1Char('/') + QString(result.repoId).replace(QLatin1Char('/'), QLatin1String("--"));
    if (!QDir().mkpath(directory)) {
        qCWarning(lcPlanner) << "cannot create the hub cache" << directory;
        return;
    }
    QSaveFile config(directory + QLatin1String("/config.json"));
    if (config.open(QIODevice::WriteOnly)) {
        config.write(result.configJson);
        config.commit();
    }
    if (result.checkpointBytes) { // only the field we use, so a stale index cannot mislead
        QSaveFile index(directory + QLatin1String("/model.safetensors.index.json"));
        if (index.open(QIODevice::WriteOnly)) {
            index.write(QByteArrayLiteral("{\"metadata\": {\"total_size\": ") +
                        QByteArray::number(*result.checkpointBytes) + QByteArrayLiteral("}, \"weight_map\": {}}\n"));
            index.commit();
        }
    }
}

} // namespace ApoloDeploy::Planner
