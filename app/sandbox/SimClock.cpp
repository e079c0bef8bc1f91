// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/SimClock.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QTimeZone>

namespace ApoloDeploy::Sandbox {

SimClock::SimClock(double speed)
    : m_speed(speed)
    , m_anchorNs(QDateTime::currentMSecsSinceEpoch() * 1000000)
{
    m_sinceAnchor.start();
}

qint64 SimClock::nowNs() const
{
    return m_anchorNs + qint64(double(m_sinceAnchor.nsecsElapsed()) * m_speed);
}

void SimClock::setSpeed(double speed)
{
    m_anchorNs = nowNs();
    m_sinceAnchor.restart();
    m_speed = speed;
}

QString SimClock::isoFormat(qint64 ns)
{
    const qint64 ms = ns / 1000000;
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
    const qint64 micros = (ns / 1000) % 1000000;
    QString text = time.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
    if (micros != 0)
        text += u'.' + QStringLiteral("%1").arg(micros, 6, 10, QLatin1Char('0'));
    return text + QStringLiteral("+00:00");
}

QByteArray SimClock::logTimestamp(qint64 ns)
{
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(ns / 1000000, Qt::UTC);
    return time.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")).toLatin1() + '.' +
           QByteArray::number(ns % 1000000000).rightJustified(9, '0') + 'Z';
}

bool SimClock::parseIso(const QString &text, qint64 *ns)
{
    static const QRegularExpression pattern(QStringLiteral(
        R"(^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:[.,](\d{1,9})\d*)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$)"));
    const QRegularExpressionMatch match = pattern.match(text.trimmed());
    if (!match.hasMatch())
        return false;
    QString time = match.captured(2);
    if (time.size() == 5)
        time += QStringLiteral(":00");
    QDateTime base = QDateTime::fromString(match.captured(1) + u'T' + time, Qt::ISODate);
    if (!base.isValid())
        return false;
    base.setTimeSpec(Qt::UTC);
    qint64 offsetSeconds = 0;
    const QString zone = match.captured(4);
    if (!zone.isEmpty() && zone.compare(QLatin1String("z"), Qt::CaseInsensitive) != 0) {
        QString digits = zone.mid(1);
        digits.remove(u':');
        const int hours = digits.left(2).toInt();
        const int minutes = digits.size() >= 4 ? digits.mid(2, 2).toInt() : 0;
        offsetSeconds = (hours * 3600 + minutes * 60) * (zone.startsWith(u'-') ? -1 : 1);
    }
    const QString fraction = match.captured(3).leftJustified(9, u'0');
    *ns = (base.toSecsSinceEpoch() - offsetSeconds) * 1000000000LL + fraction.toLongLong();
    return true;
}

} // namespace ApoloDeploy::Sandbox
