// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>

namespace ApoloDeploy::Logs {

// Drops the lines a resumed log stream sends again (apolo-api.md §5.1: reconnect with
// since=<last timestamp>; the server's filter is inclusive, so everything from `since` on comes
// again, and `since` itself is coarser than the line timestamps).
//
// Several lines can share one timestamp, so "drop lines <= last" would lose the ones that were
// not yet received when the stream broke. Instead the filter counts how many lines it kept at
// the last timestamp and, after a reconnect, drops exactly that many at that timestamp.
//
// Timestamps are compared in microseconds: archived lines carry 6 fraction digits and live ones
// up to 9, so the same line can come back truncated after a reconnect that replays it from the
// archive. Lines within one microsecond are told apart by the count, like equal timestamps.
class ResumeFilter
{
public:
    // Call when a new connection starts replaying from resumeSince().
    void beginReconnect()
    {
        m_replayedAtLast = 0;
        m_keepUnstamped = true;
    }
    // True when the line with this platform timestamp (ns) is new and must be kept. A line
    // without a timestamp (0: the tail of an over-long line cut into pieces) shares the fate
    // of the line before it, so a replayed long line is not kept twice.
    bool accept(qint64 timestampNs);

    // The last kept timestamp, in the filter's precision (microseconds, as ns).
    qint64 lastTimestampNs() const { return m_lastUs * 1000; }
    qint64 keptAtLastTimestamp() const { return m_countAtLast; }
    qint64 dropped() const { return m_dropped; }
    // Where to resume: the last kept timestamp rounded down to what the transport sends
    // (LogConnection: milliseconds), so the server replays everything from there and the
    // filter sorts it out.
    QDateTime resumeSince() const;

private:
    qint64 m_lastUs = 0;
    qint64 m_countAtLast = 0;    // lines kept with timestamp == m_lastUs
    qint64 m_replayedAtLast = 0; // lines at m_lastUs seen on the current connection
    qint64 m_dropped = 0;
    bool m_keepUnstamped = true; // the decision for the last stamped line
};

} // namespace ApoloDeploy::Logs
