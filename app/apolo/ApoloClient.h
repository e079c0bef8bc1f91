// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apolo/ApoloError.h"
#include "apolo/Credentials.h"
#include "apolo/PlatformTypes.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;

namespace ApoloDeploy {

class ApoloCall;
class LogConnection;

// The asynchronous Apolo platform client: the only code that talks to Apolo.
//
// Async contract (every method):
//   - takes a `QObject *context` and a callback; the callback runs exactly once on the thread of
//     the client, from the event loop (never synchronously inside the method), unless `context`
//     is destroyed first: then the request is aborted and the callback is never called;
//   - returns an ApoloCall handle (owned by the client, deleted after the callback) that can
//     abort() the request (the callback then gets Kind::Cancelled) and reports progress/retries.
//
// Policies: one QNetworkAccessManager for the whole app (network()); the bearer token is only
// sent to hosts named by /config (api, monitoring, secrets, admin, storage) and never over plain
// http to a non-loopback host; idempotent GETs are retried on network errors and 502/503/504
// (3 tries, 0.5/1/2 s); job creation is never retried blindly: after a timeout or a dropped
// connection the client looks the job up by name (§4.5) to learn whether it was created.
// A 401 triggers one token refresh (when a refresh token exists) and a single replay.
class ApoloClient final : public QObject
{
    Q_OBJECT

public:
    template <typename T> using Callback = std::function<void(const ApoloResult<T> &)>;

    explicit ApoloClient(QObject *parent = nullptr);
    ~ApoloClient() override;

    // Shared with the planner (Hugging Face) and the chat client.
    QNetworkAccessManager *network() const { return m_network; }

    // e.g. https://api.apolo.us/api/v1 (no trailing slash needed).
    void setApiUrl(const QUrl &apiUrl);
    QUrl apiUrl() const { return m_apiUrl; }
    void setCredentials(const Credentials &credentials);
    const Credentials &credentials() const { return m_credentials; }
    // The OAuth settings used to refresh tokens; set from /config (also from the anonymous one).
    void setOAuthSettings(const OAuthSettings &oauth) { m_oauth = oauth; }
    const OAuthSettings &oauthSettings() const { return m_oauth; }
    void setServerConfig(const ServerConfig &config);
    const ServerConfig &serverConfig() const { return m_config; }
    void setScope(const ProjectScope &scope);
    const ProjectScope &scope() const { return m_scope; }
    const Cluster *currentCluster() const { return m_config.cluster(m_scope.cluster); }
    // Inactivity timeout of every request but streams (ms); default 60 s as the SDK's sock_read.
    void setTransferTimeout(int milliseconds) { m_transferTimeoutMs = milliseconds; }
    int transferTimeout() const { return m_transferTimeoutMs; }
    // Retry delays of idempotent requests, shortened by tests; default {500, 1000, 2000}.
    void setRetryDelays(const QList<int> &milliseconds) { m_retryDelaysMs = milliseconds; }

    // Refuses http:// to non-loopback hosts. Returns an Insecure error or Kind::None.
    static ApoloError checkTransport(const QUrl &url);
    // True when the token may be sent to `url` (api host or a service host from /config).
    bool isTrustedHost(const QUrl &url) const;

    // --- Discovery -------------------------------------------------------------------------
    // GET {api}/config, with the token when one is set. Does not change the client's state.
    ApoloCall *fetchConfig(QObject *context, Callback<ServerConfig> callback);
    ApoloCall *fetchConfigAnonymously(QObject *context, Callback<ServerConfig> callback);

    // --- Jobs ------------------------------------------------------------------------------
    // POST /jobs?from_preset (202). URIs are normalised, `secret:` env values moved to secret_env.
    ApoloCall *createJob(const JobRequest &request, QObject *context, Callback<Job> callback);
    ApoloCall *getJob(const QString &jobId, QObject *context, Callback<Job> callback);
    // Streams Accept: application/x-ndjson; `onJobs` gets batches as lines arrive, `callback` the end.
    ApoloCall *listJobs(const JobListFilter &filter, QObject *context, std::function<void(const QList<Job> &)> onJobs,
                        Callback<Done> callback);
    // Id, `job:` URI or name -> the job, exactly as `apolo status` (§4.5, with limit=1).
    ApoloCall *resolveJob(const QString &nameOrId, QObject *context, Callback<Job> callback);
    // DELETE /jobs/{id} (204): the job becomes cancelled / UserRequested.
    ApoloCall *killJob(const QString &jobId, QObject *context, Callback<Done> callback);
    // PUT /jobs/{id}/max_run_time_minutes {"additional_max_run_time_minutes": N}.
    ApoloCall *extendLifeSpan(const QString &jobId, int additionalMinutes, QObject *context, Callback<Done> callback);
    // GET {monitoring_url}/capacity of the current cluster.
    ApoloCall *fetchCapacity(QObject *context, Callback<Capacity> callback);

    // --- Secrets (current org/project) ----------------------------------------------------
    ApoloCall *listSecrets(QObject *context, Callback<QList<Secret>> callback);
    ApoloCall *addSecret(const QString &key, const QByteArray &value, QObject *context, Callback<Secret> callback);
    ApoloCall *deleteSecret(const QString &key, QObject *context, Callback<Done> callback);

    // --- Admin: quota and credits (§8) ----------------------------------------------------
    // Falls back to …/clusters/{c}/users/{u} on 401/403 as the SDK does.
    ApoloCall *fetchUserInfo(const QString &userName, QObject *context, Callback<ClusterUserInfo> callback);
    ApoloCall *fetchOrgInfo(QObject *context, Callback<OrgClusterInfo> callback);

    // --- Logs ------------------------------------------------------------------------------
    // A transport to the job's log stream, not yet opened (see LogConnection for the contract).
    // `since` may be invalid (from the job's start). Returns nullptr when the current cluster has
    // no trusted monitoring URL, with the reason in `error`.
    LogConnection *createLogConnection(const QString &jobId, const QDateTime &since, QObject *parent,
                                       ApoloError *error = nullptr) const;

    // Renews the access token now (POST token_url grant_type=refresh_token). Coalesces callers.
    void refreshCredentials(QObject *context, Callback<Credentials> callback);

Q_SIGNALS:
    // A refreshed token: store it (the session writes it to the keychain).
    void credentialsChanged(const ApoloDeploy::Credentials &credentials);
    // A 401 that a refresh could not fix: the user must sign in again.
    void authenticationRequired(const ApoloDeploy::ApoloError &error);

private:
    ApoloCall *fetchConfig(QObject *context, Callback<ServerConfig> callback, bool afterRefresh);
    friend class CallHandle;
    class CallHandle *newCall(QObject *context);
    void verifyCreation(class CallHandle *call, const JobRequest &request, const QJsonObject &body,
                        const QDateTime &sentAt, int attempt, Callback<Job> callback);
    QNetworkAccessManager *m_network = nullptr;
    QUrl m_apiUrl;
    Credentials m_credentials;
    OAuthSettings m_oauth;
    ServerConfig m_config;
    ProjectScope m_scope;
    int m_transferTimeoutMs = 60000;
    QList<int> m_retryDelaysMs{500, 1000, 2000};
    QList<std::function<void(const ApoloResult<Credentials> &)>> m_pendingRefresh;
};

// Handle of one in-flight call; owned by the client and deleted after its callback ran.
class ApoloCall : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    // Aborts the request; the callback receives Kind::Cancelled (unless its context died).
    virtual void abort() = 0;

Q_SIGNALS:
    void progress(qint64 bytesReceived, qint64 bytesTotal);
    // A transient failure; the request is sent again after `delayMs`.
    void retrying(int attempt, int delayMs, const ApoloDeploy::ApoloError &error);
    // Job creation timed out or lost its connection: looking the job up by name.
    void verifyingCreation();
    // Emitted about once a second while no answer has arrived, for "still waiting…" feedback.
    void waiting(int elapsedMs);
};

} // namespace ApoloDeploy
