// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/HuggingFaceHub.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRegularExpression>

namespace ApoloDeploy::Sandbox {

namespace {

Q_LOGGING_CATEGORY(lcHub, "adc.sandbox.hub")

const QByteArray kJson = QByteArrayLiteral("application/json");

void hubError(HttpResponder *responder, int status, const QByteArray &code, const QString &message)
{
    responder->respond(status, kJson,
                       QJsonDocument(QJsonObject{{QStringLiteral("error"), message}}).toJson(QJsonDocument::Compact),
                       {{"X-Error-Code", code}, {"X-Error-Message", message.toUtf8()}});
}

} // namespace

HuggingFaceHub::HuggingFaceHub(const QString &pathPrefix)
    : m_prefix(pathPrefix)
{
    QFile catalog(QStringLiteral(":/planner/models/catalog.json"));
    if (!catalog.open(QIODevice::ReadOnly)) {
        qCWarning(lcHub) << "the planner catalog is not linked into the sandbox: every Hub repo answers 404";
        return;
    }
    load(catalog.readAll());
}

HuggingFaceHub::HuggingFaceHub(const QString &pathPrefix, const QByteArray &catalogJson)
    : m_prefix(pathPrefix)
{
    load(catalogJson);
}

void HuggingFaceHub::load(const QByteArray &catalogJson)
{
    const QJsonArray models = QJsonDocument::fromJson(catalogJson).object().value(QLatin1String("models")).toArray();
    for (const QJsonValue &value : models) {
        const QJsonObject model = value.toObject();
        const QString id = model.value(QLatin1String("id")).toString();
        Entry entry;
        entry.configJson =
            QJsonDocument(model.value(QLatin1String("config")).toObject()).toJson(QJsonDocument::Indented);
        entry.checkpointBytes =
            qint64(model.value(QLatin1String("disk")).toObject().value(QLatin1String("computed_bytes")).toDouble());
        entry.parameters =
            model.value(QLatin1String("published")).toObject().value(QLatin1String("params_total")).toDouble();
        m_configs.insert(id.toLower(), entry);
        m_canonicalIds.insert(id.toLower(), id);
    }
}

void HuggingFaceHub::repoNotFound(HttpResponder *responder)
{
    hubError(responder, 404, "RepoNotFound", QStringLiteral("Repository not found"));
}

bool HuggingFaceHub::handle(const HttpRequest &request, HttpResponder *responder)
{
    if (!m_prefix.isEmpty() && !request.path.startsWith(m_prefix + QLatin1Char('/')))
        return false;
    const QString path = request.path.mid(m_prefix.size());
    static const QRegularExpression resolve(QStringLiteral("^/([^/]+/[^/]+)/resolve/([^/]+)/(.+)$"));
    static const QRegularExpression api(QStringLiteral("^/api/models/([^/]+/[^/]+)$"));
    const QRegularExpressionMatch resolveMatch = resolve.match(path);
    const QRegularExpressionMatch apiMatch = api.match(path);
    if (!resolveMatch.hasMatch() && !apiMatch.hasMatch())
        return false;
    if (request.method != "GET" && request.method != "HEAD") {
        hubError(responder, 405, "MethodNotAllowed", QStringLiteral("Method not allowed"));
        return true;
    }
    const QString repo = resolveMatch.hasMatch() ? resolveMatch.captured(1) : apiMatch.captured(1);
    if (repo.compare(QLatin1String(kGatedRepo), Qt::CaseInsensitive) == 0) {
        // The hub's two gated answers: not logged in, and logged in without an accepted licence.
        if (request.header("authorization").isEmpty())
            hubError(responder, 401, "GatedRepo",
                     QStringLiteral("Access to model %1 is restricted. You must have access to it and be authenticated "
                                    "to access it. Please log in.")
                         .arg(repo));
        else
            hubError(responder, 403, "GatedRepo",
                     QStringLiteral("Access to model %1 is restricted and you are not in the authorized list. Visit "
                                    "https://huggingface.co/%1 to ask for access.")
                         .arg(repo));
        return true;
    }
    const auto entry = m_configs.constFind(repo.toLower());
    if (entry == m_configs.constEnd()) {
        repoNotFound(responder);
        return true;
    }
    if (apiMatch.hasMatch()) {
        const QJsonObject config = QJsonDocument::fromJson(entry->configJson).object();
        const QString id = m_canonicalIds.value(repo.toLower());
        QJsonObject info{
            {QStringLiteral("id"), id},
            {QStringLiteral("modelId"), id},
            {QStringLiteral("private"), false},
            {QStringLiteral("gated"), false},
            {QStringLiteral("config"),
             QJsonObject{{QStringLiteral("model_type"), config.value(QLatin1String("model_type"))},
                         {QStringLiteral("architectures"), config.value(QLatin1String("architectures"))}}}};
        if (entry->parameters > 0)
            info.insert(QStringLiteral("safetensors"),
                        QJsonObject{{QStringLiteral("total"), qint64(entry->parameters)}});
        responder->respondJson(200, info);
        return true;
    }
    const QString file = resolveMatch.captured(3);
    if (file == QLatin1String("config.json")) {
        responder->respond(200, kJson, entry->configJson);
    } else if (file == QLatin1String("model.safetensors.index.json") && entry->checkpointBytes > 0) {
        const QJsonObject index{
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("total_size"), entry->checkpointBytes}}},
            {QStringLiteral("weight_map"), QJsonObject{}}};
        responder->respondJson(200, index);
    } else {
        hubError(responder, 404, "EntryNotFound", QStringLiteral("Entry not found"));
    }
    return true;
}

} // namespace ApoloDeploy::Sandbox
