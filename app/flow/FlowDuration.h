// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

namespace ApoloDeploy::FlowDuration {

// apolo-flow / `apolo run --life-span` durations: a plain number is *seconds* ("90", "1.5"),
// otherwise optional <int>d, <int>h, <int>m, <int>s in that order ("10d", "1d2h", "2h55m").
// No spaces, weeks, fractions or repeated units. Returns seconds, or nullopt when invalid.
std::optional<double> parseSeconds(const QString &text);

// The shortest canonical spelling: 864000 -> "10d", 93600 -> "1d2h", 45 -> "45s".
QString format(qint64 seconds);

// What the platform receives: floor(seconds / 60). The API rejects values below 1.
qint64 toMaxRunTimeMinutes(double seconds);

} // namespace ApoloDeploy::FlowDuration
