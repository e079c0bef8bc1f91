// SPDX-License-Identifier: GPL-3.0-or-later
#include "logs/ResumeFilter.h"



namespace ApoloDeploy::Logs {

bool ResumeFilter::accept(qint64 timestampNs)
{
    // Lines without a timestamp (the live-log separator, debug markers) cannot be placed; they
    // are kept and never move the resume point.
    if (timestampNs <= 0)
        return true;
    if (timestampNs < m_lastNs) {
        ++m_dropped;
        return false;
    }
    if (timestampNs == m_lastNs) {
        ++m_replayedAtLast;
        if (m_replayedAtLast <= m_countAtLast) {
            ++m_dropped;
            return false;
        }
        ++m_countAtLast;
        return true;
    }
    m_lastNs = timestampNs;
    m_countAtLast = 1;
    m_replayedAtLast = 1;
    return true;
}

QDateTime ResumeFilter::resumeSince() const
{
    if (m_lastNs <= 0)
        return {};
    return QDateTime::fromMSecsSinceEpoch(m_lastNs / 1'000'000, Qt::UTC);
}

} // namespace ApoloDeploy::Logs
