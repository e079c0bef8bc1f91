// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

// OAuth 2.0 PKCE (RFC 7636) with method S256, as the apolo SDK's login: the verifier is
// base64url(32 random bytes) and the challenge base64url(SHA-256(verifier)), both without '='.
namespace ApoloDeploy::Pkce {

QByteArray generateVerifier();
QByteArray challengeFor(const QByteArray &verifier);
// A random "state" value for the authorization request (CSRF protection of the callback).
QByteArray generateState();

} // namespace ApoloDeploy::Pkce
