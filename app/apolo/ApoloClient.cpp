// SPDX-License-Identifier: GPL-3.0-or-later
// Client set-up, host policies, discovery, token refresh and the log transport factory.
// Jobs: ApoloJobs.cpp; secrets, admin and capacity: ApoloAccount.cpp.
#include "apolo/ApoloClient.h"

#include "apolo/ApiJson.h"
#include "apolo/ApiUrls.h"
#include "apolo/ApoloLogging.h"
#include "apolo/CallHandle.h"
#include "apolo/LogConnection.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QUrlQuery>

namespace ApoloDeploy {

namespace {

bool isSecureScheme(const QString &scheme)
{
    return scheme == QLatin1String("https") || scheme == QLatin1String("wss");
}

int defaultPort(const QUrl &url)
{
    return url.port(isSecureScheme(url.scheme()) ? 443 : 80);
}

bool sameService(const QUrl &a, const QUrl &b)
{
    return a.isValid() && b.isValid() && isSecureScheme(a.scheme()) == isSecureScheme(b.scheme()) &&
           a.host().compare(b.host(), Qt::CaseInsensitive) == 0 && defaultPort(a) == defaultPort(b);
}

} // namespace

ApoloClient::ApoloClient(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
{}

ApoloClient::~ApoloClient()
{
    // Calls still in flight abort their replies, which needs the access manager: they go before it
    // (children are otherwise destroyed in creation order, the manager first).
    qDeleteAll(findChildren<CallHandle *>(Qt::FindDirectChildrenOnly));
}

CallHandle *ApoloClient::newCall(QObject *context)
{
    return new CallHandle(this, context);
}

void ApoloClient::setApiUrl(const QUrl &apiUrl)
{
    m_apiUrl = apiUrl.adjusted(QUrl::StripTrailingSlash);
}

void ApoloClient::setCredentials(const Credentials &credentials)
{
    m_credentials = credentials;
}

void ApoloClient::setServerConfig(const ServerConfig &config)
{
    m_config = config;
    if (config.oauth.isValid())
        m_oauth = config.oauth;
}

void ApoloClient::setScope(const ProjectScope &scope)
{
    m_scope = scope;
}

ApoloError ApoloClient::checkTransport(const QUrl &url)
{
    ApoloError error;
    const QString scheme = url.scheme();
    if (isSecureScheme(scheme) && !url.host().isEmpty())
        return error;
    const QString host = url.host();
    const bool loopback = host == QLatin1String("localhost") || QHostAddress(host).isLoopback();
    if ((scheme == QLatin1String("http") || scheme == QLatin1String("ws")) && loopback)
        return error;
    error.kind = ApoloError::Kind::Insecure;
    if (scheme == QLatin1String("http") || scheme == QLatin1String("ws"))
        error.message = tr("Refusing plain %1 to %2: the platform must be reached over https.").arg(scheme, host);
    else
        error.message = tr("'%1' is not an https URL.").arg(url.toDisplayString(QUrl::RemoveUserInfo));
    error.hint = tr("Use an https:// API URL (plain http is only allowed for 127.0.0.1 / localhost).");
    return error;
}

bool ApoloClient::isTrustedHost(const QUrl &url) const
{
    if (sameService(url, m_apiUrl))
        return true;
    if (sameService(url, m_config.adminUrl) || sameService(url, m_config.vclusterUrl))
        return true;
    for (const Cluster &cluster : m_config.clusters) {
        for (const QUrl &service : {cluster.monitoringUrl, cluster.storageUrl, cluster.secretsUrl, cluster.disksUrl,
                                    cluster.bucketsUrl, cluster.usersUrl}) {
            if (sameService(url, service))
                return true;
        }
    }
    return false;
}

ApoloCall *ApoloClient::fetchConfig(QObject *context, Callback<ServerConfig> callback)
{
    return fetchConfig(context, std::move(callback), false);
}

ApoloCall *ApoloClient::fetchConfig(QObject *context, Callback<ServerConfig> callback, bool afterRefresh)
{
    CallHandle *call = newCall(context);
    RequestSpec spec;
    spec.url = ApiUrls::join(m_apiUrl, {QStringLiteral("config")});
    spec.idempotent = true;
    spec.authenticated = !m_credentials.isEmpty();
    call->send(spec, [this, call, callback, afterRefresh, sentToken = spec.authenticated](const HttpOutcome &outcome) {
        if (outcome.error.isError())
            return call->finish<ServerConfig>(callback, outcome.error);
        ApoloResult<ServerConfig> config = ApiJson::parseServerConfig(outcome.body);
        if (config.ok() && sentToken && !config->authorized) {
            // /config answers an expired or unknown token with 200 and authorized:false instead of a
            // 401, so the one renewal a 401 gets elsewhere has to be tried here.
            if (!afterRefresh && m_credentials.canRefresh()) {
                refreshCredentials(call, [this, call, callback](const ApoloResult<Credentials> &renewed) {
                    if (!renewed.ok()) {
                        Q_EMIT authenticationRequired(renewed.error());
                        return call->finish<ServerConfig>(callback, renewed.error());
                    }
                    // The retry lives inside the original call, so aborting that call cancels both.
                    fetchConfig(
                        call,
                        [call, callback](const ApoloResult<ServerConfig> &retried) { call->finish(callback, retried); },
                        true);
                });
                return;
            }
            // The SDK's "Cannot authorize user": the token was not accepted.
            ApoloError error;
            error.kind = ApoloError::Kind::Unauthorized;
            error.httpStatus = 200;
            error.message = tr("The platform did not accept the sign-in token.");
            error.hint = tr("Sign in again: apolo-deploy login (or the Sign in button).");
            Q_EMIT authenticationRequired(error);
            return call->finish<ServerConfig>(callback, error);
        }
        call->finish(callback, config);
    });
    return call;
}

ApoloCall *ApoloClient::fetchConfigAnonymously(QObject *context, Callback<ServerConfig> callback)
{
    CallHandle *call = newCall(context);
    RequestSpec spec;
    spec.url = ApiUrls::join(m_apiUrl, {QStringLiteral("config")});
    spec.idempotent = true;
    spec.authenticated = false;
    call->send(spec, [call, callback](const HttpOutcome &outcome) {
        if (outcome.error.isError())
            return call->finish<ServerConfig>(callback, outcome.error);
        call->finish(callback, ApiJson::parseServerConfig(outcome.body));
    });
    return call;
}

void ApoloClient::refreshCredentials(QObject *context, Callback<Credentials> callback)
{
    QPointer<QObject> guard(context);
    const bool hasContext = context != nullptr;
    m_pendingRefresh << [guard, hasContext, callback](const ApoloResult<Credentials> &result) {
        if (!hasContext || guard)
            callback(result);
    };
    if (m_pendingRefresh.size() > 1)
        return; // one renewal serves every request waiting for it

    auto complete = [this](const ApoloResult<Credentials> &result) {
        if (result.ok()) {
            m_credentials = result.value();
            Q_EMIT credentialsChanged(m_credentials);
        }
        const auto waiting = std::exchange(m_pendingRefresh, {});
        for (const auto &notify : waiting)
            notify(result);
    };
    CallHandle *call = newCall(nullptr);
    if (!m_credentials.canRefresh() || !m_oauth.tokenUrl.isValid()) {
        ApoloError error;
        error.kind = ApoloError::Kind::Unauthorized;
        error.message = tr("The sign-in has expired and cannot be renewed.");
        error.hint = tr("Sign in again: apolo-deploy login (or the Sign in button).");
        call->finishLater<Credentials>(complete, error);
        return;
    }
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("refresh_token"));
    form.addQueryItem(QStringLiteral("refresh_token"), m_credentials.refreshToken);
    form.addQueryItem(QStringLiteral("client_id"), m_oauth.clientId);
    RequestSpec spec;
    spec.method = "POST";
    spec.url = m_oauth.tokenUrl;
    spec.authenticated = false;
    spec.contentType = "application/x-www-form-urlencoded";
    // '+' in a token must stay literal: encode fully rather than QUrlQuery's default form.
    spec.body = form.toString(QUrl::FullyEncoded).replace(u'+', QStringLiteral("%2B")).toUtf8();
    const QString refreshToken = m_credentials.refreshToken;
    call->send(spec, [call, complete, refreshToken](const HttpOutcome &outcome) {
        if (outcome.error.isError()) {
            ApoloError error = outcome.error;
            if (error.httpStatus >= 400 && error.httpStatus < 500) {
                error.kind = ApoloError::Kind::Unauthorized;
                error.message = tr("Failed to get an access token: %1").arg(error.message);
                error.hint = tr("Sign in again: apolo-deploy login (or the Sign in button).");
            }
            return call->finish<Credentials>(complete, error);
        }
        call->finish<Credentials>(
            complete, ApiJson::parseTokenResponse(outcome.body, QDateTime::currentDateTimeUtc(), refreshToken));
    });
}

LogConnection *ApoloClient::createLogConnection(const QString &jobId, const QDateTime &since, QObject *parent,
                                                ApoloError *error) const
{
    ApoloError problem;
    const Cluster *cluster = currentCluster();
    if (!cluster || !cluster->monitoringUrl.isValid()) {
        problem.kind = ApoloError::Kind::Validation;
        problem.message = tr("No cluster with a monitoring service is selected.");
        problem.hint = tr("Sign in and choose a cluster first.");
    } else if (const ApoloError insecure = checkTransport(cluster->monitoringUrl); insecure.isError()) {
        problem = insecure;
    }
    if (problem.isError()) {
        if (error)
            *error = problem;
        return nullptr;
    }
    LogConnection::Options options;
    options.monitoringUrl = cluster->monitoringUrl;
    options.jobId = jobId;
    options.accessToken = m_credentials.accessToken;
    options.since = since;
    return new LogConnection(m_network, options, parent);
}

} // namespace ApoloDeploy
