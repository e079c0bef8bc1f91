// SPDX-License-Identifier: GPL-3.0-or-later
#include "ApoloTestData.h"
#include "apolo/JobsNdjsonDecoder.h"

#include <QTest>

using namespace ApoloDeploy;

class tst_JobsNdjsonDecoder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void feed_splitAtEveryByteBoundary()
    {
        const QByteArray stream = apoloFixture("jobs-list.ndjson");
        for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
            JobsNdjsonDecoder decoder;
            QList<Job> jobs = decoder.feed(stream.left(cut));
            jobs += decoder.feed(stream.mid(cut));
            jobs += decoder.finish();
            QVERIFY2(!decoder.hasError(), qPrintable(decoder.error().toString()));
            QCOMPARE(jobs.size(), 2);
            QCOMPARE(jobs.at(0).name, QStringLiteral("ray-head"));
            QCOMPARE(jobs.at(1).status, JobStatus::Cancelled);
        }
    }

    void feed_byteByByteEmitsJobsAsLinesComplete()
    {
        const QByteArray stream = apoloFixture("jobs-list.ndjson");
        const qsizetype firstNewline = stream.indexOf('\n');
        JobsNdjsonDecoder decoder;
        int decoded = 0;
        for (qsizetype i = 0; i < stream.size(); ++i) {
            decoded += decoder.feed(stream.mid(i, 1)).size();
            QCOMPARE(decoded, i >= firstNewline ? (i == stream.size() - 1 ? 2 : 1) : 0);
        }
        QCOMPARE(decoder.bufferedBytes(), 0);
    }

    void finish_decodesTrailingErrorWithoutNewline()
    {
        const QByteArray stream = apoloFixture("jobs-list-error.ndjson");
        for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
            JobsNdjsonDecoder decoder;
            QList<Job> jobs = decoder.feed(stream.left(cut));
            jobs += decoder.feed(stream.mid(cut));
            jobs += decoder.finish();
            QCOMPARE(jobs.size(), 1);
            QVERIFY(decoder.hasError());
            QCOMPARE(decoder.error().kind, ApoloError::Kind::Server);
            QVERIFY(decoder.error().message.startsWith(QStringLiteral("Unexpected exception RuntimeError")));
        }
    }

    void feed_crlfAndBlankLinesAreTolerated()
    {
        JobsNdjsonDecoder decoder;
        const QList<Job> jobs = decoder.feed("\r\n{\"id\": \"job-a\", \"status\": \"pending\"}\r\n\n");
        QCOMPARE(jobs.size(), 1);
        QCOMPARE(jobs.first().status, JobStatus::Pending);
    }

    void feed_garbageStopsDecoding()
    {
        JobsNdjsonDecoder decoder;
        QVERIFY(decoder.feed("<html>\n{\"id\": \"job-a\", \"status\": \"running\"}\n").isEmpty());
        QCOMPARE(decoder.error().kind, ApoloError::Kind::Protocol);
        QVERIFY(decoder.feed("{\"id\": \"job-b\", \"status\": \"running\"}\n").isEmpty());
    }

    void feed_boundsAnEndlessLine()
    {
        JobsNdjsonDecoder decoder;
        const QByteArray block(1024 * 1024, 'x');
        for (int i = 0; i < 5 && !decoder.hasError(); ++i)
            decoder.feed(block);
        QVERIFY(decoder.hasError());
        QCOMPARE(decoder.bufferedBytes(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_JobsNdjsonDecoder)
#include "tst_jobsndjsondecoder.moc"
