// SPDX-License-Identifier: GPL-3.0-or-later
#include "apolo/Pkce.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

namespace ApoloDeploy::Pkce {

namespace {

QByteArray randomBase64Url(int byteCount)
{
    QByteArray bytes(byteCount, Qt::Uninitialized);
    QRandomGenerator::system()->generate(reinterpret_cast<quint32 *>(bytes.data()),
                                         reinterpret_cast<quint32 *>(bytes.data() + byteCount));
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

} // namespace

QByteArray generateVerifier()
{
    return randomBase64Url(32);
}

QByteArray challengeFor(const QByteArray &verifier)
{
    return QCryptographicHash::hash(verifier, QCryptographicHash::Sha256)
        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray generateState()
{
    return randomBase64Url(16);
}

} // namespace ApoloDeploy::Pkce
