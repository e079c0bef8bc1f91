// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apolo/ApoloError.h"
#include "logs/LogClassifier.h"
#include "logs/LogLine.h"
#include "logs/LogLineAssembler.h"
#include "logs/LogSpillFile.h"
#include "logs/ResumeFilter.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QObject>
#include <QPointer>
#include <QTemporaryFile>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

namespace ApoloDeploy {
class ApoloClient;
class LogConnection;
} // namespace ApoloDeploy

namespace ApoloDeploy::Logs {

// Follows one job's log for as long as the job lives: opens LogConnection (log_ws, or chunked
// /log), assembles lines, and after every drop reconnects with since=<last timestamp> (backoff)
// and drops what it already has (ResumeFilter), so no line is lost or repeated. It stops when
// the job has finished and its stream ended cleanly. Every kept line is written to a spill file
// (Save full log) and classified (phases, readiness, diagnosis).
//
// ingest() is the same path for bytes that do not come from the network (benchmarks, replaying
// a saved stream), so they go through exactly the code the live stream uses.
//
// Bytes are processed in slices of a few milliseconds per event-loop turn, shared with the other
// streams (SliceScheduler): one network read can hold megabytes (thousands of lines), and the GUI
// thread must never stall on them. Up to
// maxPendingBytes wait in memory (a burst of ~25k lines); beyond that the backlog goes to a
// temporary file and is read back in order, so a reader that cannot keep up lags behind but
// neither stalls nor grows memory, and loses nothing. Only if that file cannot be written are
// the bytes processed at once.
class LogStream final : public QObject
{
    Q_OBJECT

public:
    enum class State { Idle, Connecting, Streaming, Reconnecting, Ended, Failed };
    Q_ENUM(State)

    struct Options
    {
        QString jobId;
        QString label;     // shown in the source column when several jobs are merged
        QDateTime since;   // invalid = from the job's start
        QString spillPath; // empty = LogSpillFile::defaultPath(jobId)
        bool spill = true;
        // Wait before reconnecting: the first entry after a connection that delivered data,
        // then the next ones while reconnects keep failing (the last one repeats).
        QList<int> retryDelaysMs{250, 1000, 2000, 4000, 8000, 10000};
        // Consecutive connections without a new line before giving up on a finished job.
        int maxEmptyReconnectsAfterFinish = 3;
        // Qt 6.4's QWebSocket reports a connection the server dropped without a close frame as
        // a normal close, so a "clean" end cannot be trusted on its own: once the job has
        // finished, the stream counts as complete only when a reconnect from the last line
        // brings nothing new. Costs one extra request per job; off = trust the close.
        bool verifyCleanEnd = true;
    };

    LogStream(ApoloClient *client, Options options, QObject *parent = nullptr);
    ~LogStream() override;

    static constexpr qsizetype maxPendingBytes = 4 * 1024 * 1024;

    void start();
    void stop();
    // Queues bytes of the stream; they are processed on the next event-loop turns.
    void ingest(const QByteArray &chunk);
    // End of a stream that ingest() fed: processes what is queued and flushes a last line
    // without newline.
    void finishIngest();
    qint64 pendingBytes() const { return m_pendingBytes + backlogBytes(); }

    State state() const { return m_state; }
    const Options &options() const { return m_options; }
    const LogClassifier &classifier() const { return m_classifier; }
    const ResumeFilter &resumeFilter() const { return m_filter; }
    const LogSpillFile *spillFile() const { return m_spill.get(); }
    qint64 linesKept() const { return m_lineCount; }
    int reconnects() const { return m_reconnects; }
    // The job's final status diagnosis (OOMKilled, image pull, …) once the stream ended.
    const std::optional<Diagnosis> &jobDiagnosis() const { return m_jobDiagnosis; }
    bool saveFullLog(const QString &target, bool withTimestamps, QString *error) const;

    // Raw bytes of every kept line (platform timestamp included), for the CLI.
    void setRawLineSink(std::function<void(const QByteArray &raw)> sink) { m_rawSink = std::move(sink); }

Q_SIGNALS:
    // One batch per received chunk; the model batches further for the view.
    void linesReceived(const QList<ApoloDeploy::Logs::LogLine> &lines);
    void stateChanged(ApoloDeploy::Logs::LogStream::State state, const QString &detail);
    void ended();

private:
    void connectNow();
    void onLine(const QByteArray &raw, QString text);
    void onConnectionFinished(const ApoloError &error);
    void handleStreamEnd(const ApoloError &error);
    void scheduleProcessing();
    // One slice (see SliceScheduler); true while bytes are left.
    bool processPending(const QDeadlineTimer &deadline);
    // Feeds up to maxBytes of the queue to the assembler; false when the queue is empty.
    bool feedPending(qsizetype maxBytes);
    bool hasPending() const { return !m_pending.isEmpty() || backlogBytes() > 0; }
    qint64 backlogBytes() const;
    bool appendToBacklog(const QByteArray &chunk);
    void checkJobThenContinue(bool cleanEnd, const QString &why);
    void endStream(const QString &detail);
    // After a drop: waits per retryDelaysMs. immediately: the stream ended normally and a
    // reconnect only confirms that nothing follows (see verifyCleanEnd).
    void scheduleReconnect(const QString &why, bool immediately = false);
    void setState(State state, const QString &detail = QString());
    void flushBatch();

    QPointer<ApoloClient> m_client;
    Options m_options;
    LogClassifier m_classifier;
    ResumeFilter m_filter;
    LogLineAssembler m_assembler;
    std::unique_ptr<LogSpillFile> m_spill;
    QPointer<LogConnection> m_connection;
    QTimer m_retryTimer;
    QList<QByteArray> m_pending;
    qsizetype m_pendingOffset = 0; // bytes of m_pending.first() already fed
    qsizetype m_pendingBytes = 0;
    std::unique_ptr<QTemporaryFile> m_backlog; // bytes that arrived while m_pending was full
    qint64 m_backlogReadPos = 0;
    std::optional<ApoloError> m_endAfterPending; // the connection ended while bytes were queued
    QList<LogLine> m_batch;
    std::function<void(const QByteArray &)> m_rawSink;
    std::optional<Diagnosis> m_jobDiagnosis;
    State m_state = State::Idle;
    qint64 m_lineCount = 0;
    int m_reconnects = 0;
    int m_failedAttempts = 0;
    int m_emptyAfterFinish = 0;
    qint64 m_keptOnConnection = 0; // new lines the current (or last) connection delivered
    bool m_gotBytes = false;
    bool m_stopped = false;
};

} // namespace ApoloDeploy::Logs
