// SPDX-License-Identifier: GPL-3.0-or-later
// 1,000,000 realistic vLLM/Ray log lines from apolo-sandbox through the real stack into the view:
// three jobs (a deployment's head, worker and server) print a third each; a shown LogPane
// follows all three over the platform client (LogConnection WebSocket -> LogStream: assembly,
// resume filter, spill file, classifier -> LogFollower -> LogLineModel ring buffer ->
// LogFilterModel -> QListView), with the event loop running.
//
// Measured in the same run, on the same three streams:
//   raw      the bytes read over the same transport and dropped (newlines counted), with the
//            product's receive buffer and with the system's default one
//   stack    the real stack: lines per second, peak RSS growth, worst event-loop stall
//   plain    QPlainTextEdit::appendPlainText per line (capped like the view), the naive widget
// Targets (issue 6): stack >= 0.5 x raw, RSS growth < 150 MiB with the default cap, stall <= 50 ms.

#include "apolo/ApoloClient.h"
#include "apolo/LogConnection.h"
#include "logs/LogFollower.h"
#include "models/LogLineModel.h"
#include "support/SandboxFixture.h"
#include "support/TempConfig.h"
#include "ui/LogPane.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QNetworkAccessManager>
#include <QPlainTextEdit>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <cstdio>
#include <cstring>
#include <limits>

using namespace ApoloDeploy;

namespace {

// A deployment's head, worker and server. The sandbox's shell has no loops, so each job prints
// linesPerRun lines spelled out in its command and restarts (restart_policy always) until its
// log holds its share; the platform streams a log across container restarts.
const QStringList jobLabels{QStringLiteral("r1-head"), QStringLiteral("r1-worker"), QStringLiteral("r1-server")};
constexpr int linesPerRun = 1'000;
// BENCH_LOGS_LINES=N runs a shorter benchmark.
const qint64 wantedLines =
    qEnvironmentVariableIsSet("BENCH_LOGS_LINES") ? qEnvironmentVariable("BENCH_LOGS_LINES").toLongLong() : 1'000'000;

qint64 statusKiB(const char *key)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(key))
            return line.mid(qstrlen(key)).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

// VmHWM restarts from the current RSS (Linux >= 4.0), so each phase's peak is its own.
void resetPeakRss()
{
    QFile clear(QStringLiteral("/proc/self/clear_refs"));
    if (clear.open(QIODevice::WriteOnly))
        clear.write("5");
}

// Steady-state traffic of a 0.7.2 server behind Ray: requests, access log, stats, remote worker
// lines with ANSI colours, process prefixes and dedup suffixes, the odd warning.
QByteArray lineBody(qint64 n)
{
    const QByteArray id = QByteArray::number(0x5f3a9c00 + n, 16);
    switch (n % 10) {
    case 0:
        return "INFO 02-16 19:40:03 metrics.py:455] Avg prompt throughput: 3578.8 tokens/s, Avg generation "
               "throughput: 91.4 tokens/s, Running: 12 reqs, Swapped: 0 reqs, Pending: 3 reqs, GPU KV cache "
               "usage: 41.3%, CPU KV cache usage: 0.0%.";
    case 1:
    case 2: return "INFO:     10.0.0.5:51234 - \"POST /v1/chat/completions HTTP/1.1\" 200 OK";
    case 3:
        return "INFO 02-16 19:40:03 logger.py:39] Received request chatcmpl-" + id +
               ": prompt: '<｜begin▁of▁sentence｜><｜User｜>Explain pipeline parallelism in two "
               "sentences.<｜Assistant｜>', "
               "params: SamplingParams(n=1, temperature=0.6, top_p=0.95, max_tokens=2048), prompt_token_ids: None";
    case 4: return "INFO 02-16 19:40:03 engine.py:275] Added request chatcmpl-" + id + ".";
    case 5:
        return "\x1b[36m(RayWorkerWrapper pid=626, ip=10.244.1.107)\x1b[0m INFO 02-16 19:40:03 worker.py:267] step "
               "done in 41 ms\x1b[32m [repeated 7x across cluster]\x1b[0m";
    case 6:
        return "\x1b[36m(RayWorkerWrapper pid=3151)\x1b[0m DEBUG 02-16 19:40:03 model_runner.py:1434] batch of 12 "
               "sequences, 4096 tokens";
    case 7: return "INFO 02-16 19:40:03 engine.py:298] Finished request chatcmpl-" + id + ".";
    case 8:
        if (n % 1000 == 8)
            return "WARNING 02-16 19:40:03 scheduler.py:1560] Sequence group chatcmpl-" + id +
                   " is preempted by PreemptionMode.RECOMPUTE mode because there is not enough KV cache space.";
        return "INFO:     10.0.0.7:40112 - \"GET /metrics HTTP/1.1\" 200 OK";
    default: return "INFO 02-16 19:40:04 async_llm_engine.py:178] Finished request chatcmpl-" + id + ".";
    }
}

// The job's command: bash -c 'echo "<linesPerRun lines>"' (the sandbox's shell unfolds it).
QString jobCommand(qint64 firstLine)
{
    QByteArray script = "echo \"";
    for (qint64 k = firstLine; k < firstLine + linesPerRun; ++k) {
        QByteArray body = lineBody(k);
        for (const char *special : {"\\", "\"", "$", "`"})
            body.replace(special, QByteArray("\\").append(special));
        script += body;
        if (k + 1 < firstLine + linesPerRun)
            script += '\n';
    }
    script += '"';
    script.replace("'", "'\"'\"'");
    return QStringLiteral("-c '") + QString::fromUtf8(script) + QLatin1Char('\'');
}

// Gaps between firings of a 5 ms timer: the longest stretch the event loop could not run.
class StallMeter : public QObject
{
public:
    StallMeter()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(5);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            m_worstNs = qMax(m_worstNs, m_clock.nsecsElapsed());
            m_clock.restart();
        });
    }
    void start()
    {
        m_worstNs = 0;
        m_clock.start();
        m_timer.start();
    }
    double stopWorstMs()
    {
        m_timer.stop();
        return m_worstNs / 1e6;
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_worstNs = 0;
};

struct Result
{
    double linesPerSecond = 0;
    double worstStallMs = 0;
    double rssGrowthMiB = 0;
    qint64 lines = 0;
};

bool connectClient(ApoloClient &client, const Test::SandboxFixture &sandbox)
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

// Runs the event loop (no polling, no sleeps) until done() says so; false after timeoutMs.
template <typename Done> bool runUntil(QEventLoop &loop, Done done, int timeoutMs)
{
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, &loop, [&loop] { loop.exit(1); });
    timeout.start(timeoutMs);
    if (done())
        return true;
    return loop.exec() == 0;
}

// Opens every job's log stream over LogConnection and hands the bytes to sink(stream, chunk),
// which returns the number of lines it consumed, until all streams ended or enough lines came.
// receiveBufferBytes: the kernel buffer LogConnection asks for (0 = the system's default).
template <typename Sink>
Result readStreams(ApoloClient &client, const QStringList &jobIds, qint64 stopAfterLines, int receiveBufferBytes,
                   Sink sink)
{
    QNetworkAccessManager network; // only for LogConnection's HTTP fallback
    Result result;
    StallMeter stalls;
    QElapsedTimer clock;
    QEventLoop loop;
    int open = 0;
    const auto check = [&] {
        if (open == 0 || result.lines >= stopAfterLines)
            loop.exit(0);
    };
    QList<LogConnection *> connections;
    for (int i = 0; i < jobIds.size(); ++i) {
        // As ApoloClient::createLogConnection() makes them, with the buffer under test.
        LogConnection::Options options;
        options.monitoringUrl = client.currentCluster()->monitoringUrl;
        options.jobId = jobIds.at(i);
        options.accessToken = client.credentials().accessToken;
        options.receiveBufferBytes = receiveBufferBytes;
        auto *connection = new LogConnection(&network, options);
        connections << connection;
        QObject::connect(connection, &LogConnection::bytes, connection, [&, i](const QByteArray &chunk) {
            result.lines += sink(i, chunk);
            check();
        });
        QObject::connect(connection, &LogConnection::finished, connection, [&] {
            --open;
            check();
        });
    }
    resetPeakRss();
    const qint64 rssBefore = statusKiB("VmRSS:");
    clock.start();
    stalls.start();
    for (LogConnection *connection : std::as_const(connections)) {
        ++open;
        connection->open();
    }
    runUntil(
        loop, [&] { return false; }, 600000);
    result.linesPerSecond = result.lines / (clock.nsecsElapsed() / 1e9);
    result.worstStallMs = stalls.stopWorstMs();
    result.rssGrowthMiB = (statusKiB("VmHWM:") - rssBefore) / 1024.0;
    qDeleteAll(connections);
    return result;
}

Result realStack(ApoloClient &client, const QStringList &jobIds, const QStringList &labels)
{
    resetPeakRss();
    const qint64 rssBefore = statusKiB("VmRSS:");
    auto *pane = new LogPane;
    pane->resize(1280, 720);
    pane->show();
    pane->setClient(&client);
    Result result;
    QObject::connect(pane->follower(), &Logs::LogFollower::linesReceived, pane,
                     [&result](const QList<Logs::LogLine> &lines) { result.lines += lines.size(); });
    int ended = 0;
    QEventLoop loop;
    // Done when every stream has ended and the view shows its last batch.
    const auto done = [&] { return ended == jobIds.size() && pane->lineModel()->queuedLines() == 0; };
    const auto check = [&] {
        if (done())
            loop.exit(0);
    };
    QObject::connect(pane->follower(), &Logs::LogFollower::streamEnded, pane, [&] {
        ++ended;
        check();
    });
    QObject::connect(pane->lineModel(), &LogLineModel::linesFlushed, pane, check);
    StallMeter stalls;
    QElapsedTimer clock;
    clock.start();
    stalls.start();
    for (int i = 0; i < jobIds.size(); ++i)
        pane->followJob(jobIds.at(i), labels.at(i));
    runUntil(loop, done, 600000);
    result.linesPerSecond = result.lines / (clock.nsecsElapsed() / 1e9);
    result.worstStallMs = stalls.stopWorstMs();
    result.rssGrowthMiB = (statusKiB("VmHWM:") - rssBefore) / 1024.0;
    std::printf("  view: %d rows, %lld dropped by the cap; spilled %lld lines\n", pane->lineModel()->rowCount(),
                static_cast<long long>(pane->lineModel()->droppedLines()),
                static_cast<long long>(pane->follower()->stream(jobIds.constFirst())->spillFile()->linesWritten()));
    delete pane;
    return result;
}

} // namespace

int main(int argc, char *argv[])
{
    // Spill files and settings go to throw-away folders.
    QTemporaryDir cache;
    qputenv("XDG_CACHE_HOME", cache.path().toLocal8Bit());
    QApplication app(argc, argv);
    Test::TempConfig config;

    Test::SandboxFixture::Options options;
    options.speed = 1000;
    Test::SandboxFixture sandbox(options);
    ApoloClient client;
    if (!sandbox.start() || !connectClient(client, sandbox)) {
        std::fprintf(stderr, "bench_logs: apolo-sandbox did not start: %s\n", qPrintable(sandbox.errorString()));
        return 2;
    }
    // Start the jobs, let them print (and restart) until the logs hold the lines, then kill them:
    // every measurement below reads the same complete logs.
    QStringList jobIds;
    const QStringList &labels = jobLabels;
    QElapsedTimer setup;
    setup.start();
    for (int i = 0; i < labels.size(); ++i) {
        const auto created = sandbox.createJob({{"image", "vllm/vllm-openai:v0.7.2"},
                                                {"entrypoint", "bash"},
                                                {"command", jobCommand(i * linesPerRun)},
                                                {"name", labels.at(i)},
                                                {"restart_policy", "always"}});
        if (created.status != 202) {
            std::fprintf(stderr, "bench_logs: creating a job failed: %d %s\n", created.status,
                         created.body.left(300).constData());
            return 2;
        }
        jobIds << created.json().value(QLatin1String("id")).toString();
    }
    const qint64 runsPerJob = (wantedLines + linesPerRun * labels.size() - 1) / (linesPerRun * labels.size());
    for (const QString &jobId : std::as_const(jobIds)) {
        const QDeadlineTimer deadline(300000);
        while (sandbox.get(QStringLiteral("jobs/") + jobId)
                   .json()
                   .value(QLatin1String("history"))
                   .toObject()
                   .value(QLatin1String("restarts"))
                   .toInteger() < runsPerJob) {
            if (deadline.hasExpired()) {
                std::fprintf(stderr, "bench_logs: job %s did not print its lines in time\n", qPrintable(jobId));
                return 2;
            }
            QTest::qWait(50); // setup only: polls the job's restart count
        }
    }
    for (const QString &jobId : std::as_const(jobIds)) {
        sandbox.send("DELETE", QStringLiteral("jobs/") + jobId);
        if (sandbox.waitForStatus(jobId, QStringLiteral("cancelled"), 30000)
                .value(QLatin1String("status"))
                .toString() != QLatin1String("cancelled")) {
            std::fprintf(stderr, "bench_logs: job %s was not cancelled\n", qPrintable(jobId));
            return 2;
        }
    }
    std::printf("bench_logs: %lld jobs x >= %lld runs x %d lines printed in apolo-sandbox (%.1f s), view cap %d\n",
                static_cast<long long>(labels.size()), static_cast<long long>(runsPerJob), linesPerRun,
                setup.elapsed() / 1000.0, LogLineModel::defaultCap);

    // BENCH_LOGS_STACK_ONLY=1 skips the baselines (for profiling the stack).
    const bool stackOnly = qEnvironmentVariableIntValue("BENCH_LOGS_STACK_ONLY") == 1;
    if (stackOnly) {
        const Result stack = realStack(client, jobIds, labels);
        std::printf("  real stack into LogPane    %10.0f lines/s, RSS growth %.1f MiB, worst stall %.1f ms\n",
                    stack.linesPerSecond, stack.rssGrowthMiB, stack.worstStallMs);
        return 0;
    }
    // The raw read, twice: with the receive buffer the product uses and with the system's default
    // (bigger reads, fewer system calls). The ratio is taken against the faster one.
    const auto countLines = [](int, const QByteArray &chunk) {
        qint64 lines = 0;
        for (const char *p = chunk.constData();
             (p = static_cast<const char *>(std::memchr(p, '\n', size_t(chunk.constEnd() - p)))); ++p)
            ++lines;
        return lines;
    };
    const int productBuffer = LogConnection::Options().receiveBufferBytes;
    const Result rawProduct =
        readStreams(client, jobIds, std::numeric_limits<qint64>::max(), productBuffer, countLines);
    const Result rawDefault = readStreams(client, jobIds, std::numeric_limits<qint64>::max(), 0, countLines);
    const Result &raw = rawProduct.linesPerSecond >= rawDefault.linesPerSecond ? rawProduct : rawDefault;
    const Result stack = realStack(client, jobIds, labels);

    // The naive widget: split the same streams into lines and append each one. It is slow, so it
    // reads the first quarter of every stream (past the view's cap, so block removal is included).
    QPlainTextEdit edit;
    edit.setMaximumBlockCount(LogLineModel::defaultCap);
    edit.resize(1280, 720);
    edit.show();
    QList<QByteArray> partial(jobIds.size());
    const Result plain = readStreams(
        client, jobIds, raw.lines / 4, productBuffer, [&edit, &partial](int stream, const QByteArray &chunk) {
            QByteArray &rest = partial[stream];
            rest += chunk;
            qint64 lines = 0;
            qsizetype start = 0;
            for (qsizetype end; (end = rest.indexOf('\n', start)) >= 0; start = end + 1, ++lines)
                edit.appendPlainText(QString::fromUtf8(rest.constData() + start, end - start));
            rest.remove(0, start);
            return lines;
        });

    std::printf(
        "  raw stream to nowhere      %10.0f lines/s  (%lld lines; stall %.1f ms) with a %d KiB receive buffer\n",
        rawProduct.linesPerSecond, static_cast<long long>(rawProduct.lines), rawProduct.worstStallMs,
        productBuffer / 1024);
    std::printf("  raw stream to nowhere      %10.0f lines/s  (%lld lines; stall %.1f ms) with the system's buffer\n",
                rawDefault.linesPerSecond, static_cast<long long>(rawDefault.lines), rawDefault.worstStallMs);
    std::printf("  real stack into LogPane    %10.0f lines/s  (%lld lines) = %.2f x raw (target >= 0.50)\n",
                stack.linesPerSecond, static_cast<long long>(stack.lines), stack.linesPerSecond / raw.linesPerSecond);
    std::printf("  QPlainTextEdit per line    %10.0f lines/s  (%lld lines) -> stack is %.1f x faster\n",
                plain.linesPerSecond, static_cast<long long>(plain.lines), stack.linesPerSecond / plain.linesPerSecond);
    std::printf("  peak RSS growth            stack %.1f MiB (target < 150), QPlainTextEdit %.1f MiB\n",
                stack.rssGrowthMiB, plain.rssGrowthMiB);
    std::printf("  worst event-loop stall     stack %.1f ms (target <= 50), QPlainTextEdit %.1f ms\n",
                stack.worstStallMs, plain.worstStallMs);
    // The stack must deliver every line the raw read saw, once.
    const bool complete = raw.lines >= wantedLines && stack.lines == raw.lines && rawDefault.lines == rawProduct.lines;
    if (!complete)
        std::printf("  INCOMPLETE: raw %lld (system buffer %lld), stack %lld lines\n",
                    static_cast<long long>(rawProduct.lines), static_cast<long long>(rawDefault.lines),
                    static_cast<long long>(stack.lines));
    return complete ? 0 : 1;
}
