// SPDX-License-Identifier: GPL-3.0-or-later
#include "logs/ResumeFilter.h"

namespace ApoloDeploy::Logs {

bool ResumeFilter::accept(qint64 timestampNs)
{
    if (timestampNs <= 0) {
        if (!m_keepUnstamped)
            ++m_dropped;
        return m_keepUnstamped;
    }
    const qint64 us = timestampNs / 1000;
    if (us < m_lastUs) {
        ++m_dropped;
        m_keepUnstamped = false;
        return false;
    }
    m_keepUnstamped = true;
    if (us == m_lastUs) {
        ++m_replayedAtLast;
        if (m_replayedAtLast <= m_countAtLast) {
            ++m_dropped;
            m_keepUnstamped = false;
            return false;
        }
        ++m_countAtLast;
        return true;
    }
    m_lastUs = us;
    m_countAtLast = 1;
    m_replayedAtLast = 1;
    return true;
}

QDateTime ResumeFilter::resumeSince() const
{
    if (m_lastUs <= 0)
        return {};
    return QDateTime::fromMSecsSinceEpoch(m_lastUs / 1000, Qt::UTC);
}

} // namespace ApoloDeploy::Logs
