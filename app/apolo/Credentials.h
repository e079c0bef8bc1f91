// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QString>

namespace ApoloDeploy {

// A bearer token and what is needed to renew it. Kept in memory and in the keychain only
// (SecretStore key "apolo-token:<api host>"), never in settings, files or logs.
struct Credentials
{
    QString accessToken;
    QString refreshToken; // empty: pasted or imported token, cannot be refreshed
    QDateTime expiresAt;  // invalid: unknown / non-expiring
    QDateTime refreshAt;  // when to renew proactively: login time + 75 % of expires_in (SDK rule)

    bool isEmpty() const { return accessToken.isEmpty(); }
    bool canRefresh() const { return !refreshToken.isEmpty(); }
    bool needsRefresh(const QDateTime &now) const { return canRefresh() && refreshAt.isValid() && now >= refreshAt; }

    // Compact JSON for the keychain entry; fromSecret() accepts that or a bare token.
    QByteArray toSecret() const;
    static Credentials fromSecret(const QByteArray &secret);
    // From an OAuth token response received at `now` (access_token, expires_in, refresh_token).
    static Credentials fromTokenResponse(const QString &accessToken, qint64 expiresInSeconds,
                                         const QString &refreshToken, const QDateTime &now);

    // The user name in the JWT ("https://platform.neuromation.io/user" or "identity" claim),
    // read without verifying the signature, as the SDK does. Empty when not a JWT.
    QString userName() const;
};

} // namespace ApoloDeploy
