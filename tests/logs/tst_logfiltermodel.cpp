// SPDX-License-Identifier: GPL-3.0-or-later
// LogFilterModel: level, origin and regex filters over a live LogLineModel.

#include "models/LogFilterModel.h"
#include "models/LogLineModel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace ApoloDeploy;
using Logs::LogLevel;
using Logs::LogLine;

class TestLogFilterModel : public QObject
{
    Q_OBJECT

private:
    static LogLine make(const char *job, LogLevel level, const char *text)
    {
        LogLine line;
        line.job = QString::fromLatin1(job);
        line.level = level;
        line.text = QString::fromLatin1(text);
        return line;
    }

private Q_SLOTS:
    void filters_combine()
    {
        LogLineModel lines;
        LogFilterModel filter;
        filter.setSourceModel(&lines);
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        lines.appendLines({make("ray-head", LogLevel::Unknown, "Ray runtime started."),
                           make("vllm", LogLevel::Info, "Loading model weights took 19.39 GB"),
                           make("vllm", LogLevel::Warning, "Async output processing can not be enabled"),
                           make("vllm", LogLevel::Error, "NCCL error: unhandled system error"),
                           make("ray-worker", LogLevel::Error, "Unable to connect to GCS")});
        lines.flush();
        QCOMPARE(filter.rowCount(), 5);

        filter.setMinimumLevel(LogLevel::Warning);
        QCOMPARE(filter.rowCount(), 3);
        filter.setOrigins({QStringLiteral("vllm")});
        QCOMPARE(filter.rowCount(), 2);
        filter.setTextPattern(QStringLiteral("nccl"));
        QCOMPARE(filter.rowCount(), 1);
        filter.setTextPattern(QStringLiteral("nccl"), true);
        QCOMPARE(filter.rowCount(), 0);

        filter.setTextPattern(QStringLiteral("(unclosed"));
        QVERIFY(!filter.patternError().isEmpty());
        QCOMPARE(filter.rowCount(), 2); // an invalid pattern filters nothing

        filter.setTextPattern(QString());
        filter.setOrigins({});
        filter.setMinimumLevel(LogLevel::Unknown);
        // New lines pass through the live filter.
        filter.setMinimumLevel(LogLevel::Error);
        lines.appendLines({make("vllm", LogLevel::Info, "ok"), make("vllm", LogLevel::Critical, "boom")});
        lines.flush();
        QCOMPARE(filter.rowCount(), 3);
    }

    void ringWrapAround_keepsTheProxyConsistent()
    {
        // The cap pushes rows out at the top while new ones arrive at the bottom, with a filter on.
        LogLineModel lines;
        lines.setCap(1000);
        LogFilterModel filter;
        filter.setSourceModel(&lines);
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        filter.setMinimumLevel(LogLevel::Warning);
        int number = 0;
        for (int round = 0; round < 6; ++round) {
            QList<LogLine> batch;
            for (int i = 0; i < 450; ++i, ++number) {
                LogLine line = make("vllm", number % 3 == 0 ? LogLevel::Warning : LogLevel::Info, "x");
                line.number = number;
                batch << line;
            }
            lines.appendLines(batch);
            lines.flush();
            int expected = 0;
            for (int row = 0; row < lines.rowCount(); ++row)
                expected += lines.lineAt(row).number % 3 == 0 ? 1 : 0;
            QCOMPARE(filter.rowCount(), expected);
            const QModelIndex last = filter.index(filter.rowCount() - 1, 0);
            QCOMPARE(last.data(LogLineModel::LineNumberRole).toLongLong(), qint64(number - 1 - (number - 1) % 3));
        }
        QCOMPARE(lines.rowCount(), 1000);
    }

    void unknownLevel_countsAsInfo()
    {
        LogLineModel lines;
        LogFilterModel filter;
        filter.setSourceModel(&lines);
        lines.appendLines({make("j", LogLevel::Unknown, "plain"), make("j", LogLevel::Debug, "debug")});
        lines.flush();
        filter.setMinimumLevel(LogLevel::Info);
        QCOMPARE(filter.rowCount(), 1);
    }
};

QTEST_GUILESS_MAIN(TestLogFilterModel)
#include "tst_logfiltermodel.moc"
