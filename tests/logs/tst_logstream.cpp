// SPDX-License-Identifier: GPL-3.0-or-later
// LogStream against apolo-sandbox: the drop-logs fault cuts every log connection after a few
// bytes; across all the reconnects no line may be lost, repeated or reordered.

#include "apolo/ApoloClient.h"
#include "logs/LogStream.h"
#include "support/SandboxFixture.h"
#include "support/TempConfig.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace ApoloDeploy;
using namespace ApoloDeploy::Logs;

class TestLogStream : public QObject
{
    Q_OBJECT

private:
    // A connected client for the sandbox's fixed cluster/org/project.
    static bool connectClient(ApoloClient &client, const Test::SandboxFixture &sandbox)
    {
        client.setApiUrl(sandbox.apiUrl());
        Credentials credentials;
        credentials.accessToken = QString::fromLatin1(sandbox.token());
        client.setCredentials(credentials);
        bool done = false;
        client.fetchConfig(&client, [&](const ApoloResult<ServerConfig> &result) {
            if (result.ok())
                client.setServerConfig(result.value());
            done = true;
        });
        if (!QTest::qWaitFor([&] { return done; }, 10000))
            return false;
        client.setScope({QString::fromLatin1(Test::SandboxFixture::clusterName),
                         QString::fromLatin1(Test::SandboxFixture::orgName),
                         QString::fromLatin1(Test::SandboxFixture::projectName)});
        return client.currentCluster() != nullptr;
    }

    // bash -c 'echo line-00001 …; sleep …; …': batches of echoes share a timestamp.
    static QString script(int lines, int linesPerBurst, const QString &pause, QStringList &expected)
    {
        QStringList commands;
        for (int i = 1; i <= lines; ++i) {
            const QString text = QStringLiteral("line-%1 ünïcödé ✓ payload").arg(i, 5, 10, QLatin1Char('0'));
            expected << text;
            commands << QStringLiteral("echo ") + text;
            if (i % linesPerBurst == 0)
                commands << QStringLiteral("sleep ") + pause;
        }
        return QStringLiteral("-c '") + commands.join(QStringLiteral("; ")) + QLatin1Char('\'');
    }

private Q_SLOTS:
    void burstBeyondTheMemoryCap_isBufferedOnDiskAndKeptInOrder()
    {
        // One network read can hand over megabytes; ingest() must return at once (no stall) and
        // the lines must still arrive complete and in order, with little memory held.
        LogStream::Options options;
        options.jobId = QStringLiteral("job-burst");
        options.spill = false;
        LogStream stream(nullptr, options);
        qint64 received = 0;
        bool inOrder = true;
        connect(&stream, &LogStream::linesReceived, this, [&](const QList<LogLine> &lines) {
            for (const LogLine &line : lines)
                inOrder = inOrder && line.text == QStringLiteral("INFO:     request %1 done").arg(received++);
        });
        const int total = 200000; // ~12 MB, three times the memory cap
        QByteArray chunk;
        for (int i = 0; i < total; ++i) {
            chunk += "2026-05-01T10:00:00." + QByteArray::number(i).rightJustified(9, '0') + "Z INFO:     request " +
                     QByteArray::number(i) + " done\n";
            if (chunk.size() > 60000 || i + 1 == total) {
                stream.ingest(chunk);
                chunk.clear();
            }
        }
        QCOMPARE(received, 0); // nothing processed inside ingest()
        QVERIFY(stream.pendingBytes() > LogStream::maxPendingBytes);
        QTRY_COMPARE_WITH_TIMEOUT(received, qint64(total), 60000);
        QVERIFY(inOrder);
        QCOMPARE(stream.pendingBytes(), 0);
    }

    void dropEveryFewBytes_noLineLostOrRepeated_data()
    {
        QTest::addColumn<int>("lines");
        QTest::addColumn<int>("linesPerBurst");
        QTest::addColumn<QString>("pause");
        QTest::addColumn<int>("dropAfterBytes");
        // The job is over before most reconnects: every connection replays from the archive.
        QTest::newRow("archive") << 1200 << 40 << QStringLiteral("0.2") << 1200;
        // Bursts 3 simulated seconds apart (30 ms at speed 100): connections are cut while the
        // job still prints, and resume across the archive/live separator.
        QTest::newRow("live") << 600 << 12 << QStringLiteral("3") << 700;
    }

    void dropEveryFewBytes_noLineLostOrRepeated()
    {
        QFETCH(int, lines);
        QFETCH(int, linesPerBurst);
        QFETCH(QString, pause);
        QFETCH(int, dropAfterBytes);
        Test::TempConfig config;
        Test::SandboxFixture::Options options;
        options.faults = QStringLiteral("drop-logs=%1").arg(dropAfterBytes);
        Test::SandboxFixture sandbox(options);
        QVERIFY2(sandbox.start(), qPrintable(sandbox.errorString()));
        ApoloClient client;
        QVERIFY(connectClient(client, sandbox));

        QStringList expected;
        const auto created = sandbox.createJob({{"image", "ubuntu:22.04"},
                                                {"entrypoint", "bash"},
                                                {"command", script(lines, linesPerBurst, pause, expected)}});
        QVERIFY2(created.status == 202, created.body.constData());
        const QString jobId = created.json().value(QLatin1String("id")).toString();

        QTemporaryDir spillDir;
        LogStream::Options streamOptions;
        streamOptions.jobId = jobId;
        streamOptions.label = QStringLiteral("echo");
        streamOptions.spillPath = spillDir.filePath(QStringLiteral("job.log"));
        streamOptions.retryDelaysMs = {5, 20, 50};
        LogStream stream(&client, streamOptions);
        QStringList received;
        connect(&stream, &LogStream::linesReceived, this, [&received](const QList<LogLine> &lines) {
            for (const LogLine &line : lines)
                received << line.text;
        });
        QSignalSpy ended(&stream, &LogStream::ended);
        stream.start();
        QTRY_VERIFY_WITH_TIMEOUT(ended.count() == 1 || stream.state() == LogStream::State::Failed, 90000);
        QCOMPARE(stream.state(), LogStream::State::Ended);

        QVERIFY2(stream.reconnects() >= 50, qPrintable(QString::number(stream.reconnects())));
        // Everything the job printed, once each and in order (extra lines from the container runtime allowed).
        QStringList echoed;
        for (const QString &text : std::as_const(received)) {
            if (text.startsWith(QLatin1String("line-")))
                echoed << text;
        }
        QCOMPARE(echoed.size(), expected.size());
        QCOMPARE(echoed, expected);

        // The spill file holds the same lines, and Save full log writes them without timestamps.
        const QString saved = spillDir.filePath(QStringLiteral("saved.log"));
        QString error;
        QVERIFY2(stream.saveFullLog(saved, false, &error), qPrintable(error));
        QFile file(saved);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());
        QVERIFY(text.contains(expected.constFirst() + QLatin1Char('\n')));
        QCOMPARE(text.count(QStringLiteral("line-")), expected.size());
        QVERIFY(!text.contains(QStringLiteral("Z line-")));
    }
};

QTEST_GUILESS_MAIN(TestLogStream)
#include "tst_logstream.moc"
