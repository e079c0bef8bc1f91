// SPDX-License-Identifier: GPL-3.0-or-later
// LogLineModel: batched flushes, the ring-buffer cap and its truncation count, under
// QAbstractItemModelTester.

#include "models/LogLineModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace ApoloDeploy;
using Logs::LogLine;

class TestLogLineModel : public QObject
{
    Q_OBJECT

private:
    static QList<LogLine> lines(int first, int count)
    {
        QList<LogLine> out;
        for (int i = first; i < first + count; ++i) {
            LogLine line;
            line.number = i;
            line.text = QStringLiteral("line %1").arg(i);
            line.job = QStringLiteral("vllm");
            out << line;
        }
        return out;
    }

private Q_SLOTS:
    void append_isBatchedUntilTheTimer()
    {
        LogLineModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        for (int i = 0; i < 50; ++i)
            model.appendLines(lines(i * 10, 10));
        QCOMPARE(model.rowCount(), 0);
        QTRY_COMPARE(model.rowCount(), 500);
        QCOMPARE(inserted.count(), 1); // one insert for 50 appends
        QCOMPARE(model.index(499).data(LogLineModel::TextRole).toString(), QStringLiteral("line 499"));
    }

    void bigFlush_goesInSteps_andLaterLinesWaitForTheNextInterval()
    {
        LogLineModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setCap(3 * LogLineModel::linesPerStep);
        model.setFlushInterval(50);
        QSignalSpy flushed(&model, &LogLineModel::linesFlushed);
        const int total = 2 * LogLineModel::linesPerStep + 100;
        model.appendLines(lines(0, total));
        QVERIFY(flushed.wait());
        // The first step inserts one step's worth; the rest follows on the next turns.
        QCOMPARE(flushed.first().at(0).toInt(), LogLineModel::linesPerStep);
        model.appendLines(lines(total, 10)); // arrives during the flush
        QTRY_COMPARE(model.rowCount(), total);
        QCOMPARE(flushed.count(), 3);
        QCOMPARE(flushed.last().at(0).toInt(), 100);
        QCOMPARE(model.queuedLines(), 10); // waits for the next interval, not another step
        QTRY_COMPARE(model.rowCount(), total + 10);
        for (int row = 1; row < model.rowCount(); ++row)
            QCOMPARE(model.lineAt(row).number, model.lineAt(row - 1).number + 1);
    }

    void cap_dropsOldestAndCountsThem()
    {
        LogLineModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setCap(1000);
        int number = 0;
        for (int round = 0; round < 7; ++round) {
            model.appendLines(lines(number, 333));
            number += 333;
            model.flush();
            QVERIFY(model.rowCount() <= 1000);
            // Rows stay in stream order across the ring's wrap-around.
            for (int row = 1; row < model.rowCount(); ++row)
                QCOMPARE(model.lineAt(row).number, model.lineAt(row - 1).number + 1);
            QCOMPARE(model.lineAt(model.rowCount() - 1).number, number - 1);
        }
        QCOMPARE(model.rowCount(), 1000);
        QCOMPARE(model.droppedLines(), 7 * 333 - 1000);
    }

    void burstLargerThanCap_keepsOnlyTheNewest()
    {
        LogLineModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setCap(1000);
        model.appendLines(lines(0, 2500));
        QCOMPARE(model.queuedLines(), 1000);
        model.flush();
        QCOMPARE(model.rowCount(), 1000);
        QCOMPARE(model.lineAt(0).number, 1500);
        QCOMPARE(model.droppedLines(), 1500);
    }

    void setCap_smaller_keepsNewestInOrder()
    {
        LogLineModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setCap(2000);
        for (int i = 0; i < 5; ++i) {
            model.appendLines(lines(i * 700, 700));
            model.flush();
        }
        model.setCap(1000);
        QCOMPARE(model.rowCount(), 1000);
        QCOMPARE(model.lineAt(0).number, 2500);
        QCOMPARE(model.lineAt(999).number, 3499);
        model.appendLines(lines(3500, 10));
        model.flush();
        QCOMPARE(model.lineAt(999).number, 3509);
    }

    void display_formatsOriginAndRepeat()
    {
        LogLine line;
        line.job = QStringLiteral("ray-head");
        line.source = QStringLiteral("pid=7");
        line.text = QStringLiteral("hello");
        line.repeat = 3;
        QCOMPARE(LogLineModel::formatLine(line, false), QStringLiteral("[ray-head · pid=7]  hello  ×3"));
    }

    void clear_resets()
    {
        LogLineModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.appendLines(lines(0, 10));
        model.flush();
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.droppedLines(), 0);
    }
};

QTEST_GUILESS_MAIN(TestLogLineModel)
#include "tst_loglinemodel.moc"
