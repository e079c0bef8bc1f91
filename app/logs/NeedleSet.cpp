// SPDX-License-Identifier: GPL-3.0-or-later
#include "logs/NeedleSet.h"

#include <QQueue>

namespace ApoloDeploy::Logs {

NeedleSet::NeedleSet(const QByteArrayList &needles)
    : m_needleCount(needles.size())
{
    Q_ASSERT_X(needles.size() <= maxNeedles, "NeedleSet", "too many needles");
    for (const QByteArray &needle : needles) {
        Q_ASSERT_X(!needle.isEmpty(), "NeedleSet", "empty needle");
        for (const char c : needle) {
            Q_ASSERT_X(uchar(c) < 128, "NeedleSet", "needles are ASCII");
            if (!m_classOf[uchar(c) & 0x7f])
                m_classOf[uchar(c) & 0x7f] = std::uint8_t(m_classCount++);
        }
    }
    // The trie: state 0 is the root; -1 marks a missing edge until the links are built.
    QList<QList<int>> edges{QList<int>(m_classCount, -1)};
    m_outputs = {0};
    for (qsizetype id = 0; id < needles.size(); ++id) {
        int state = 0;
        for (const char c : needles[id]) {
            const int cls = m_classOf[uchar(c) & 0x7f];
            if (edges[state][cls] < 0) {
                edges[state][cls] = int(edges.size());
                edges.append(QList<int>(m_classCount, -1));
                m_outputs.append(0);
            }
            state = edges[state][cls];
        }
        m_outputs[state] |= quint64(1) << id;
    }
    Q_ASSERT_X(edges.size() < 65536, "NeedleSet", "too many needle characters");
    // Breadth-first: every missing edge becomes the edge of the longest proper suffix (the
    // failure link), so the scan never backtracks; outputs of suffixes are merged in.
    QList<int> failure(edges.size(), 0);
    QQueue<int> queue;
    for (int cls = 0; cls < m_classCount; ++cls) {
        int &child = edges[0][cls];
        if (child < 0) {
            child = 0;
        } else {
            failure[child] = 0;
            queue.enqueue(child);
        }
    }
    while (!queue.isEmpty()) {
        const int state = queue.dequeue();
        m_outputs[state] |= m_outputs[failure[state]];
        for (int cls = 0; cls < m_classCount; ++cls) {
            const int child = edges[state][cls];
            if (child < 0) {
                edges[state][cls] = edges[failure[state]][cls];
            } else {
                failure[child] = edges[failure[state]][cls];
                queue.enqueue(child);
            }
        }
    }
    // Class 0 (a character in no needle) always returns to the root.
    m_next.resize(edges.size() * m_classCount);
    for (qsizetype state = 0; state < edges.size(); ++state) {
        for (int cls = 0; cls < m_classCount; ++cls)
            m_next[state * m_classCount + cls] = std::uint16_t(cls == 0 ? 0 : edges[state][cls]);
    }
}

quint64 NeedleSet::scan(QStringView text) const
{
    const std::uint16_t *next = m_next.constData();
    const quint64 *outputs = m_outputs.constData();
    const int classes = m_classCount;
    quint64 hits = 0;
    int state = 0;
    for (const QChar ch : text) {
        const char16_t u = ch.unicode();
        state = next[state * classes + (u < 128 ? m_classOf[u] : 0)];
        hits |= outputs[state];
    }
    return hits;
}

} // namespace ApoloDeploy::Logs
