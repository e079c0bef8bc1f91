// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayList>
#include <QList>
#include <QStringView>

#include <cstdint>

namespace ApoloDeploy::Logs {

// Finds which of a fixed set of ASCII literals occur in a text, in one pass (Aho–Corasick).
// The phase and failure tables each gate dozens of regexes on a literal "needle"; testing the
// needles one by one with contains() scanned every log line ~90 times and was most of the
// classifier's cost. Matching is exact and case-sensitive, like QStringView::contains().
class NeedleSet
{
public:
    static constexpr qsizetype maxNeedles = 64;
    // At most maxNeedles non-empty 7-bit ASCII needles; a needle's index in the list is its id.
    explicit NeedleSet(const QByteArrayList &needles);

    // The needles that occur in text, as a bit set: bit id is set when needle id occurs.
    quint64 scan(QStringView text) const;
    static bool found(quint64 hits, qsizetype id) { return hits >> id & 1u; }
    qsizetype size() const { return m_needleCount; }

private:
    // Characters that occur in no needle all map to class 0, which always leads back to the
    // root: the transition table stays small (states x classes) and cache-resident.
    std::uint8_t m_classOf[128] = {};
    int m_classCount = 1;
    qsizetype m_needleCount = 0;
    QList<std::uint16_t> m_next; // m_next[state * m_classCount + class]
    QList<quint64> m_outputs;    // needles ending at each state (suffixes' folded in)
};

} // namespace ApoloDeploy::Logs
