// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/AdminApi.h"

#include "sandbox/HttpServer.h"
#include "sandbox/SandboxJob.h"
#include "sandbox/SandboxState.h"

#include <QJsonObject>

namespace ApoloDeploy::Sandbox {

namespace {

QJsonValue credits(const std::optional<double> &value)
{
    return value ? QJsonValue(decimalString(*value)) : QJsonValue(QJsonValue::Null);
}

} // namespace

void AdminApi::handle(const QString &subPath, const HttpRequest &request, HttpResponder *responder)
{
    const SandboxState &state = m_context.state;
    const SandboxConfig &config = state.config();
    const QStringList parts = subPath.split(u'/', Qt::SkipEmptyParts);
    if (request.method != "GET" || parts.size() < 2 || parts.at(0) != QLatin1String("clusters"))
        return responder->respond(404, "text/plain; charset=utf-8", "404: Not Found");
    if (parts.at(1) != config.clusterName)
        return responder->respondError(404, QStringLiteral("Cluster %1 not found").arg(parts.at(1)));
    const QJsonObject userQuota{{QStringLiteral("total_running_jobs"), state.maxRunningJobs
                                                                           ? QJsonValue(*state.maxRunningJobs)
                                                                           : QJsonValue(QJsonValue::Null)}};
    const QJsonObject userBalance{{QStringLiteral("credits"), credits(state.userCredits)},
                                  {QStringLiteral("spent_credits"), decimalString(state.userSpent)}};
    const bool orgPath = parts.size() >= 4 && parts.at(2) == QLatin1String("orgs");
    if (orgPath && parts.at(3) != config.orgName)
        return responder->respondError(404, QStringLiteral("Org %1 not found").arg(parts.at(3)));
    if (orgPath && parts.size() == 4) {
        return responder->respondJson(
            200, QJsonObject{
                     {QStringLiteral("org_name"), config.orgName},
                     {QStringLiteral("balance"),
                      QJsonObject{{QStringLiteral("credits"), credits(state.orgCredits)},
                                  {QStringLiteral("spent_credits"), decimalString(state.orgSpent)}}},
                     {QStringLiteral("quota"), QJsonObject{{QStringLiteral("total_running_jobs"), QJsonValue::Null}}},
                     {QStringLiteral("default_role"), QStringLiteral("user")},
                     {QStringLiteral("maintenance"), false}});
    }
    const qsizetype userIndex = orgPath ? 5 : 3;
    if (parts.size() != userIndex + 1 || parts.at(userIndex - 1) != QLatin1String("users"))
        return responder->respond(404, "text/plain; charset=utf-8", "404: Not Found");
    if (parts.at(userIndex) != config.userName)
        return responder->respondError(404, QStringLiteral("User %1 not found").arg(parts.at(userIndex)));
    QJsonObject user{{QStringLiteral("user_name"), config.userName},
                     {QStringLiteral("role"), QStringLiteral("user")},
                     {QStringLiteral("quota"), userQuota},
                     {QStringLiteral("balance"), userBalance}};
    if (orgPath)
        user.insert(QStringLiteral("org_name"), config.orgName);
    else
        user.insert(QStringLiteral("cluster_name"), config.clusterName);
    responder->respondJson(200, user);
}

} // namespace ApoloDeploy::Sandbox
