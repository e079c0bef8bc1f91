// SPDX-License-Identifier: GPL-3.0-or-later
#include "deploy/HealthProbe.h"

#include "apolo/ApoloClient.h"
#include "apolo/PlatformTypes.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace ApoloDeploy {

HealthProbe::HealthProbe(ApoloClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{}

HealthProbe::~HealthProbe()
{
    abort();
}

QUrl HealthProbe::healthUrl(const Job &server)
{
    QUrl url = server.preferredHttpUrl();
    if (!url.isValid())
        return {};
    QString path = url.path();
    if (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + QStringLiteral("/health"));
    return url;
}

void HealthProbe::probe(const Job &server)
{
    abort();
    const QUrl url = healthUrl(server);
    QNetworkRequest request(url);
    request.setTransferTimeout(10000);
    // The platform's ingress checks the user's token on requires_auth jobs; the token goes only
    // over https (or to the loopback sandbox), never in clear text elsewhere.
    const bool secure = url.scheme() == QLatin1String("https") || url.host() == QLatin1String("127.0.0.1") ||
                        url.host() == QLatin1String("localhost");
    if (server.container.http && server.container.http->requiresAuth && secure && !m_client->credentials().isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_client->credentials().accessToken.toUtf8());
    QNetworkReply *reply = m_client->network()->get(request);
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply, url] {
        reply->deleteLater();
        if (m_reply != reply) // aborted by us: nobody waits for it
            return;
        m_reply = nullptr;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        Q_EMIT finished(url, status, status == 200 ? QString() : reply->errorString());
    });
}

void HealthProbe::abort()
{
    if (QNetworkReply *reply = m_reply.data()) {
        m_reply = nullptr;
        reply->abort();
    }
}

} // namespace ApoloDeploy
