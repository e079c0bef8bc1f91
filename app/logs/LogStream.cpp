// SPDX-License-Identifier: GPL-3.0-or-later
#include "logs/LogStream.h"

#include "apolo/ApoloClient.h"
#include "apolo/LogConnection.h"
#include "logs/LogsLogging.h"
#include "logs/SliceScheduler.h"

#include <QCoreApplication>

namespace ApoloDeploy::Logs {

namespace {

// The monitoring service writes "<separator>\n" between archived and live logs (apolo-api.md §5.1);
// the default one is "=== Live logs ===" plus 60 hex characters. It is protocol, not output.
bool isLiveSeparator(const QString &text)
{
    return text.startsWith(QLatin1String("=== Live logs ===")) ||
           text.startsWith(QLatin1String("=== Live logs from")) ||
           text.startsWith(QLatin1String("~~~ Archive logs from"));
}

} // namespace

LogStream::LogStream(ApoloClient *client, Options options, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_options(std::move(options))
    , m_assembler([this](const QByteArray &raw, QString text) { onLine(raw, std::move(text)); })
{
    if (m_options.retryDelaysMs.isEmpty())
        m_options.retryDelaysMs = {1000};
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &LogStream::connectNow);
}

LogStream::~LogStream()
{
    stop();
}

void LogStream::start()
{
    m_stopped = false;
    if (m_options.spill && !m_spill) {
        m_spill = std::make_unique<LogSpillFile>(
            m_options.spillPath.isEmpty() ? LogSpillFile::defaultPath(m_options.jobId) : m_options.spillPath);
        m_spill->open();
    }
    if (m_client)
        connectNow();
}

void LogStream::stop()
{
    m_stopped = true;
    m_retryTimer.stop();
    SliceScheduler::instance()->cancel(this);
    m_pending.clear();
    m_pendingOffset = 0;
    m_pendingBytes = 0;
    m_backlog.reset();
    m_backlogReadPos = 0;
    m_endAfterPending.reset();
    if (m_connection) {
        m_connection->close();
        m_connection->deleteLater();
    }
    if (m_spill)
        m_spill->flush();
}

void LogStream::setState(State state, const QString &detail)
{
    if (m_state == state && detail.isEmpty())
        return;
    m_state = state;
    Q_EMIT stateChanged(state, detail);
}

void LogStream::connectNow()
{
    if (m_stopped || !m_client)
        return;
    const bool resuming = m_filter.lastTimestampNs() > 0;
    const QDateTime since = resuming ? m_filter.resumeSince() : m_options.since;
    ApoloError error;
    m_connection = m_client->createLogConnection(m_options.jobId, since, this, &error);
    if (!m_connection) {
        setState(State::Failed, error.toString());
        return;
    }
    m_filter.beginReconnect();
    m_gotBytes = false;
    m_keptOnConnection = 0;
    connect(m_connection, &LogConnection::connected, this, [this] { setState(State::Streaming); });
    connect(m_connection, &LogConnection::bytes, this, [this](const QByteArray &chunk) {
        m_gotBytes = true;
        ingest(chunk);
    });
    connect(m_connection, &LogConnection::finished, this, &LogStream::onConnectionFinished);
    setState(resuming ? State::Reconnecting : State::Connecting);
    m_connection->open();
}

void LogStream::ingest(const QByteArray &chunk)
{
    if (chunk.isEmpty())
        return;
    // Once the backlog file is in use, everything goes there until it is read back: in order.
    if (m_backlog || m_pendingBytes + chunk.size() > maxPendingBytes) {
        if (!appendToBacklog(chunk)) {
            m_pending.append(chunk);
            m_pendingBytes += chunk.size();
            while (m_pendingBytes > maxPendingBytes && feedPending(64 * 1024)) {
            }
            flushBatch();
        }
    } else {
        m_pending.append(chunk);
        m_pendingBytes += chunk.size();
    }
    scheduleProcessing();
}

void LogStream::scheduleProcessing()
{
    SliceScheduler *scheduler = SliceScheduler::instance();
    if (!scheduler->isScheduled(this))
        scheduler->request(this, [this](const QDeadlineTimer &deadline) { return processPending(deadline); });
}

qint64 LogStream::backlogBytes() const
{
    return m_backlog ? m_backlog->size() - m_backlogReadPos : 0;
}

bool LogStream::appendToBacklog(const QByteArray &chunk)
{
    if (!m_backlog) {
        m_backlog = std::make_unique<QTemporaryFile>();
        m_backlogReadPos = 0;
        if (!m_backlog->open()) {
            qCWarning(lcLogs) << "cannot buffer the log of" << m_options.jobId
                              << "on disk:" << m_backlog->errorString();
            m_backlog.reset();
            return false;
        }
    }
    if (!m_backlog->seek(m_backlog->size()) || m_backlog->write(chunk) != chunk.size()) {
        // Nothing was read back yet from what is there: keep the order by waiting for it.
        qCWarning(lcLogs) << "cannot buffer the log of" << m_options.jobId << "on disk:" << m_backlog->errorString();
        while (backlogBytes() > 0 && feedPending(64 * 1024)) {
        }
        m_backlog.reset();
        return false;
    }
    return true;
}

bool LogStream::feedPending(qsizetype maxBytes)
{
    if (m_pending.isEmpty()) {
        if (backlogBytes() <= 0)
            return false;
        m_backlog->seek(m_backlogReadPos);
        const QByteArray bytes = m_backlog->read(maxBytes);
        if (bytes.isEmpty()) { // unreadable: nothing more can come from it
            qCWarning(lcLogs) << "cannot read the buffered log of" << m_options.jobId << m_backlog->errorString();
            m_backlog.reset();
            return false;
        }
        m_backlogReadPos += bytes.size();
        if (backlogBytes() == 0)
            m_backlog.reset(); // read back: new bytes go to memory again
        m_assembler.feed(bytes);
        return true;
    }
    const QByteArray &first = m_pending.constFirst();
    const qsizetype size = qMin(maxBytes, first.size() - m_pendingOffset);
    // fromRawData: the slice is consumed before the chunk leaves the queue.
    m_assembler.feed(QByteArray::fromRawData(first.constData() + m_pendingOffset, size));
    m_pendingOffset += size;
    m_pendingBytes -= size;
    if (m_pendingOffset == first.size()) {
        m_pending.removeFirst();
        m_pendingOffset = 0;
    }
    return true;
}

bool LogStream::processPending(const QDeadlineTimer &deadline)
{
    // Slices of 16 KB (about a hundred lines) keep each turn close to the budget.
    while (!deadline.hasExpired() && feedPending(16 * 1024)) {
    }
    flushBatch();
    if (hasPending())
        return true;
    // Caught up: the spill file gets what the view got.
    if (m_spill)
        m_spill->flush();
    if (m_endAfterPending) {
        const ApoloError error = *std::exchange(m_endAfterPending, std::nullopt);
        handleStreamEnd(error);
    }
    return false;
}

void LogStream::finishIngest()
{
    SliceScheduler::instance()->cancel(this);
    while (feedPending(1024 * 1024)) {
    }
    m_assembler.finish();
    flushBatch();
    if (m_spill)
        m_spill->flush();
}

void LogStream::flushBatch()
{
    if (m_batch.isEmpty())
        return;
    const QList<LogLine> batch = std::exchange(m_batch, {});
    m_batch.reserve(batch.size());
    Q_EMIT linesReceived(batch);
}

void LogStream::onLine(const QByteArray &raw, QString text)
{
    const qsizetype stamp = LineNormalizer::platformTimestampPrefixLength(text);
    const qint64 timestampNs = stamp > 0 ? LineNormalizer::parsePlatformTimestamp(text) : 0;
    if (timestampNs == 0 && isLiveSeparator(text))
        return;
    if (!m_filter.accept(timestampNs))
        return;
    if (m_spill)
        m_spill->append(raw);
    if (m_rawSink)
        m_rawSink(raw);
    ++m_keptOnConnection;
    LogLine line = m_classifier.classify(QStringView(text).sliced(stamp), ++m_lineCount, timestampNs);
    line.job = m_options.label;
    m_batch.append(std::move(line));
}

void LogStream::onConnectionFinished(const ApoloError &error)
{
    if (m_connection) {
        m_connection->deleteLater();
        m_connection = nullptr;
    }
    // What the connection delivered is processed first: the end is judged on complete data.
    if (hasPending()) {
        m_endAfterPending = error;
        return;
    }
    handleStreamEnd(error);
}

void LogStream::handleStreamEnd(const ApoloError &error)
{
    const bool clean = error.kind == ApoloError::Kind::None;
    // A half line stays in the assembler until the job's status says whether this was the real
    // end (then it is the log's last line) or a cut (then the next connection replays it whole).
    flushBatch();
    if (m_spill)
        m_spill->flush();
    if (m_stopped)
        return;
    if (error.kind == ApoloError::Kind::Unauthorized || error.kind == ApoloError::Kind::Forbidden) {
        m_assembler.reset();
        setState(State::Failed, error.toString());
        return;
    }
    m_failedAttempts = m_gotBytes ? 0 : m_failedAttempts + 1;
    checkJobThenContinue(clean, clean ? tr("The log stream ended") : error.toString());
}

void LogStream::checkJobThenContinue(bool cleanEnd, const QString &why)
{
    if (!m_client)
        return;
    m_client->getJob(m_options.jobId, this, [this, cleanEnd, why](const ApoloResult<Job> &result) {
        if (m_stopped)
            return;
        if (!result.ok()) {
            if (result.error().kind == ApoloError::Kind::Unauthorized ||
                result.error().kind == ApoloError::Kind::Forbidden ||
                result.error().kind == ApoloError::Kind::NotFound) {
                m_assembler.reset();
                setState(State::Failed, result.error().toString());
                return;
            }
            scheduleReconnect(why);
            return;
        }
        const Job &job = result.value();
        if (isFinished(job.status)) {
            m_emptyAfterFinish = m_keptOnConnection > 0 ? 0 : m_emptyAfterFinish + 1;
            // The job is over: a clean end means everything was flushed (see verifyCleanEnd).
            // After a broken one, the archive still has the rest, so fetch it (a few tries).
            const bool complete = cleanEnd && (!m_options.verifyCleanEnd || m_keptOnConnection == 0);
            if (complete || m_emptyAfterFinish > m_options.maxEmptyReconnectsAfterFinish) {
                m_jobDiagnosis = diagnoseJobStatus(job.statusText, job.history.reason, job.history.description,
                                                   job.history.exitCode.value_or(0));
                endStream(tr("The job is %1.").arg(job.statusText));
                return;
            }
            if (cleanEnd) {
                scheduleReconnect(why, true);
                return;
            }
        }
        scheduleReconnect(why);
    });
}

void LogStream::endStream(const QString &detail)
{
    // The log may end without a newline: that last piece is a line too.
    m_assembler.finish();
    flushBatch();
    if (m_spill)
        m_spill->flush();
    setState(State::Ended, detail);
    Q_EMIT ended();
}

void LogStream::scheduleReconnect(const QString &why, bool immediately)
{
    // A half line from the connection that just ended comes again, whole, on the next one.
    m_assembler.reset();
    const QList<int> &delays = m_options.retryDelaysMs;
    const int delay = immediately ? 0 : delays.at(qMin<qsizetype>(m_failedAttempts, delays.size() - 1));
    ++m_reconnects;
    qCDebug(lcLogs) << "log stream of" << m_options.jobId << "reconnecting in" << delay << "ms:" << why;
    setState(State::Reconnecting, tr("%1; reconnecting in %2 s").arg(why).arg(delay / 1000.0, 0, 'f', 1));
    m_retryTimer.start(delay);
}

bool LogStream::saveFullLog(const QString &target, bool withTimestamps, QString *error) const
{
    if (!m_spill) {
        if (error)
            *error = tr("This log was not kept on disk.");
        return false;
    }
    return m_spill->saveTo(target, withTimestamps, error);
}

} // namespace ApoloDeploy::Logs
