// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/SecretsApi.h"

#include "sandbox/HttpServer.h"
#include "sandbox/SandboxState.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace ApoloDeploy::Sandbox {

namespace {

const HttpHeaders kServiceVersion{{"X-Service-Version", "platform-secrets/sandbox"}};
constexpr qsizetype kMaxValueBytes = 1024 * 1024;

QString keyProblem(const QString &key)
{
    static const QRegularExpression pattern(QStringLiteral(R"(^(?!\.$|\.\.)[A-Za-z0-9_\-.]+$)"));
    if (key.isEmpty() || key.size() > 253 || !pattern.match(key).hasMatch() ||
        key.contains(QLatin1String("---neuro---")))
        return QStringLiteral("{'key': DataError('does not match pattern %1')}").arg(pattern.pattern());
    return {};
}

bool isBase64(const QString &value)
{
    static const QRegularExpression pattern(QStringLiteral(R"(^[A-Za-z0-9+/]*={0,2}$)"));
    return value.size() % 4 == 0 && pattern.match(value).hasMatch();
}

QJsonObject secretJson(const QString &key, const QString &org, const QString &project)
{
    return {{QStringLiteral("key"), key},
            {QStringLiteral("owner"), project},
            {QStringLiteral("org_name"), org},
            {QStringLiteral("project_name"), project}};
}

} // namespace

void SecretsApi::handle(const QString &subPath, const HttpRequest &request, HttpResponder *responder)
{
    SandboxState &state = m_context.state;
    auto error = [responder](int status, const QString &message) {
        responder->respondJson(status, QJsonObject{{QStringLiteral("error"), message}}, kServiceVersion);
    };
    if (subPath.isEmpty() && request.method == "POST") {
        const QJsonObject body = QJsonDocument::fromJson(request.body).object();
        const QString key = body.value(QLatin1String("key")).toString();
        const QString value = body.value(QLatin1String("value")).toString();
        const QString org = body.value(QLatin1String("org_name")).toString(state.config().orgName);
        const QString project = body.value(QLatin1String("project_name")).toString();
        if (const QString problem = keyProblem(key); !problem.isEmpty())
            return error(400, problem);
        if (!body.value(QLatin1String("value")).isString() || !isBase64(value))
            return error(400, QStringLiteral("{'value': DataError('value is not a valid base64 string')}"));
        if (value.size() > kMaxValueBytes)
            return error(
                400, QStringLiteral("{'value': DataError('String is longer than %1 characters')}").arg(kMaxValueBytes));
        if (project.isEmpty())
            return error(400, QStringLiteral("{'project_name': DataError('is required')}"));
        if (org != state.config().orgName || !state.config().projectNames.contains(project))
            return responder->respondJson(
                403,
                QJsonObject{{QStringLiteral("missing"),
                             QJsonArray{QJsonObject{
                                 {QStringLiteral("uri"),
                                  QStringLiteral("secret://%1/%2/%3").arg(state.config().clusterName, org, project)},
                                 {QStringLiteral("action"), QStringLiteral("write")}}}}},
                kServiceVersion);
        state.secrets[SandboxState::secretScope(org, project)].insert(key, value.toLatin1());
        state.markDirty();
        return responder->respondJson(201, secretJson(key, org, project), kServiceVersion);
    }
    const QString org = request.query.queryItemValue(QStringLiteral("org_name"), QUrl::FullyDecoded);
    const QString project = request.query.queryItemValue(QStringLiteral("project_name"), QUrl::FullyDecoded);
    if (org.isEmpty() || project.isEmpty())
        return error(400, QStringLiteral("org_name and project_name query parameters are required"));
    const auto scope = state.secrets.constFind(SandboxState::secretScope(org, project));
    if (subPath.isEmpty() && request.method == "GET") {
        QJsonArray list;
        if (scope != state.secrets.cend()) {
            for (auto it = scope->cbegin(); it != scope->cend(); ++it)
                list.append(secretJson(it.key(), org, project));
        }
        return responder->respondJson(200, list, kServiceVersion);
    }
    const QString key = subPath.mid(1);
    if (!subPath.startsWith(u'/') || key.contains(u'/'))
        return responder->respond(404, "text/plain; charset=utf-8", "404: Not Found", kServiceVersion);
    const bool exists = scope != state.secrets.cend() && scope->contains(key);
    if (!exists)
        return error(404, QStringLiteral("Secret %1 not found").arg(key));
    if (request.method == "GET") {
        QJsonObject json = secretJson(key, org, project);
        json.insert(QStringLiteral("value"), QString::fromLatin1(scope->value(key)));
        return responder->respondJson(200, json, kServiceVersion);
    }
    if (request.method == "DELETE") {
        state.secrets[SandboxState::secretScope(org, project)].remove(key);
        state.markDirty();
        return responder->respond(204, {}, {}, kServiceVersion);
    }
    responder->respond(405, "text/plain; charset=utf-8", "405: Method Not Allowed", kServiceVersion);
}

} // namespace ApoloDeploy::Sandbox
