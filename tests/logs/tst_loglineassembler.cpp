// SPDX-License-Identifier: GPL-3.0-or-later
// LogLineAssembler: lines and UTF-8 characters split across frames, overlong lines, resets.

#include "logs/LogLineAssembler.h"

#include <QRandomGenerator>
#include <QTest>

using namespace ApoloDeploy::Logs;

class TestLogLineAssembler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void feed_everySplitPoint_givesTheSameLines()
    {
        const QByteArray stream = QStringLiteral("héllo wörld ✓\nsecond 🚀 line\r\n\nlast").toUtf8();
        const QStringList expected = {QStringLiteral("héllo wörld ✓"), QStringLiteral("second 🚀 line\r"), QString(),
                                      QStringLiteral("last")};
        for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
            QStringList lines;
            LogLineAssembler assembler([&lines](const QByteArray &, QString text) { lines << text; });
            assembler.feed(stream.first(cut));
            assembler.feed(stream.sliced(cut));
            assembler.finish();
            QCOMPARE(lines, expected);
        }
    }

    void feed_oneByteFrames_decodeMultibyteCharacters()
    {
        const QByteArray stream = QStringLiteral("Loading ██████████ 100%\n").toUtf8();
        QStringList lines;
        LogLineAssembler assembler([&lines](const QByteArray &, QString text) { lines << text; });
        for (const char byte : stream)
            assembler.feed(QByteArray(1, byte));
        QCOMPARE(lines, QStringList{QStringLiteral("Loading ██████████ 100%")});
    }

    void feed_rawBytes_areKeptExactly()
    {
        QList<QByteArray> raws;
        LogLineAssembler assembler(
            [&raws](const QByteArray &raw, QString) { raws << QByteArray(raw.constData(), raw.size()); });
        assembler.feed(QByteArray("2021-08-13T09:23:00.1Z \x1b[36mx\xff\n"));
        QCOMPARE(raws.size(), 1);
        QCOMPARE(raws.constFirst(), QByteArray("2021-08-13T09:23:00.1Z \x1b[36mx\xff"));
    }

    void feed_invalidUtf8_isReplacedAndDoesNotLeak()
    {
        QStringList lines;
        LogLineAssembler assembler([&lines](const QByteArray &, QString text) { lines << text; });
        assembler.feed(QByteArray("bad \xe2\x82\nnext\n"));
        QCOMPARE(lines.size(), 2);
        QVERIFY(lines.at(0).startsWith(QStringLiteral("bad ")));
        QVERIFY(lines.at(0).contains(QChar::ReplacementCharacter));
        QCOMPARE(lines.at(1), QStringLiteral("next"));
    }

    void feed_tenMegabyteLine_arrivesWhole()
    {
        QList<qsizetype> sizes;
        LogLineAssembler assembler([&sizes](const QByteArray &raw, QString) { sizes << raw.size(); });
        const QByteArray chunk(64 * 1024, 'x');
        for (int i = 0; i < 160; ++i)
            assembler.feed(chunk);
        assembler.feed("\n");
        QCOMPARE(sizes, QList<qsizetype>{160 * 64 * 1024});
    }

    void feed_endlessLine_isCutOnCharacterBoundaries()
    {
        QStringList lines;
        LogLineAssembler assembler([&lines](const QByteArray &, QString text) { lines << text; }, 100);
        const QByteArray euro = QStringLiteral("€").toUtf8(); // 3 bytes: 100 is not a multiple
        for (int i = 0; i < 200; ++i)
            assembler.feed(euro);
        assembler.finish();
        QString joined = lines.join(QString());
        QCOMPARE(joined, QString(200, QChar(0x20AC)));
        QVERIFY(lines.size() > 1);
        QVERIFY(assembler.pendingBytes() == 0);
    }

    void reset_dropsHalfLine()
    {
        QStringList lines;
        LogLineAssembler assembler([&lines](const QByteArray &, QString text) { lines << text; });
        assembler.feed("complete\nhalf");
        QCOMPARE(assembler.reset(), 4);
        assembler.feed("fresh\n");
        QCOMPARE(lines, (QStringList{QStringLiteral("complete"), QStringLiteral("fresh")}));
    }

    void feed_randomChunking_matchesWholeInput()
    {
        QByteArray stream;
        for (int i = 0; i < 2000; ++i)
            stream += "line " + QByteArray::number(i) + " ünïcödé ✓\n";
        auto *random = QRandomGenerator::global();
        QStringList lines;
        LogLineAssembler assembler([&lines](const QByteArray &, QString text) { lines << text; });
        for (qsizetype pos = 0; pos < stream.size();) {
            const qsizetype n = qMin<qsizetype>(stream.size() - pos, 1 + random->bounded(300));
            assembler.feed(stream.sliced(pos, n));
            pos += n;
        }
        QCOMPARE(lines.size(), 2000);
        QCOMPARE(lines.at(1234), QStringLiteral("line 1234 ünïcödé ✓"));
    }
};

QTEST_GUILESS_MAIN(TestLogLineAssembler)
#include "tst_loglineassembler.moc"
