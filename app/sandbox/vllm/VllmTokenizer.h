// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace ApoloDeploy::Sandbox {

// A deterministic stand-in for a BPE tokenizer: words split into pieces of at most five letters
// (the leading space stays on the first piece), digits in groups of three, punctuation and
// special tokens ("<think>", "<｜User｜>") on their own. It gives plausible token counts (~4
// characters per token for English) and realistic stream pieces without shipping a vocabulary.
class VllmTokenizer
{
public:
    explicit VllmTokenizer(int vocabSize = 129280);

    QStringList pieces(const QString &text) const;
    int count(const QString &text) const { return int(pieces(text).size()); }
    int tokenId(const QString &piece) const;
    QList<int> ids(const QString &text) const;

private:
    int m_vocabSize;
};

} // namespace ApoloDeploy::Sandbox
