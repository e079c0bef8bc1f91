// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QString>

namespace ApoloDeploy::Sandbox {

// The sandbox's simulated wall clock: it starts at the real time and runs `speed` times faster,
// so every timestamp the sandbox reports (job times, log prefixes, run time, prices) agrees with
// every other one. Nanoseconds since the Unix epoch, UTC.
class SimClock
{
public:
    explicit SimClock(double speed = 1.0);
    qint64 nowNs() const;
    double speed() const { return m_speed; }
    void setSpeed(double speed); // keeps now() continuous

    // Python isoformat() with offset, as the platform API prints datetimes:
    // "2026-05-01T10:00:00.123456+00:00" (no fraction when the microseconds are 0).
    static QString isoFormat(qint64 ns);
    // The log prefix format: "2026-05-01T10:00:00.123456789Z" (always 9 digits).
    static QByteArray logTimestamp(qint64 ns);
    // ISO-8601 with optional fraction (up to 9 digits) and Z or ±HH:MM offset; false if invalid.
    static bool parseIso(const QString &text, qint64 *ns);

private:
    double m_speed;
    qint64 m_anchorNs;
    QElapsedTimer m_sinceAnchor;
};

} // namespace ApoloDeploy::Sandbox
