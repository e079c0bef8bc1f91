// SPDX-License-Identifier: GPL-3.0-or-later
// Capacity (§5.5), secrets (§6.2) and admin quota/credits (§8) calls of ApoloClient.
#include "apolo/ApiJson.h"
#include "apolo/ApiUrls.h"
#include "apolo/ApoloClient.h"
#include "apolo/CallHandle.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QRegularExpression>

namespace ApoloDeploy {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ApoloClient", text);
}

ApoloError noService(const QString &what)
{
    ApoloError error;
    error.kind = ApoloError::Kind::Validation;
    error.message = tr("The current cluster has no %1 service.").arg(what);
    error.hint = tr("Sign in and choose a cluster first.");
    return error;
}

// The secrets service's key rule: ^(?!\.$|\.\.)[A-Za-z0-9_\-.]+$, 1-253 chars, no "---neuro---".
QString checkSecretKey(const QString &key)
{
    static const QRegularExpression pattern(QStringLiteral("^(?!\\.$|\\.\\.)[A-Za-z0-9_\\-.]+$"));
    if (key.isEmpty() || key.size() > 253 || !pattern.match(key).hasMatch() || key.contains(u"---neuro---"))
        return tr("'%1' is not a valid secret key: use 1-253 letters, digits, '_', '-' or '.'.").arg(key);
    return QString();
}

ApoloResult<Done> doneOrError(const HttpOutcome &outcome)
{
    if (outcome.error.isError())
        return outcome.error;
    return Done{};
}

} // namespace

ApoloCall *ApoloClient::fetchCapacity(QObject *context, Callback<Capacity> callback)
{
    CallHandle *call = newCall(context);
    const Cluster *cluster = currentCluster();
    if (!cluster || !cluster->monitoringUrl.isValid()) {
        call->finishLater<Capacity>(callback, noService(tr("monitoring")));
        return call;
    }
    RequestSpec spec;
    spec.url = ApiUrls::join(cluster->monitoringUrl, {QStringLiteral("capacity")});
    spec.idempotent = true;
    call->send(spec, [call, callback](const HttpOutcome &outcome) {
        if (outcome.error.isError())
            return call->finish<Capacity>(callback, outcome.error);
        call->finish(callback, ApiJson::parseCapacity(outcome.body));
    });
    return call;
}

ApoloCall *ApoloClient::listSecrets(QObject *context, Callback<QList<Secret>> callback)
{
    CallHandle *call = newCall(context);
    const Cluster *cluster = currentCluster();
    if (!cluster || !cluster->secretsUrl.isValid()) {
        call->finishLater<QList<Secret>>(callback, noService(tr("secrets")));
        return call;
    }
    RequestSpec spec;
    spec.url =
        ApiUrls::join(cluster->secretsUrl, {},
                      {{QStringLiteral("org_name"), m_scope.org}, {QStringLiteral("project_name"), m_scope.project}});
    spec.idempotent = true;
    call->send(spec, [call, callback](const HttpOutcome &outcome) {
        if (outcome.error.isError())
            return call->finish<QList<Secret>>(callback, outcome.error);
        call->finish(callback, ApiJson::parseSecretList(outcome.body));
    });
    return call;
}

ApoloCall *ApoloClient::addSecret(const QString &key, const QByteArray &value, QObject *context,
                                  Callback<Secret> callback)
{
    CallHandle *call = newCall(context);
    const Cluster *cluster = currentCluster();
    const QByteArray encoded = value.toBase64();
    ApoloError problem;
    if (!cluster || !cluster->secretsUrl.isValid()) {
        problem = noService(tr("secrets"));
    } else if (const QString keyProblem = checkSecretKey(key); !keyProblem.isEmpty()) {
        problem.kind = ApoloError::Kind::Validation;
        problem.message = keyProblem;
    } else if (encoded.size() > 1024 * 1024) {
        problem.kind = ApoloError::Kind::Validation;
        problem.message = tr("The secret value is too large: at most 1 MiB once base64-encoded.");
    }
    if (problem.isError()) {
        call->finishLater<Secret>(callback, problem);
        return call;
    }
    RequestSpec spec;
    spec.method = "POST";
    spec.url = cluster->secretsUrl;
    spec.contentType = "application/json";
    spec.body = QJsonDocument(QJsonObject{{QStringLiteral("key"), key},
                                          {QStringLiteral("value"), QString::fromLatin1(encoded)},
                                          {QStringLiteral("org_name"), m_scope.org},
                                          {QStringLiteral("project_name"), m_scope.project}})
                    .toJson(QJsonDocument::Compact);
    spec.successStatuses = {201, 200};
    call->send(spec, [call, callback](const HttpOutcome &outcome) {
        if (outcome.error.isError())
            return call->finish<Secret>(callback, outcome.error);
        call->finish(callback, ApiJson::parseSecret(outcome.body));
    });
    return call;
}

ApoloCall *ApoloClient::deleteSecret(const QString &key, QObject *context, Callback<Done> callback)
{
    CallHandle *call = newCall(context);
    const Cluster *cluster = currentCluster();
    if (!cluster || !cluster->secretsUrl.isValid()) {
        call->finishLater<Done>(callback, noService(tr("secrets")));
        return call;
    }
    RequestSpec spec;
    spec.method = "DELETE";
    spec.url =
        ApiUrls::join(cluster->secretsUrl, {key},
                      {{QStringLiteral("org_name"), m_scope.org}, {QStringLiteral("project_name"), m_scope.project}});
    spec.idempotent = true;
    spec.successStatuses = {204, 200};
    call->send(spec, [call, callback](const HttpOutcome &outcome) { call->finish(callback, doneOrError(outcome)); });
    return call;
}

ApoloCall *ApoloClient::fetchUserInfo(const QString &userName, QObject *context, Callback<ClusterUserInfo> callback)
{
    CallHandle *call = newCall(context);
    if (!m_config.adminUrl.isValid() || m_scope.cluster.isEmpty()) {
        call->finishLater<ClusterUserInfo>(callback, noService(tr("admin")));
        return call;
    }
    RequestSpec spec;
    spec.url = ApiUrls::join(m_config.adminUrl,
                             {QStringLiteral("clusters"), m_scope.cluster, QStringLiteral("orgs"), m_scope.org,
                              QStringLiteral("users"), userName},
                             {{QStringLiteral("with_user_info"), QStringLiteral("false")}});
    spec.idempotent = true;
    spec.refreshOn401 = false; // the SDK answers 401/403 here with the cluster-level fallback
    const QUrl fallbackUrl = ApiUrls::join(
        m_config.adminUrl, {QStringLiteral("clusters"), m_scope.cluster, QStringLiteral("users"), userName});
    call->send(spec, [call, callback, fallbackUrl](const HttpOutcome &outcome) {
        const int status = outcome.error.httpStatus;
        if (outcome.error.isError() && (status == 401 || status == 403)) {
            RequestSpec fallback;
            fallback.url = fallbackUrl;
            fallback.idempotent = true;
            call->send(fallback, [call, callback](const HttpOutcome &second) {
                if (second.error.isError())
                    return call->finish<ClusterUserInfo>(callback, second.error);
                call->finish(callback, ApiJson::parseClusterUserInfo(second.body));
            });
            return;
        }
        if (outcome.error.isError())
            return call->finish<ClusterUserInfo>(callback, outcome.error);
        call->finish(callback, ApiJson::parseClusterUserInfo(outcome.body));
    });
    return call;
}

ApoloCall *ApoloClient::fetchOrgInfo(QObject *context, Callback<OrgClusterInfo> callback)
{
    CallHandle *call = newCall(context);
    if (!m_config.adminUrl.isValid() || m_scope.cluster.isEmpty() || m_scope.org.isEmpty()) {
        call->finishLater<OrgClusterInfo>(callback, noService(tr("admin")));
        return call;
    }
    RequestSpec spec;
    spec.url = ApiUrls::join(m_config.adminUrl,
                             {QStringLiteral("clusters"), m_scope.cluster, QStringLiteral("orgs"), m_scope.org});
    spec.idempotent = true;
    call->send(spec, [call, callback](const HttpOutcome &outcome) {
        if (outcome.error.isError())
            return call->finish<OrgClusterInfo>(callback, outcome.error);
        call->finish(callback, ApiJson::parseOrgClusterInfo(outcome.body));
    });
    return call;
}

} // namespace ApoloDeploy
