// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>

namespace ApoloDeploy::Logs {

// Drops the lines a resumed log stream sends again (apolo-api.md §5.1: reconnect with
// since=<last timestamp>; the server's filter is inclusive and coarser than the timestamps).
//
// Several lines can share one timestamp, so "drop lines <= last" would lose the ones that were
// not yet received when the stream broke. Instead the filter counts how many lines it kept at
// the last timestamp and, after a reconnect, drops exactly that many at that timestamp.
class ResumeFilter
{
public:
    // Call when a new connection starts replaying from resumeSince().
    void beginReconnect() { m_replayedAtLast = 0; }
    // True when the line with this platform timestamp (ns; 0 = none) is new and must be kept.
    bool accept(qint64 timestampNs);

    qint64 lastTimestampNs() const { return m_lastNs; }
    qint64 keptAtLastTimestamp() const { return m_countAtLast; }
    qint64 dropped() const { return m_dropped; }
    // Where to resume: the last kept timestamp rounded down to what the transport can send
    // (milliseconds), so the server replays everything from there and the filter sorts it out.
    QDateTime resumeSince() const;

private:
    qint64 m_lastNs = 0;
    qint64 m_countAtLast = 0;    // lines kept with timestamp == m_lastNs
    qint64 m_replayedAtLast = 0; // lines at m_lastNs seen on the current connection
    qint64 m_dropped = 0;
};

} // namespace ApoloDeploy::Logs
