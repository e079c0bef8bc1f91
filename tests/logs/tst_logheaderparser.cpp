// SPDX-License-Identifier: GPL-3.0-or-later
// parseLogHeader: vLLM 0.7.x and >= 0.8 headers, uvicorn, Ray CLI, Python warnings, NCCL.

#include "logs/LogHeaderParser.h"
#include "support/TextMutations.h"

#include <QRegularExpression>
#include <QTest>

using namespace ApoloDeploy::Logs;
using Format = LogHeader::Format;

Q_DECLARE_METATYPE(LogLevel)
Q_DECLARE_METATYPE(LogHeader::Format)

class TestLogHeaderParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The vLLM and uvicorn headers are parsed by hand for speed; the regexes they replaced are
    // the specification. Real headers, cut and mutated character by character, must get the
    // same answer from both.
    void handParser_agreesWithTheRegexItReplaced()
    {
        const QRegularExpression vllm(QStringLiteral(
            R"(^(DEBUG|INFO|WARNING|ERROR|CRITICAL) \d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \[?([\w./-]+\.py):\d+\] ?)"));
        const QRegularExpression uvicorn(QStringLiteral(R"(^(DEBUG|INFO|WARNING|ERROR|CRITICAL|TRACE):\s+)"));
        const QStringList seeds{
            QStringLiteral("INFO 02-10 21:55:01 worker.py:267] Memory profiling takes 8.01 seconds"),
            QStringLiteral("WARNING 04-20 16:47:03 [config.py:1600] careful"),
            QStringLiteral("ERROR 04-20 16:47:03.123 [v1/engine/core.py:7] boom"),
            QStringLiteral("CRITICAL 12-31 23:59:59 my-module/x_y.py:1]x"),
            QStringLiteral("DEBUG 01-01 00:00:00 a.py:12]"),
            QStringLiteral("INFO:     Application startup complete."),
            QStringLiteral("TRACE:\tx"),
            QStringLiteral("ERROR:    [Errno 98] error while attempting to bind"),
        };
        const QString alphabet = QStringLiteral("IW:[] .-_/0123456789apyNFO\t\u00e9");
        for (const QString &text : ApoloDeploy::Test::textMutations(seeds, alphabet, 3000)) {
            const LogHeader header = parseLogHeader(text);
            const auto vllmMatch = vllm.match(text);
            if (vllmMatch.hasMatch()) {
                QCOMPARE(header.format, Format::Vllm);
                QCOMPARE(header.file.toString(), vllmMatch.captured(2));
                QCOMPARE(header.message.toString(), text.mid(vllmMatch.capturedLength()));
            } else if (const auto uvicornMatch = uvicorn.match(text); uvicornMatch.hasMatch()) {
                QCOMPARE(header.format, Format::Uvicorn);
                QCOMPARE(header.message.toString(), text.mid(uvicornMatch.capturedLength()));
            } else {
                QVERIFY2(header.format != Format::Vllm && header.format != Format::Uvicorn, qPrintable(text));
            }
        }
    }

    void parse_knownFormats_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<Format>("format");
        QTest::addColumn<LogLevel>("level");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("message");
        QTest::newRow("vllm 0.7") << QStringLiteral(
                                         "INFO 02-10 21:55:01 worker.py:267] Memory profiling takes 8.01 seconds")
                                  << Format::Vllm << LogLevel::Info << QStringLiteral("worker.py")
                                  << QStringLiteral("Memory profiling takes 8.01 seconds");
        QTest::newRow("vllm 0.8") << QStringLiteral("WARNING 04-20 16:47:03 [config.py:1600] careful") << Format::Vllm
                                  << LogLevel::Warning << QStringLiteral("config.py") << QStringLiteral("careful");
        QTest::newRow("vllm millis") << QStringLiteral("ERROR 04-20 16:47:03.123 [core.py:7] boom") << Format::Vllm
                                     << LogLevel::Error << QStringLiteral("core.py") << QStringLiteral("boom");
        QTest::newRow("vllm empty msg") << QStringLiteral("INFO 02-16 19:33:51 api_server.py:756]") << Format::Vllm
                                        << LogLevel::Info << QStringLiteral("api_server.py") << QString();
        QTest::newRow("uvicorn") << QStringLiteral("INFO:     Application startup complete.") << Format::Uvicorn
                                 << LogLevel::Info << QString() << QStringLiteral("Application startup complete.");
        QTest::newRow("uvicorn error") << QStringLiteral("ERROR:    [Errno 98] error while attempting to bind")
                                       << Format::Uvicorn << LogLevel::Error << QString()
                                       << QStringLiteral("[Errno 98] error while attempting to bind");
        QTest::newRow("ray cli") << QStringLiteral(
                                        "2024-12-12 05:27:54,657 SUCC scripts.py:860 -- Ray runtime started.")
                                 << Format::Ray << LogLevel::Info << QStringLiteral("scripts.py")
                                 << QStringLiteral("Ray runtime started.");
        QTest::newRow("ray driver") << QStringLiteral("2025-02-16 19:30:30,101\tINFO worker.py:1654 -- Connecting to "
                                                      "existing Ray cluster at address: 10.0.0.1:6379...")
                                    << Format::Ray << LogLevel::Info << QStringLiteral("worker.py")
                                    << QStringLiteral(
                                           "Connecting to existing Ray cluster at address: 10.0.0.1:6379...");
        QTest::newRow("ray no date") << QStringLiteral("INFO worker.py:1832 -- Connected to Ray cluster.")
                                     << Format::Ray << LogLevel::Info << QStringLiteral("worker.py")
                                     << QStringLiteral("Connected to Ray cluster.");
        QTest::newRow("python warning") << QStringLiteral("/usr/lib/python3/x.py:12: FutureWarning: old api")
                                        << Format::PythonWarning << LogLevel::Warning << QString()
                                        << QStringLiteral("old api");
        QTest::newRow("nccl") << QStringLiteral(
                                     "node1:2:3 [0] NCCL WARN socketStartConnect: Connect to 10.3.44.2<56159> failed")
                              << Format::Nccl << LogLevel::Warning << QString()
                              << QStringLiteral("NCCL WARN socketStartConnect: Connect to 10.3.44.2<56159> failed");
        QTest::newRow("autoscaler") << QStringLiteral("Error: No available node types can fulfill resource request")
                                    << Format::Plain << LogLevel::Error << QString()
                                    << QStringLiteral("No available node types can fulfill resource request");
        QTest::newRow("plain") << QStringLiteral("Local node IP: 10.244.2.62") << Format::None << LogLevel::Unknown
                               << QString() << QStringLiteral("Local node IP: 10.244.2.62");
        QTest::newRow("empty") << QString() << Format::None << LogLevel::Unknown << QString() << QString();
    }

    void parse_knownFormats()
    {
        QFETCH(QString, text);
        QFETCH(Format, format);
        QFETCH(LogLevel, level);
        QFETCH(QString, file);
        QFETCH(QString, message);
        const LogHeader header = parseLogHeader(text);
        QCOMPARE(header.format, format);
        QCOMPARE(header.level, level);
        QCOMPARE(header.file.toString(), file);
        QCOMPARE(header.message.toString(), message);
    }
};

QTEST_GUILESS_MAIN(TestLogHeaderParser)
#include "tst_logheaderparser.moc"
