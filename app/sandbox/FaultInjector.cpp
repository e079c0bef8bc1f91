// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/FaultInjector.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QStringList>

namespace ApoloDeploy::Sandbox {

bool FaultSettings::parse(const QString &spec, FaultSettings *settings, QString *error)
{
    FaultSettings result;
    const QStringList items = spec.split(u',', Qt::SkipEmptyParts);
    for (const QString &rawItem : items) {
        const QString item = rawItem.trimmed();
        const qsizetype equals = item.indexOf(u'=');
        const QString key = item.left(equals).trimmed();
        const QString value = equals < 0 ? QString() : item.mid(equals + 1).trimmed();
        bool ok = !value.isEmpty();
        if (key == QLatin1String("drop-logs")) {
            result.dropLogsEveryBytes = value.toLongLong(&ok);
            ok = ok && result.dropLogsEveryBytes > 0;
        } else if (key == QLatin1String("http5xx")) {
            result.http5xxRate = value.toDouble(&ok);
            ok = ok && result.http5xxRate >= 0 && result.http5xxRate <= 1;
        } else if (key == QLatin1String("latency")) {
            result.latencyMs = value.toInt(&ok);
            ok = ok && result.latencyMs >= 0;
        } else if (key == QLatin1String("token-expiry")) {
            result.tokenExpirySeconds = value.toInt(&ok);
            ok = ok && result.tokenExpirySeconds > 0;
        } else if (key == QLatin1String("slow-sse")) {
            result.slowSseDelayMs = value.toInt(&ok);
            ok = ok && result.slowSseDelayMs >= 0;
        } else if (key == QLatin1String("malformed-chunk")) {
            result.malformedChunkAfterBytes = value.toLongLong(&ok);
            ok = ok && result.malformedChunkAfterBytes > 0;
        } else if (key == QLatin1String("oom-kill")) {
            const double seconds = value.toDouble(&ok);
            if (ok && seconds > 0)
                result.oomKillAfterSeconds = seconds;
            else
                result.oomKillJobName = value;
            ok = !value.isEmpty();
        } else {
            *error =
                QCoreApplication::translate("FaultInjector", "Unknown fault '%1'. Known: drop-logs, http5xx, latency, "
                                                             "token-expiry, slow-sse, malformed-chunk, oom-kill.")
                    .arg(key);
            return false;
        }
        if (!ok) {
            *error = QCoreApplication::translate("FaultInjector", "Invalid value '%1' for fault '%2'.").arg(value, key);
            return false;
        }
    }
    *settings = result;
    return true;
}

QString FaultSettings::toSpec() const
{
    QStringList items;
    if (dropLogsEveryBytes > 0)
        items << QStringLiteral("drop-logs=%1").arg(dropLogsEveryBytes);
    if (http5xxRate > 0)
        items << QStringLiteral("http5xx=%1").arg(http5xxRate);
    if (latencyMs > 0)
        items << QStringLiteral("latency=%1").arg(latencyMs);
    if (tokenExpirySeconds > 0)
        items << QStringLiteral("token-expiry=%1").arg(tokenExpirySeconds);
    if (slowSseDelayMs > 0)
        items << QStringLiteral("slow-sse=%1").arg(slowSseDelayMs);
    if (malformedChunkAfterBytes > 0)
        items << QStringLiteral("malformed-chunk=%1").arg(malformedChunkAfterBytes);
    if (!oomKillJobName.isEmpty())
        items << QStringLiteral("oom-kill=%1").arg(oomKillJobName);
    if (oomKillAfterSeconds > 0)
        items << QStringLiteral("oom-kill=%1").arg(oomKillAfterSeconds);
    return items.join(u',');
}

bool FaultInjector::setSpec(const QString &spec, QString *error)
{
    return FaultSettings::parse(spec, &m_settings, error);
}

bool FaultInjector::shouldFailApiCall() const
{
    return m_settings.http5xxRate > 0 && QRandomGenerator::global()->generateDouble() < m_settings.http5xxRate;
}

} // namespace ApoloDeploy::Sandbox
