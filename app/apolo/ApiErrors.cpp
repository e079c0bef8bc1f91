// SPDX-License-Identifier: GPL-3.0-or-later
// HTTP error responses -> ApoloError (specs/apolo-api.md §7, §3.6).
#include "apolo/ApiJson.h"
#include "apolo/ApiJsonHelpers.h"

namespace ApoloDeploy::ApiJson {

using namespace Detail;
using Kind = ApoloError::Kind;

namespace {

// The API reports quota and credit refusals as plain 400s; only their text tells them apart.
Kind classifyBadRequest(const QString &message)
{
    if (message.contains(u"no such job", Qt::CaseInsensitive))
        return Kind::NotFound;
    if (message.contains(u"quota exceeded", Qt::CaseInsensitive))
        return Kind::Quota;
    if (message.contains(u"No credits left", Qt::CaseInsensitive))
        return Kind::Credits;
    return Kind::Validation;
}

QString hintFor(const ApoloError &error)
{
    switch (error.kind) {
    case Kind::Unauthorized: return tr("Sign in again: apolo-deploy login (or the Sign in button).");
    case Kind::Forbidden:
        return error.missing.isEmpty()
                   ? tr("Your account is not allowed to do this here; check the cluster, org and project, or ask an "
                        "org admin.")
                   : tr("Ask an org or project admin to grant the permissions listed above, or switch project.");
    case Kind::NotFound: return tr("Check the name or id; finished jobs may have been removed.");
    case Kind::Quota: return tr("Stop a running job or ask an org admin to raise the jobs quota.");
    case Kind::Credits: return tr("Add credits to your account or org, or ask an org admin.");
    case Kind::Server:
        return error.isTransient() ? tr("The platform is temporarily unavailable; try again in a minute.")
                                   : tr("The platform failed to process the request; try again, and report it if it "
                                        "keeps happening.");
    case Kind::Validation: return tr("Correct the request as the message says and try again.");
    default: return QString();
    }
}

} // namespace

ApoloError parseApiError(int httpStatus, const QByteArray &body, const QByteArray &xError)
{
    ApoloError error;
    error.httpStatus = httpStatus;
    const QByteArray payload = body.trimmed().isEmpty() ? xError.trimmed() : body.trimmed();
    const QJsonDocument document = QJsonDocument::fromJson(payload);
    const QJsonObject object = document.object();
    if (object.contains(u"error")) {
        const QJsonValue value = object.value(u"error");
        error.message = value.isString()
                            ? value.toString()
                            : QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    } else if (object.contains(u"msg")) {
        error.message = object.value(u"msg").toString();
    }
    for (const QJsonValue &value : object.value(u"missing").toArray()) {
        const QJsonObject permission = value.toObject();
        error.missing << ApoloError::MissingPermission{permission.value(u"uri").toString(),
                                                       permission.value(u"action").toString()};
    }
    if (error.message.isEmpty() && document.isNull())
        error.message = QString::fromUtf8(payload.left(2000)); // aiohttp's plain "401: Unauthorized"

    if (httpStatus == 400)
        error.kind = classifyBadRequest(error.message);
    else if (httpStatus == 401)
        error.kind = Kind::Unauthorized;
    else if (httpStatus == 403)
        error.kind = Kind::Forbidden;
    else if (httpStatus == 404)
        error.kind = Kind::NotFound;
    else if (httpStatus >= 500)
        error.kind = Kind::Server;
    else
        error.kind = Kind::Validation; // 405, 409, 413, 422, …: refused as sent

    if (error.message.isEmpty()) {
        switch (error.kind) {
        case Kind::Unauthorized: error.message = tr("The platform did not accept the sign-in token (HTTP 401)."); break;
        case Kind::Forbidden:
            error.message = error.missing.isEmpty() ? tr("Permission denied (HTTP 403).")
                                                    : tr("Permission denied: missing permissions (HTTP 403).");
            break;
        default: error.message = tr("The platform answered HTTP %1.").arg(httpStatus); break;
        }
    }
    error.hint = hintFor(error);
    return error;
}

} // namespace ApoloDeploy::ApiJson
