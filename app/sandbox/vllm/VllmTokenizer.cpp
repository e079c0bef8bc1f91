// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/vllm/VllmTokenizer.h"

#include <QRegularExpression>

namespace ApoloDeploy::Sandbox {

namespace {

// Stable across runs and platforms, unlike qHash, so token ids in tests never change.
quint32 fnv1a(const QString &text)
{
    quint32 hash = 2166136261u;
    const QByteArray utf8 = text.toUtf8();
    for (char c : utf8) {
        hash ^= quint8(c);
        hash *= 16777619u;
    }
    return hash;
}

} // namespace

VllmTokenizer::VllmTokenizer(int vocabSize)
    : m_vocabSize(vocabSize > 1000 ? vocabSize : 32000)
{}

QStringList VllmTokenizer::pieces(const QString &text) const
{
    static const QRegularExpression pattern(
        QStringLiteral("<[｜|/]?[^<>\\s]{1,30}[｜|]?>" // special tokens: <think>, </think>, <｜User｜>
                       "| ?\\p{L}+"                    // a word with its leading space
                       "| ?\\p{N}{1,3}"                // digits, at most three per token
                       "|\\n+|[ \\t]+(?=\\S)|[ \\t]+"  // newlines, runs of spaces
                       "| ?[^\\s\\p{L}\\p{N}]"),       // one punctuation character
        QRegularExpression::UseUnicodePropertiesOption);
    QStringList out;
    QRegularExpressionMatchIterator it = pattern.globalMatch(text);
    qsizetype consumed = 0;
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        for (qsizetype gap = consumed; gap < match.capturedStart(); ++gap) // anything the pattern skipped
            out << text.mid(gap, 1);
        consumed = match.capturedEnd();
        const QString piece = match.captured();
        const bool word = piece.trimmed().size() > 0 && piece.trimmed().at(0).isLetter();
        if (!word || piece.size() <= 6) {
            out << piece;
            continue;
        }
        const qsizetype first = piece.startsWith(QLatin1Char(' ')) ? 6 : 5;
        out << piece.left(first);
        for (qsizetype i = first; i < piece.size(); i += 5)
            out << piece.mid(i, 5);
    }
    for (qsizetype gap = consumed; gap < text.size(); ++gap)
        out << text.mid(gap, 1);
    return out;
}

int VllmTokenizer::tokenId(const QString &piece) const
{
    return int(fnv1a(piece) % quint32(m_vocabSize));
}

QList<int> VllmTokenizer::ids(const QString &text) const
{
    QList<int> result;
    for (const QString &piece : pieces(text))
        result << tokenId(piece);
    return result;
}

} // namespace ApoloDeploy::Sandbox
