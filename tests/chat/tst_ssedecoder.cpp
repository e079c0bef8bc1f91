// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/SseDecoder.h"

#include <QTest>

using namespace ApoloDeploy;

namespace {

SseEvent sseEvent(const QString &data, const QString &type = QStringLiteral("message"), const QString &id = {})
{
    SseEvent e;
    e.data = data;
    e.type = type;
    e.lastEventId = id;
    return e;
}

QList<SseEvent> decodeWhole(const QByteArray &stream)
{
    SseDecoder decoder;
    return decoder.feed(stream);
}

// Feeds the stream in two reads split at `offset`, then byte by byte: framing must not care.
void verifyEverySplit(const QByteArray &stream, const QList<SseEvent> &expected)
{
    for (qsizetype offset = 0; offset <= stream.size(); ++offset) {
        SseDecoder decoder;
        QList<SseEvent> events = decoder.feed(stream.left(offset));
        events += decoder.feed(stream.mid(offset));
        if (events != expected)
            QFAIL(qPrintable(QStringLiteral("split at byte %1 of %2 gives %3 events, expected %4")
                                 .arg(offset)
                                 .arg(stream.size())
                                 .arg(events.size())
                                 .arg(expected.size())));
    }
    SseDecoder byteByByte;
    QList<SseEvent> events;
    for (char c : stream)
        events += byteByByte.feed(QByteArrayView(&c, 1));
    QCOMPARE(events, expected);
}

} // namespace

class TestSseDecoder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void framing_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<QList<SseEvent>>("expected");

        QTest::newRow("vllm-lf") << QByteArray("data: {\"a\":1}\n\ndata: [DONE]\n\n")
                                 << QList<SseEvent>{sseEvent(QStringLiteral("{\"a\":1}")),
                                                    sseEvent(QStringLiteral("[DONE]"))};
        QTest::newRow("crlf") << QByteArray("data: x\r\n\r\ndata: y\r\n\r\n")
                              << QList<SseEvent>{sseEvent(QStringLiteral("x")), sseEvent(QStringLiteral("y"))};
        QTest::newRow("cr-only") << QByteArray("data: x\r\rdata: y\r\r")
                                 << QList<SseEvent>{sseEvent(QStringLiteral("x")), sseEvent(QStringLiteral("y"))};
        QTest::newRow("mixed-line-ends") << QByteArray("data: a\rdata: b\r\ndata: c\n\r\n")
                                         << QList<SseEvent>{sseEvent(QStringLiteral("a\nb\nc"))};
        QTest::newRow("multi-line-data") << QByteArray("data: first\ndata: second\ndata:\n\n")
                                         << QList<SseEvent>{sseEvent(QStringLiteral("first\nsecond\n"))};
        QTest::newRow("no-space-after-colon")
            << QByteArray("data:x\n\n") << QList<SseEvent>{sseEvent(QStringLiteral("x"))};
        QTest::newRow("only-one-space-stripped")
            << QByteArray("data:  x\n\n") << QList<SseEvent>{sseEvent(QStringLiteral(" x"))};
        QTest::newRow("comments-and-heartbeats") << QByteArray(": keep-alive\n\n:ping\ndata: x\n: mid\n\n")
                                                 << QList<SseEvent>{sseEvent(QStringLiteral("x"))};
        QTest::newRow("event-id-retry") << QByteArray("event: error\nid: 7\nretry: 3000\ndata: boom\n\ndata: next\n\n")
                                        << QList<SseEvent>{[] {
                                                               SseEvent e = sseEvent(QStringLiteral("boom"),
                                                                                     QStringLiteral("error"),
                                                                                     QStringLiteral("7"));
                                                               e.retryMs = 3000;
                                                               return e;
                                                           }(),
                                                           sseEvent(QStringLiteral("next"), QStringLiteral("message"),
                                                                    QStringLiteral("7"))};
        QTest::newRow("invalid-retry-ignored")
            << QByteArray("retry: 12a\ndata: x\n\n") << QList<SseEvent>{sseEvent(QStringLiteral("x"))};
        QTest::newRow("event-without-data-dropped")
            << QByteArray("event: ping\n\ndata: x\n\n") << QList<SseEvent>{sseEvent(QStringLiteral("x"))};
        QTest::newRow("field-without-colon") << QByteArray("data\n\n") << QList<SseEvent>{sseEvent(QString())};
        QTest::newRow("unknown-field-ignored")
            << QByteArray("foo: bar\ndata: x\n\n") << QList<SseEvent>{sseEvent(QStringLiteral("x"))};
        QTest::newRow("bom") << QByteArray("\xEF\xBB\xBF"
                                           "data: x\n\n")
                             << QList<SseEvent>{sseEvent(QStringLiteral("x"))};
        QTest::newRow("utf8-multibyte") << QByteArray("data: Привет, 世界 🙂\n\n")
                                        << QList<SseEvent>{sseEvent(QStringLiteral("Привет, 世界 🙂"))};
        QTest::newRow("unterminated-last-event-discarded")
            << QByteArray("data: x\n\ndata: partial") << QList<SseEvent>{sseEvent(QStringLiteral("x"))};
        QTest::newRow("id-with-nul-ignored")
            << QByteArray("id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n", 37)
            << QList<SseEvent>{sseEvent(QStringLiteral("a"), QStringLiteral("message"), QStringLiteral("1")),
                               sseEvent(QStringLiteral("b"), QStringLiteral("message"), QStringLiteral("1"))};
    }

    void framing()
    {
        QFETCH(QByteArray, stream);
        QFETCH(QList<SseEvent>, expected);
        verifyEverySplit(stream, expected);
    }

    void bom_onlyAtStreamStart()
    {
        const QList<SseEvent> events = decodeWhole("data: a\n\n\xEF\xBB\xBF"
                                                   "data: b\n\n");
        QCOMPARE(events.size(), 1); // the second "field" name is BOM+"data": unknown, ignored
        QCOMPARE(events.first().data, QStringLiteral("a"));
    }

    void invalidUtf8_isReplacedNotDropped()
    {
        const QList<SseEvent> events = decodeWhole("data: a\xFF"
                                                   "b\n\n");
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().data, QStringLiteral("a\uFFFDb"));
    }

    void partialEvent_isReported()
    {
        SseDecoder decoder;
        decoder.feed("data: {\"half\":");
        QVERIFY(decoder.hasPartialEvent());
        decoder.feed("1}\n\n");
        QVERIFY(!decoder.hasPartialEvent());
    }

    void oversizedLine_setsErrorInsteadOfGrowing()
    {
        SseDecoder decoder(1024);
        QList<SseEvent> events = decoder.feed(QByteArray("data: ").append(QByteArray(2000, 'x')));
        QVERIFY(events.isEmpty());
        QVERIFY(decoder.hasError());
        QVERIFY(!decoder.errorString().isEmpty());
        QVERIFY(decoder.feed("\n\n").isEmpty());
    }

    void oversizedEvent_setsError()
    {
        SseDecoder decoder(1024);
        QByteArray stream;
        for (int i = 0; i < 40; ++i)
            stream += QByteArray("data: ") + QByteArray(50, 'y') + '\n';
        decoder.feed(stream);
        QVERIFY(decoder.hasError());
    }
};

QTEST_GUILESS_MAIN(TestSseDecoder)
#include "tst_ssedecoder.moc"
