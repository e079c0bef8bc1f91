// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "logs/LogStream.h"

#include <QHash>
#include <QObject>
#include <QPointer>

namespace ApoloDeploy::Logs {

// Follows several jobs at once (Ray head, workers and the vLLM server of one deployment) and
// hands their lines on as one stream, each line tagged with its job's label. The log pane sits
// on this; it never talks to the network itself.
class LogFollower final : public QObject
{
    Q_OBJECT

public:
    explicit LogFollower(ApoloClient *client, QObject *parent = nullptr);
    ~LogFollower() override;

    void setClient(ApoloClient *client);
    // Starts following a job (from its start); again for a followed job does nothing.
    LogStream *follow(const QString &jobId, const QString &label, const LogStream::Options &overrides = {});
    void unfollow(const QString &jobId);
    void unfollowAll();
    LogStream *stream(const QString &jobId) const { return m_streams.value(jobId); }
    QList<LogStream *> streams() const;
    // A stream built by the caller (tests, benchmarks, replays); the follower takes ownership.
    void adopt(LogStream *stream);

Q_SIGNALS:
    void linesReceived(const QList<ApoloDeploy::Logs::LogLine> &lines);
    void streamStateChanged(const QString &jobId, ApoloDeploy::Logs::LogStream::State state, const QString &detail);
    void streamEnded(const QString &jobId);

private:
    QPointer<ApoloClient> m_client;
    QHash<QString, LogStream *> m_streams;
};

} // namespace ApoloDeploy::Logs
