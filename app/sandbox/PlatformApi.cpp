// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/PlatformApi.h"

#include "sandbox/HttpServer.h"
#include "sandbox/JobListFilter.h"
#include "sandbox/JobRegistry.h"
#include "sandbox/JobValidator.h"
#include "sandbox/SandboxState.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace ApoloDeploy::Sandbox {

namespace {

const HttpHeaders kServiceVersion{{"X-Service-Version", "platform-api/sandbox"}};

} // namespace

QJsonObject PlatformApi::configJson(bool authorized) const
{
    const SandboxConfig &config = m_context.state.config();
    const QString oauth = m_context.oauthUrl();
    QJsonObject json{{QStringLiteral("authorized"), authorized},
                     {QStringLiteral("auth_url"), QString(oauth + QStringLiteral("/authorize"))},
                     {QStringLiteral("token_url"), QString(oauth + QStringLiteral("/token"))},
                     {QStringLiteral("logout_url"), QString(oauth + QStringLiteral("/logout"))},
                     {QStringLiteral("client_id"), config.clientId},
                     {QStringLiteral("audience"), config.audience},
                     {QStringLiteral("callback_urls"),
                      QJsonArray{QStringLiteral("http://127.0.0.1:54540"), QStringLiteral("http://127.0.0.1:54541"),
                                 QStringLiteral("http://127.0.0.1:54542")}},
                     {QStringLiteral("headless_callback_url"), QString(oauth + QStringLiteral("/show-code"))},
                     {QStringLiteral("success_redirect_url"), QString(oauth + QStringLiteral("/success"))}};
    if (!authorized)
        return json;
    const QString base = m_context.baseUrl;
    QJsonObject cluster{
        {QStringLiteral("name"), config.clusterName},
        {QStringLiteral("orgs"), QJsonArray{config.orgName}},
        {QStringLiteral("registry_url"), QString(base + QStringLiteral("/registry"))},
        {QStringLiteral("storage_url"), m_context.storageUrl()},
        {QStringLiteral("users_url"), QString(base + QStringLiteral("/api/v1/users"))},
        {QStringLiteral("monitoring_url"), m_context.monitoringUrl()},
        {QStringLiteral("secrets_url"), m_context.secretsUrl()},
        {QStringLiteral("disks_url"), QString(base + QStringLiteral("/disks/api/v1/disk"))},
        {QStringLiteral("buckets_url"), QString(base + QStringLiteral("/buckets/api/v1"))},
        {QStringLiteral("resource_pool_types"), m_context.state.presets().poolsJson()},
        {QStringLiteral("resource_presets"), m_context.state.presets().presetsJson()},
        {QStringLiteral("timezone"), QStringLiteral("UTC")},
        {QStringLiteral("energy_schedules"), QJsonArray()},
        {QStringLiteral("storage_volumes"),
         QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("default")},
                                {QStringLiteral("credits_per_hour_per_gb"), QStringLiteral("0.0001")}}}},
        {QStringLiteral("apps"), QJsonObject{{QStringLiteral("apps_hostname_templates"), QJsonArray()},
                                             {QStringLiteral("app_proxy_url"), QString(base + QStringLiteral("/apps"))},
                                             {QStringLiteral("launchpad_use_subdomain"), false}}},
        {QStringLiteral("location"), QStringLiteral("loopback")}};
    QJsonArray projects;
    for (const QString &project : config.projectNames) {
        projects.append(QJsonObject{{QStringLiteral("name"), project},
                                    {QStringLiteral("role"), QStringLiteral("writer")},
                                    {QStringLiteral("cluster_name"), config.clusterName},
                                    {QStringLiteral("org_name"), config.orgName}});
    }
    json.insert(QStringLiteral("orgs"), QJsonArray{QJsonObject{{QStringLiteral("name"), config.orgName},
                                                               {QStringLiteral("role"), QStringLiteral("user")}}});
    json.insert(QStringLiteral("clusters"), QJsonArray{cluster});
    json.insert(QStringLiteral("projects"), projects);
    json.insert(QStringLiteral("admin_url"), m_context.adminUrl());
    json.insert(QStringLiteral("vcluster_url"), QString(base + QStringLiteral("/apis/vcluster/v1")));
    return json;
}

void PlatformApi::handle(const QString &subPath, const HttpRequest &request, HttpResponder *responder, bool authorized)
{
    const QByteArray &method = request.method;
    if (subPath == QLatin1String("/config") && method == "GET") {
        responder->respondJson(200, configJson(authorized), kServiceVersion);
        return;
    }
    if (subPath == QLatin1String("/ping") && method == "GET") {
        responder->respond(200, "text/plain; charset=utf-8", {}, kServiceVersion);
        return;
    }
    if (!authorized) {
        responder->respond(401, "text/plain; charset=utf-8", "401: Unauthorized", kServiceVersion);
        return;
    }
    const qint64 now = m_context.state.clock().nowNs();
    if (subPath == QLatin1String("/jobs")) {
        if (method == "POST")
            createJob(request, responder);
        else if (method == "GET")
            listJobs(request, responder);
        else
            responder->respond(405, "text/plain; charset=utf-8", "405: Method Not Allowed", kServiceVersion);
        return;
    }
    if (!subPath.startsWith(QLatin1String("/jobs/"))) {
        responder->respond(404, "text/plain; charset=utf-8", "404: Not Found", kServiceVersion);
        return;
    }
    const QStringList parts = subPath.mid(6).split(u'/');
    const QString idOrName = parts.at(0);
    if (parts.size() == 2 && parts.at(1) == QLatin1String("max_run_time_minutes") && method == "PUT") {
        setMaxRunTime(idOrName, request, responder);
        return;
    }
    if (parts.size() != 1 || idOrName.isEmpty()) {
        responder->respond(404, "text/plain; charset=utf-8", "404: Not Found", kServiceVersion);
        return;
    }
    const SandboxJob *job = m_context.registry.findByIdOrName(idOrName);
    if (!job) {
        responder->respondJson(
            400, QJsonObject{{QStringLiteral("error"), QString(QStringLiteral("no such job ") + idOrName)}},
            kServiceVersion);
        return;
    }
    if (method == "GET") {
        responder->respondJson(200, job->toJson(now), kServiceVersion);
    } else if (method == "DELETE") {
        m_context.registry.cancel(job->id, QStringLiteral("UserRequested"));
        responder->respond(204, {}, {}, kServiceVersion);
    } else {
        responder->respond(405, "text/plain; charset=utf-8", "405: Method Not Allowed", kServiceVersion);
    }
}

void PlatformApi::createJob(const HttpRequest &request, HttpResponder *responder)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        responder->respondJson(400,
                               QJsonObject{{QStringLiteral("error"),
                                            QString(QStringLiteral("Invalid JSON: ") + parseError.errorString())}},
                               kServiceVersion);
        return;
    }
    const bool fromPreset = request.query.hasQueryItem(QStringLiteral("from_preset"));
    const JobValidator validator(m_context.state.config(), m_context.state.presets());
    JobValidator::Result result = validator.validate(document.object(), fromPreset);
    if (result.status != 0) {
        responder->respondJson(result.status, result.errorBody, kServiceVersion);
        return;
    }
    const JobRegistry::CreateResult created = m_context.registry.create(std::move(result.job), result.waitForJobsQuota);
    if (!created.job) {
        responder->respondJson(created.status, QJsonObject{{QStringLiteral("error"), created.error}}, kServiceVersion);
        return;
    }
    responder->respondJson(202, created.job->toJson(m_context.state.clock().nowNs()), kServiceVersion);
}

void PlatformApi::listJobs(const HttpRequest &request, HttpResponder *responder)
{
    JobListFilter filter;
    QString error;
    if (!filter.parse(request.query, &error)) {
        responder->respondJson(400, QJsonObject{{QStringLiteral("error"), error}}, kServiceVersion);
        return;
    }
    const qint64 now = m_context.state.clock().nowNs();
    const QList<const SandboxJob *> jobs = filter.apply(m_context.registry.jobs());
    if (request.header("accept").contains("application/x-ndjson")) {
        responder->beginStream(200, "application/x-ndjson", kServiceVersion);
        QByteArray batch;
        for (const SandboxJob *job : jobs) {
            batch += QJsonDocument(job->toJson(now)).toJson(QJsonDocument::Compact) + '\n';
            if (batch.size() > 64 * 1024) {
                responder->write(batch);
                batch.clear();
            }
        }
        responder->write(batch);
        responder->end();
        return;
    }
    QJsonArray array;
    for (const SandboxJob *job : jobs)
        array.append(job->toJson(now));
    responder->respondJson(200, QJsonObject{{QStringLiteral("jobs"), array}}, kServiceVersion);
}

void PlatformApi::setMaxRunTime(const QString &idOrName, const HttpRequest &request, HttpResponder *responder)
{
    const SandboxJob *job = m_context.registry.findByIdOrName(idOrName);
    if (!job) {
        responder->respondJson(
            400, QJsonObject{{QStringLiteral("error"), QString(QStringLiteral("no such job ") + idOrName)}},
            kServiceVersion);
        return;
    }
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QJsonValue absolute = body.value(QLatin1String("max_run_time_minutes"));
    const QJsonValue additional = body.value(QLatin1String("additional_max_run_time_minutes"));
    const QJsonValue given = absolute.isUndefined() ? additional : absolute;
    const bool exactlyOne = body.size() == 1 && (absolute.isUndefined() != additional.isUndefined());
    if (!exactlyOne || !given.isDouble() || given.toDouble() != double(given.toInt()) || given.toInt() < 1) {
        responder->respondJson(
            400,
            QJsonObject{{QStringLiteral("error"),
                         QStringLiteral("Exactly one of max_run_time_minutes or additional_max_run_time_minutes "
                                        "is required, an integer >= 1")}},
            kServiceVersion);
        return;
    }
    const int minutes = absolute.isUndefined() ? job->maxRunTimeMinutes.value_or(0) + given.toInt() : given.toInt();
    m_context.registry.setMaxRunTime(job->id, minutes);
    responder->respond(204, {}, {}, kServiceVersion);
}

} // namespace ApoloDeploy::Sandbox
