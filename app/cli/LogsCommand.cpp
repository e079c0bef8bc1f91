// SPDX-License-Identifier: GPL-3.0-or-later
// apolo-deploy logs JOB [--follow] [--since T] [--timestamps]: prints a job's log; with --follow
// it stays until the job ends and resumes without loss or repeats after a dropped connection.

#include "apolo/PlatformSession.h"
#include "cli/CliContext.h"
#include "logs/LineNormalizer.h"
#include "logs/LogStream.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>
#include <QTimer>

#include <cstdio>
#include <memory>

namespace ApoloDeploy {

namespace {

using namespace Logs;

// Without --follow the command prints what the job has written so far: it stops once the
// stream has been quiet this long (the live tail has caught up) or has ended.
constexpr int caughtUpQuietMs = 2000;

QString tr(const char *text)
{
    return QCoreApplication::translate("Cli", text);
}

// "2026-05-01T10:00:00Z", "2026-05-01T10:00:00.5+02:00", or a duration back from now: 30s, 10m, 2h, 1d.
QDateTime parseSince(const QString &text)
{
    static const QRegularExpression relative(QStringLiteral(R"(^(\d+)([smhd])$)"));
    const auto match = relative.match(text);
    if (match.hasMatch()) {
        const qint64 amount = match.captured(1).toLongLong();
        const qint64 unit = match.captured(2) == QLatin1String("s")   ? 1
                            : match.captured(2) == QLatin1String("m") ? 60
                            : match.captured(2) == QLatin1String("h") ? 3600
                                                                      : 86400;
        return QDateTime::currentDateTimeUtc().addSecs(-amount * unit);
    }
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid())
        time = QDateTime::fromString(text, Qt::ISODate);
    return time.isValid() ? time.toUTC() : QDateTime();
}

struct LogsRun
{
    PlatformSession *session = nullptr;
    LogStream *stream = nullptr;
    QTimer *quiet = nullptr;
};

} // namespace

void runLogsCommand(CliContext &context)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Print a job's log (container stdout and stderr)."));
    parser.addHelpOption();
    const QCommandLineOption follow({QStringLiteral("f"), QStringLiteral("follow")},
                                    tr("keep printing until the job ends; reconnects after a dropped connection"));
    const QCommandLineOption since(
        QStringLiteral("since"), tr("only lines from T on: ISO-8601 time or 30s/10m/2h/1d back"), QStringLiteral("T"));
    const QCommandLineOption timestamps(QStringLiteral("timestamps"),
                                        tr("prefix every line with the platform's timestamp"));
    parser.addOptions({follow, since, timestamps});
    parser.addPositionalArgument(QStringLiteral("JOB"), tr("job name or id"));
    if (!parser.parse(context.arguments()))
        return context.usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        context.out() << CliContext::helpText(parser, QStringLiteral("logs"));
        return context.finish(0);
    }
    if (parser.positionalArguments().size() != 1)
        return context.usageError(
            tr("logs needs exactly one JOB (a name or job-… id). Example: apolo-deploy logs ray-worker --follow"));
    QDateTime sinceTime;
    if (parser.isSet(since)) {
        sinceTime = parseSince(parser.value(since));
        if (!sinceTime.isValid())
            return context.usageError(tr("--since: '%1' is neither an ISO-8601 time (2026-05-01T10:00:00Z) nor a "
                                         "duration like 10m")
                                          .arg(parser.value(since)));
    }
    const QString jobName = parser.positionalArguments().constFirst();
    const bool following = parser.isSet(follow);
    const bool withTimestamps = parser.isSet(timestamps);

    const auto run = std::make_shared<LogsRun>();
    PlatformSession::Options options;
    options.global = context.global();
    run->session = new PlatformSession(options, QCoreApplication::instance());
    auto done = [&context, run](int code) {
        if (run->stream)
            run->stream->stop();
        context.finish(code);
    };
    QObject::connect(run->session, &PlatformSession::failed, run->session, [&context, done](const ApoloError &error) {
        context.err() << tr("Cannot connect: %1").arg(error.toString()) << Qt::endl;
        done(1);
    });
    QObject::connect(run->session, &PlatformSession::ready, run->session, [=, &context] {
        run->session->client()->resolveJob(jobName, run->session, [=, &context](const ApoloResult<Job> &job) {
            if (!job.ok()) {
                context.err() << tr("Job '%1': %2").arg(jobName, job.error().toString()) << Qt::endl;
                return done(1);
            }
            LogStream::Options streamOptions;
            streamOptions.jobId = job->id;
            streamOptions.label = job->name.isEmpty() ? job->id : job->name;
            streamOptions.since = sinceTime;
            streamOptions.spill = false;
            run->stream = new LogStream(run->session->client(), streamOptions, run->session);
            run->quiet = new QTimer(run->session);
            run->quiet->setSingleShot(true);
            run->quiet->setInterval(caughtUpQuietMs);
            QObject::connect(run->quiet, &QTimer::timeout, run->session, [=] { done(0); });
            run->stream->setRawLineSink([=, &context](const QByteArray &raw) {
                QByteArray line = raw;
                if (!withTimestamps) {
                    const qsizetype stamp =
                        LineNormalizer::platformTimestampPrefixLength(QString::fromLatin1(raw.left(40)));
                    line.remove(0, stamp);
                }
                // Bytes as the container wrote them (ANSI colours included), not re-encoded.
                std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
                std::fputc('\n', stdout);
                if (!following)
                    run->quiet->start();
            });
            QObject::connect(run->stream, &LogStream::stateChanged, run->session,
                             [=, &context](LogStream::State state, const QString &detail) {
                                 if (state == LogStream::State::Streaming && !following)
                                     run->quiet->start();
                                 if (state == LogStream::State::Reconnecting && !detail.isEmpty())
                                     context.err() << detail << Qt::endl;
                                 if (state == LogStream::State::Failed) {
                                     context.err() << detail << Qt::endl;
                                     done(1);
                                 }
                             });
            QObject::connect(run->stream, &LogStream::ended, run->session, [=, &context] {
                std::fflush(stdout);
                if (const auto &diagnosis = run->stream->jobDiagnosis())
                    context.err() << diagnosis->title << '\n' << tr("Fix: %1").arg(diagnosis->hint) << Qt::endl;
                done(0);
            });
            run->stream->start();
        });
    });
    run->session->connectToPlatform();
}

} // namespace ApoloDeploy
