// SPDX-License-Identifier: GPL-3.0-or-later
// 1,000,000 realistic vLLM/Ray log lines through the real stack (LogStream::ingest -> classifier ->
// LogFollower -> LogLineModel ring buffer -> LogFilterModel -> QListView in a shown LogPane), with
// the event loop running. Measured in the same run: lines per second, peak RSS growth (VmHWM),
// and the worst event-loop stall (gaps between firings of a 0 ms timer), against two baselines:
// the same byte stream read raw to nowhere, and QPlainTextEdit::appendPlainText per line.

#include "logs/LogFollower.h"
#include "models/LogLineModel.h"
#include "support/TempConfig.h"
#include "ui/LogPane.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QPlainTextEdit>
#include <QTimer>

#include <cstdio>
#include <cstring>

using namespace ApoloDeploy;

namespace {

constexpr qint64 totalLines = 1'000'000;
constexpr qint64 plainTextEditLines = 50'000; // the per-line baseline is slow; extrapolated
constexpr int linesPerFrame = 400;            // one WebSocket frame's worth (~60 KB)

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

// Deterministic steady-state traffic of a 0.7.2 server behind Ray: requests, access log, stats,
// remote worker lines with ANSI prefixes and dedup suffixes, the odd warning.
class LineGenerator
{
public:
    QByteArray frame(int lines)
    {
        QByteArray out;
        out.reserve(lines * 170);
        for (int i = 0; i < lines && m_next < totalLines; ++i, ++m_next) {
            const qint64 ns = m_startNs + m_next * 1'000'000; // one line per millisecond
            out += timestamp(ns);
            out += body(m_next);
            out += '\n';
        }
        return out;
    }
    bool atEnd() const { return m_next >= totalLines; }

private:
    static QByteArray timestamp(qint64 ns)
    {
        const qint64 s = ns / 1'000'000'000;
        char buffer[64];
        std::snprintf(buffer, sizeof buffer, "2025-02-16T%02lld:%02lld:%02lld.%09lldZ ", (s / 3600) % 24, (s / 60) % 60,
                      s % 60, static_cast<long long>(ns % 1'000'000'000));
        return QByteArray(buffer);
    }
    static QByteArray body(qint64 n)
    {
        const QByteArray id = QByteArray::number(0x5f3a9c00 + n, 16);
        switch (n % 10) {
        case 0:
            return "INFO 02-16 19:40:03 metrics.py:455] Avg prompt throughput: 3578.8 tokens/s, Avg generation "
                   "throughput: 91.4 tokens/s, Running: 12 reqs, Swapped: 0 reqs, Pending: 3 reqs, GPU KV cache "
                   "usage: 41.3%, CPU KV cache usage: 0.0%.";
        case 1:
        case 2:
            return "INFO:     10.0.0.5:51234 - \"POST /v1/chat/completions HTTP/1.1\" 200 OK";
        case 3:
            return "INFO 02-16 19:40:03 logger.py:39] Received request chatcmpl-" + id +
                   ": prompt: '<｜begin▁of▁sentence｜><｜User｜>Explain pipeline parallelism in two sentences.<｜Assistant｜>', "
                   "params: SamplingParams(n=1, temperature=0.6, top_p=0.95, max_tokens=2048), prompt_token_ids: None";
        case 4:
            return "INFO 02-16 19:40:03 engine.py:275] Added request chatcmpl-" + id + ".";
        case 5:
            return "\x1b[36m(RayWorkerWrapper pid=626, ip=10.244.1.107)\x1b[0m INFO 02-16 19:40:03 worker.py:267] step "
                   "done in 41 ms\x1b[32m [repeated 7x across cluster]\x1b[0m";
        case 6:
            return "\x1b[36m(RayWorkerWrapper pid=3151)\x1b[0m DEBUG 02-16 19:40:03 model_runner.py:1434] batch of 12 "
                   "sequences, 4096 tokens";
        case 7:
            return "INFO 02-16 19:40:03 engine.py:298] Finished request chatcmpl-" + id + ".";
        case 8:
            return n % 1000 == 8 ? "WARNING 02-16 19:40:03 scheduler.py:1560] Sequence group chatcmpl-" + id +
                                       " is preempted by PreemptionMode.RECOMPUTE mode because there is not enough KV "
                                       "cache space."
                                 : "INFO:     10.0.0.7:40112 - \"GET /metrics HTTP/1.1\" 200 OK";
        default:
            return "INFO 02-16 19:40:04 async_llm_engine.py:178] Finished request chatcmpl-" + id + ".";
        }
    }

    qint64 m_startNs = Q_INT64_C(1739734800) * 1'000'000'000;
    qint64 m_next = 0;
};

// Gaps between firings of a 0 ms timer: how long the event loop was busy at a stretch.
class StallMeter : public QObject
{
public:
    StallMeter()
    {
        m_timer.setInterval(0);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 gap = m_clock.nsecsElapsed();
            m_clock.restart();
            m_worstNs = qMax(m_worstNs, gap);
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

double rawBaselineLinesPerSecond()
{
    LineGenerator generator;
    qint64 lines = 0;
    QElapsedTimer clock;
    clock.start();
    while (!generator.atEnd()) {
        const QByteArray bytes = generator.frame(linesPerFrame);
        for (const char *p = bytes.constData(); (p = static_cast<const char *>(std::memchr(p, '\n', size_t(bytes.constEnd() - p))));
             ++p)
            ++lines;
    }
    return lines / (clock.nsecsElapsed() / 1e9);
}

struct StackResult
{
    double linesPerSecond = 0;
    double worstStallMs = 0;
    qint64 rssGrowthKiB = 0;
    qint64 rowsShown = 0;
    qint64 dropped = 0;
};

StackResult realStack()
{
    const qint64 rssBefore = statusKiB("VmRSS:");
    auto *pane = new LogPane;
    pane->resize(1280, 720);
    pane->show();
    Logs::LogStream::Options options;
    options.jobId = QStringLiteral("job-bench");
    options.label = QStringLiteral("vllm");
    options.spill = false; // the spill file is disk I/O; measured separately by the integration test
    auto *stream = new Logs::LogStream(nullptr, options);
    pane->follower()->adopt(stream);
    pane->followJob(options.jobId, options.label);

    LineGenerator generator;
    StallMeter stalls;
    QEventLoop loop;
    QTimer feeder;
    feeder.setInterval(0);
    QObject::connect(&feeder, &QTimer::timeout, &loop, [&] {
        if (generator.atEnd()) {
            feeder.stop();
            stream->finishIngest();
            // Let the model's last batch reach the view.
            QTimer::singleShot(LogLineModel::defaultFlushIntervalMs * 2, &loop, &QEventLoop::quit);
            return;
        }
        stream->ingest(generator.frame(linesPerFrame));
    });
    QElapsedTimer clock;
    clock.start();
    stalls.start();
    feeder.start();
    loop.exec();
    StackResult result;
    result.linesPerSecond = totalLines / (clock.nsecsElapsed() / 1e9);
    result.worstStallMs = stalls.stopWorstMs();
    result.rssGrowthKiB = statusKiB("VmHWM:") - rssBefore;
    result.rowsShown = pane->lineModel()->rowCount();
    result.dropped = pane->lineModel()->droppedLines();
    delete pane;
    return result;
}

double plainTextEditLinesPerSecond(double &worstStallMs)
{
    QPlainTextEdit edit;
    edit.setMaximumBlockCount(LogLineModel::defaultCap);
    edit.resize(1280, 720);
    edit.show();
    LineGenerator generator;
    QElapsedTimer clock;
    clock.start();
    qint64 lines = 0;
    worstStallMs = 0;
    while (lines < plainTextEditLines) {
        const QByteArray bytes = generator.frame(linesPerFrame);
        QElapsedTimer frameClock;
        frameClock.start();
        for (const QByteArray &line : bytes.split('\n')) {
            if (!line.isEmpty()) {
                edit.appendPlainText(QString::fromUtf8(line));
                ++lines;
            }
        }
        QCoreApplication::processEvents();
        worstStallMs = qMax(worstStallMs, frameClock.nsecsElapsed() / 1e6);
    }
    return lines / (clock.nsecsElapsed() / 1e9);
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    Test::TempConfig config;

    const double raw = rawBaselineLinesPerSecond();
    const StackResult stack = realStack();
    double plainStall = 0;
    const double plain = plainTextEditLinesPerSecond(plainStall);

    std::printf("bench_logs: %lld lines, view cap %d\n", static_cast<long long>(totalLines), LogLineModel::defaultCap);
    std::printf("  raw stream to nowhere        %12.0f lines/s\n", raw);
    std::printf("  real stack into LogPane      %12.0f lines/s  (%.2f of raw; target >= 0.50)\n", stack.linesPerSecond,
                stack.linesPerSecond / raw);
    std::printf("  QPlainTextEdit per line      %12.0f lines/s  (measured on %lld lines, extrapolated: %.0f s for 1M)\n",
                plain, static_cast<long long>(plainTextEditLines), totalLines / plain);
    std::printf("  stack / QPlainTextEdit       %12.1fx\n", stack.linesPerSecond / plain);
    std::printf("  peak RSS growth              %12.1f MiB  (target < 150)\n", stack.rssGrowthKiB / 1024.0);
    std::printf("  worst event-loop stall       %12.1f ms   (target <= 50; QPlainTextEdit frame of %d lines: %.1f ms)\n",
                stack.worstStallMs, linesPerFrame, plainStall);
    std::printf("  rows shown %lld, dropped by the cap %lld\n", static_cast<long long>(stack.rowsShown),
                static_cast<long long>(stack.dropped));
    const bool ok = stack.rowsShown == LogLineModel::defaultCap && stack.dropped == totalLines - stack.rowsShown;
    return ok ? 0 : 1;
}
