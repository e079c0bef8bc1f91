// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QRandomGenerator>
#include <QString>
#include <QStringList>

namespace ApoloDeploy::Test {

// Variants of real lines for differential tests of hand-written parsers: each seed cut at a
// random length, and every other variant with one character replaced or inserted from alphabet
// (characters the grammar cares about, so near-misses are frequent).
inline QStringList textMutations(const QStringList &seeds, const QString &alphabet, int perSeed)
{
    QRandomGenerator *random = QRandomGenerator::global();
    QStringList variants;
    for (const QString &seed : seeds) {
        for (int round = 0; round < perSeed; ++round) {
            QString text = seed.left(random->bounded(seed.size() + 1));
            if (round % 2) {
                const int at = random->bounded(qMax<qsizetype>(1, text.size()));
                const QChar c = alphabet[random->bounded(alphabet.size())];
                if (text.isEmpty() || round % 3 == 0)
                    text.insert(qMin<qsizetype>(at, text.size()), c);
                else
                    text[at] = c;
            }
            variants << text;
        }
    }
    return variants;
}

} // namespace ApoloDeploy::Test
