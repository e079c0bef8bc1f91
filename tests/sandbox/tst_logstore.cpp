// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/LogStore.h"
#include "sandbox/SimClock.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

using namespace ApoloDeploy::Sandbox;

class TstLogStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void append_splitsLinesAndKeepsPartialUntilClose()
    {
        QTemporaryDir dir;
        LogStore store(dir.filePath(QStringLiteral("a.log")));
        store.append("one\ntw", 1'000'000'000);
        QCOMPARE(store.lineCount(), 1);
        store.append("o\nthree", 2'000'000'000);
        QCOMPARE(store.lineCount(), 2);
        QVERIFY(!store.isClosed());
        store.close(3'000'000'000);
        QVERIFY(store.isClosed());
        const QByteArray all = store.read(0, 1 << 20);
        QCOMPARE(all, SimClock::logTimestamp(1'000'000'000) + " one\n" + SimClock::logTimestamp(2'000'000'000) +
                          " two\n" + SimClock::logTimestamp(3'000'000'000) + " three\n");
    }

    void millionLines_boundedMemoryAndFastSeek()
    {
        QTemporaryDir dir;
        LogStore store(dir.filePath(QStringLiteral("big.log")));
        QElapsedTimer timer;
        timer.start();
        QByteArray batch;
        const qint64 base = 1'700'000'000'000'000'000LL;
        for (int i = 0; i < 1'000'000; ++i) {
            batch += "INFO line number " + QByteArray::number(i) + '\n';
            if (batch.size() > 64 * 1024) {
                store.append(batch, base + qint64(i) * 1'000'000);
                batch.clear();
            }
        }
        store.append(batch, base + 1'000'000LL * 1'000'000);
        store.close(base + 1'000'001LL * 1'000'000);
        const qint64 appendMs = timer.elapsed();
        QCOMPARE(store.lineCount(), 1'000'000);
        // A `since` in the middle seeks near it instead of scanning from the start.
        const QByteArray since = SimClock::logTimestamp(base + 900'000LL * 1'000'000);
        const qint64 offset = store.seekOffset(since);
        QVERIFY(offset > store.size() / 2);
        const QByteArray records = store.read(offset, 64 * 1024);
        QVERIFY(records.left(LogStore::kTimestampSize) <= since);
        QVERIFY(records.endsWith('\n'));
        qInfo("appended 1,000,000 lines in %lld ms, file %lld bytes", appendMs, store.size());
        QVERIFY(appendMs < 20000);
    }
};

QTEST_GUILESS_MAIN(TstLogStore)
#include "tst_logstore.moc"
