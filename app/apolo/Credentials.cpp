// SPDX-License-Identifier: GPL-3.0-or-later
#include "apolo/Credentials.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace ApoloDeploy {

namespace {

const auto keyAccess = QStringLiteral("access_token");
const auto keyRefresh = QStringLiteral("refresh_token");
const auto keyExpires = QStringLiteral("expires_at");
const auto keyRefreshAt = QStringLiteral("refresh_at");

} // namespace

QByteArray Credentials::toSecret() const
{
    QJsonObject object{{keyAccess, accessToken}};
    if (!refreshToken.isEmpty())
        object.insert(keyRefresh, refreshToken);
    if (expiresAt.isValid())
        object.insert(keyExpires, expiresAt.toUTC().toString(Qt::ISODate));
    if (refreshAt.isValid())
        object.insert(keyRefreshAt, refreshAt.toUTC().toString(Qt::ISODate));
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

Credentials Credentials::fromSecret(const QByteArray &secret)
{
    Credentials credentials;
    const QByteArray trimmed = secret.trimmed();
    if (!trimmed.startsWith('{')) {
        credentials.accessToken = QString::fromUtf8(trimmed);
        return credentials;
    }
    const QJsonObject object = QJsonDocument::fromJson(trimmed).object();
    credentials.accessToken = object.value(keyAccess).toString();
    credentials.refreshToken = object.value(keyRefresh).toString();
    credentials.expiresAt = QDateTime::fromString(object.value(keyExpires).toString(), Qt::ISODate);
    credentials.refreshAt = QDateTime::fromString(object.value(keyRefreshAt).toString(), Qt::ISODate);
    return credentials;
}

Credentials Credentials::fromTokenResponse(const QString &accessToken, qint64 expiresInSeconds,
                                           const QString &refreshToken, const QDateTime &now)
{
    Credentials credentials;
    credentials.accessToken = accessToken;
    credentials.refreshToken = refreshToken;
    if (expiresInSeconds > 0) {
        credentials.expiresAt = now.addSecs(expiresInSeconds);
        // The SDK renews at 75 % of the lifetime so that a request never races the expiry.
        credentials.refreshAt = now.addMSecs(expiresInSeconds * 750);
    }
    return credentials;
}

QString Credentials::userName() const
{
    const QList<QStringView> parts = QStringView(accessToken).split(u'.');
    if (parts.size() != 3)
        return QString();
    const QByteArray payload =
        QByteArray::fromBase64(parts.at(1).toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const QJsonObject claims = QJsonDocument::fromJson(payload).object();
    const QString user = claims.value(QStringLiteral("https://platform.neuromation.io/user")).toString();
    return user.isEmpty() ? claims.value(QStringLiteral("identity")).toString() : user;
}

} // namespace ApoloDeploy
