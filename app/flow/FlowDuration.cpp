// SPDX-License-Identifier: GPL-3.0-or-later
#include "flow/FlowDuration.h"

#include <QRegularExpression>

#include <cmath>

namespace ApoloDeploy::FlowDuration {

std::optional<double> parseSeconds(const QString &text)
{
    static const QRegularExpression number(QStringLiteral("^\\d+(?:\\.\\d+)?$"));
    static const QRegularExpression units(QStringLiteral("^(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?$"));
    if (text.isEmpty())
        return std::nullopt;
    if (number.match(text).hasMatch())
        return text.toDouble();
    const QRegularExpressionMatch match = units.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    static constexpr double multipliers[] = {86400, 3600, 60, 1};
    double seconds = 0;
    for (int group = 1; group <= 4; ++group) {
        if (match.hasCaptured(group))
            seconds += match.captured(group).toDouble() * multipliers[group - 1];
    }
    return seconds;
}

QString format(qint64 seconds)
{
    if (seconds <= 0)
        return QStringLiteral("0");
    QString text;
    const qint64 parts[] = {seconds / 86400, seconds % 86400 / 3600, seconds % 3600 / 60, seconds % 60};
    const char units[] = {'d', 'h', 'm', 's'};
    for (int i = 0; i < 4; ++i) {
        if (parts[i] > 0)
            text += QString::number(parts[i]) + QLatin1Char(units[i]);
    }
    return text;
}

qint64 toMaxRunTimeMinutes(double seconds)
{
    return static_cast<qint64>(std::floor(seconds / 60.0));
}

} // namespace ApoloDeploy::FlowDuration
