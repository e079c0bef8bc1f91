// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apolo/ApoloError.h"
#include "apolo/Credentials.h"
#include "apolo/PlatformTypes.h"

#include <QByteArray>
#include <QJsonObject>

// Pure decoders of Apolo API responses (specs/apolo-api.md). No I/O: bytes in, values out.
// Malformed input yields an ApoloError of Kind::Protocol that names what was wrong.
namespace ApoloDeploy::ApiJson {

ApoloResult<ServerConfig> parseServerConfig(const QByteArray &body);
ApoloResult<Job> parseJob(const QByteArray &body);
ApoloResult<Job> jobFromJson(const QJsonObject &object);
// {"jobs": [ … ]}: the non-streamed list.
ApoloResult<QList<Job>> parseJobList(const QByteArray &body);
ApoloResult<Capacity> parseCapacity(const QByteArray &body);
ApoloResult<Secret> parseSecret(const QByteArray &body);
ApoloResult<QList<Secret>> parseSecretList(const QByteArray &body);
ApoloResult<ClusterUserInfo> parseClusterUserInfo(const QByteArray &body);
ApoloResult<OrgClusterInfo> parseOrgClusterInfo(const QByteArray &body);
// OAuth token endpoint response. `previousRefreshToken` is kept when the response has none
// (refresh grant: the SDK keeps the original refresh token).
ApoloResult<Credentials> parseTokenResponse(const QByteArray &body, const QDateTime &now,
                                            const QString &previousRefreshToken = QString());

// A failed HTTP response -> ApoloError (§7). `xError` is the monitoring service's X-Error header
// (the JSON body of a refused WebSocket handshake), used when the body is empty.
ApoloError parseApiError(int httpStatus, const QByteArray &body, const QByteArray &xError = QByteArray());

// Python isoformat() timestamps ("2026-05-01T10:00:00.123456+00:00", "…Z"); invalid when not one.
QDateTime parseTimestamp(const QString &text);
// ISO-8601 UTC with milliseconds and "Z", for since/until query values.
QString formatTimestamp(const QDateTime &time);

ApoloError protocolError(const QString &what);

} // namespace ApoloDeploy::ApiJson
