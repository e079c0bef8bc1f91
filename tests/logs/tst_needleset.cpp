// SPDX-License-Identifier: GPL-3.0-or-later
// NeedleSet: one-pass multi-literal search; it must agree with QStringView::contains() exactly.

#include "logs/NeedleSet.h"

#include <QRandomGenerator>
#include <QTest>

using namespace ApoloDeploy::Logs;

class TestNeedleSet : public QObject
{
    Q_OBJECT

    static QList<qsizetype> foundIds(const NeedleSet &set, QStringView text)
    {
        const quint64 hits = set.scan(text);
        QList<qsizetype> ids;
        for (qsizetype id = 0; id < set.size(); ++id) {
            if (NeedleSet::found(hits, id))
                ids.append(id);
        }
        return ids;
    }

    static QList<qsizetype> containsIds(const QByteArrayList &needles, QStringView text)
    {
        QList<qsizetype> ids;
        for (qsizetype id = 0; id < needles.size(); ++id) {
            if (text.contains(QLatin1StringView(needles[id])))
                ids.append(id);
        }
        return ids;
    }

private Q_SLOTS:
    void scan_overlappingNeedles_allFound()
    {
        // The classic case: needles that are suffixes and prefixes of each other.
        const NeedleSet set({"he", "she", "his", "hers"});
        QCOMPARE(foundIds(set, u"ushers"), (QList<qsizetype>{0, 1, 3}));
        QCOMPARE(foundIds(set, u"this"), (QList<qsizetype>{2}));
        QCOMPARE(foundIds(set, u"HE SHE"), QList<qsizetype>());
        QCOMPARE(set.scan(u""), quint64(0));
    }

    void scan_realNeedles_matchContains()
    {
        const QByteArrayList needles{" GPU",       "Avg prompt throughput: ",      "Error: ",
                                     " took ",     "Loading weights took ",        "CUDA out of memory",
                                     "NCCL error", "Application startup complete."};
        const NeedleSet set(needles);
        for (const QString &line :
             {QStringLiteral("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 1.75 GiB"),
              QStringLiteral("Loading weights took 412.37 seconds"), QStringLiteral("Application startup complete."),
              QStringLiteral("Received request chatcmpl-1: prompt: 'NCCL error: what is it?' — ünïcödé 漢字 GPU")}) {
            QCOMPARE(foundIds(set, line), containsIds(needles, line));
        }
    }

    void scan_nonAsciiInsideNeedle_breaksTheMatch()
    {
        const NeedleSet set({"abc"});
        QCOMPARE(set.scan(u"ab\u00e9c"), quint64(0));
        QCOMPARE(set.scan(u"\u00e9abc\u00e9"), quint64(1));
    }

    void scan_randomText_agreesWithContains()
    {
        // A small alphabet makes partial matches and restarts frequent.
        const QByteArrayList needles{"ab", "aab", "abab", "bba", "a b", "ba ", "cab", "abc", "b", "ccc", "acab"};
        const NeedleSet set(needles);
        const QString alphabet = QStringLiteral("abc \u00e9");
        auto *random = QRandomGenerator::global();
        for (int round = 0; round < 5000; ++round) {
            QString text;
            const int length = random->bounded(0, 40);
            for (int i = 0; i < length; ++i)
                text += alphabet[random->bounded(alphabet.size())];
            QCOMPARE(foundIds(set, text), containsIds(needles, text));
        }
    }

    void scan_sixtyFourNeedles_useEveryBit()
    {
        QByteArrayList needles;
        for (int i = 0; i < NeedleSet::maxNeedles; ++i)
            needles.append("<" + QByteArray::number(i) + ">");
        const NeedleSet set(needles);
        QCOMPARE(set.scan(u"x<63>y<0>"), (quint64(1) << 63) | 1u);
    }
};

QTEST_APPLESS_MAIN(TestNeedleSet)
#include "tst_needleset.moc"
