// SPDX-License-Identifier: GPL-3.0-or-later
#include "logs/LogFollower.h"

#include "apolo/ApoloClient.h"

namespace ApoloDeploy::Logs {

LogFollower::LogFollower(ApoloClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{}

void LogFollower::setClient(ApoloClient *client)
{
    m_client = client;
}

LogFollower::~LogFollower()
{
    unfollowAll();
}

LogStream *LogFollower::follow(const QString &jobId, const QString &label, const LogStream::Options &overrides)
{
    if (LogStream *existing = m_streams.value(jobId))
        return existing;
    LogStream::Options options = overrides;
    options.jobId = jobId;
    options.label = label.isEmpty() ? jobId : label;
    auto *stream = new LogStream(m_client, options, this);
    adopt(stream);
    stream->start();
    return stream;
}

void LogFollower::adopt(LogStream *stream)
{
    stream->setParent(this);
    const QString jobId = stream->options().jobId;
    m_streams.insert(jobId, stream);
    connect(stream, &LogStream::linesReceived, this, &LogFollower::linesReceived);
    connect(stream, &LogStream::stateChanged, this, [this, jobId](LogStream::State state, const QString &detail) {
        Q_EMIT streamStateChanged(jobId, state, detail);
    });
    connect(stream, &LogStream::ended, this, [this, jobId] { Q_EMIT streamEnded(jobId); });
}

void LogFollower::unfollow(const QString &jobId)
{
    if (LogStream *stream = m_streams.take(jobId)) {
        stream->stop();
        stream->deleteLater();
    }
}

void LogFollower::unfollowAll()
{
    const QStringList ids = m_streams.keys();
    for (const QString &id : ids)
        unfollow(id);
}

QList<LogStream *> LogFollower::streams() const
{
    return m_streams.values();
}

} // namespace ApoloDeploy::Logs
