// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

#include <optional>

class QNetworkAccessManager;

namespace ApoloDeploy::Planner {

struct HubFetchResult
{
    enum class Status { Ok, InvalidId, Gated, NotFound, Offline, BadResponse, InsecureEndpoint };
    QString repoId;
    Status status = Status::Ok;
    QString message;                       // user-facing: what happened and what to do
    QByteArray configJson;                 // config.json bytes (Ok)
    std::optional<qint64> checkpointBytes; // model.safetensors.index.json metadata.total_size
    bool fromCache = false;                // Ok from the disk cache because the hub was unreachable

    bool isOk() const { return status == Status::Ok; }
};

// Fetches a model's config.json and safetensors index from the Hugging Face Hub (or a compatible
// endpoint: $HF_ENDPOINT, apolo-sandbox) without blocking, and caches them on disk so plans work
// offline afterwards. The access manager belongs to the owner (the platform client exposes one);
// the token comes from the keychain through the caller and is only sent to the endpoint's host
// (redirects to other hosts, e.g. a CDN, go without it).
class HubClient final : public QObject
{
    Q_OBJECT

public:
    explicit HubClient(QNetworkAccessManager *network, QObject *parent = nullptr);

    // Default: $HF_ENDPOINT, else https://huggingface.co. Non-loopback endpoints must be https.
    void setEndpoint(const QUrl &endpoint);
    QUrl endpoint() const { return m_endpoint; }
    void setToken(const QByteArray &token) { m_token = token; }
    // Default: <app cache>/huggingface. Empty disables caching.
    void setCacheDirectory(const QString &directory) { m_cacheDirectory = directory; }
    QString cacheDirectory() const { return m_cacheDirectory; }

    // Starts a fetch; modelFetched() follows exactly once.
    void fetchModel(const QString &repoId);

    static bool isRepoId(const QString &text);
    // Where the user's Hugging Face token is kept in the system keychain (core/SecretStore).
    static QString keychainKey() { return QStringLiteral("huggingface-token"); }

Q_SIGNALS:
    void modelFetched(const ApoloDeploy::Planner::HubFetchResult &result);

private:
    class Fetch;
    friend class Fetch;
    void finish(Fetch *fetch, HubFetchResult result);
    std::optional<HubFetchResult> fromCache(const QString &repoId) const;
    void store(const HubFetchResult &result) const;

    QPointer<QNetworkAccessManager> m_network;
    QUrl m_endpoint;
    QByteArray m_token;
    QString m_cacheDirectory;
};

} // namespace ApoloDeploy::Planner

Q_DECLARE_METATYPE(ApoloDeploy::Planner::HubFetchResult)
