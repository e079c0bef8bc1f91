// SPDX-License-Identifier: GPL-3.0-or-later
#include "apolo/ApoloError.h"

namespace ApoloDeploy {

bool ApoloError::isTransient() const
{
    switch (kind) {
    case Kind::Network:
    case Kind::Timeout: return true;
    case Kind::Server: return httpStatus == 502 || httpStatus == 503 || httpStatus == 504;
    default: return false;
    }
}

QString ApoloError::toString() const
{
    QString text = message.isEmpty() ? kindName(kind) : message;
    for (const MissingPermission &permission : missing)
        text += QStringLiteral("\n  missing '%1' permission on %2").arg(permission.action, permission.uri);
    if (!hint.isEmpty())
        text += QLatin1Char('\n') + hint;
    return text;
}

QString ApoloError::kindName(Kind kind)
{
    switch (kind) {
    case Kind::None: return QStringLiteral("none");
    case Kind::Network: return QStringLiteral("network");
    case Kind::Timeout: return QStringLiteral("timeout");
    case Kind::Cancelled: return QStringLiteral("cancelled");
    case Kind::Unauthorized: return QStringLiteral("unauthorized");
    case Kind::Forbidden: return QStringLiteral("forbidden");
    case Kind::NotFound: return QStringLiteral("not-found");
    case Kind::Validation: return QStringLiteral("validation");
    case Kind::Quota: return QStringLiteral("quota");
    case Kind::Credits: return QStringLiteral("credits");
    case Kind::Server: return QStringLiteral("server");
    case Kind::Protocol: return QStringLiteral("protocol");
    case Kind::Insecure: return QStringLiteral("insecure");
    }
    return QString();
}

} // namespace ApoloDeploy
