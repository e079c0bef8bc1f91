// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apolo/PlatformTypes.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

namespace ApoloDeploy {

class ApoloClient;

// Kills every job of a deployment and proves it: lists the active jobs tagged
// deployment:<name> (plus any job ids the caller knows, e.g. one created a moment ago),
// DELETEs each, then re-lists by tag until none is active. Only then reports success; after
// `timeoutMs` it reports which jobs are still active.
class Teardown final : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        int pollIntervalMs = 1000;
        int timeoutMs = 120000;
    };

    explicit Teardown(ApoloClient *client, QObject *parent = nullptr);

    void setOptions(const Options &options) { m_options = options; }
    void start(const QString &deploymentName, const QStringList &knownJobIds = {});
    bool isRunning() const { return m_running; }
    QString deploymentName() const { return m_name; }

Q_SIGNALS:
    void progress(const QString &message);
    // ok: no job of the deployment is active any more. killed: DELETEs that succeeded.
    void finished(bool ok, const QString &message, int killed);

private:
    void listActive();
    void addActiveKnownJobs(const QStringList &ids, std::shared_ptr<QList<Job>> active, std::function<void()> then);
    void onActiveListed(const QList<Job> &active);
    void killAll(const QList<Job> &jobs);
    void finish(bool ok, const QString &message);

    ApoloClient *m_client;
    Options m_options;
    QString m_name;
    QStringList m_knownIds;
    QStringList m_killRequested;
    QTimer m_pollTimer;
    QElapsedTimer m_elapsed;
    int m_killed = 0;
    bool m_running = false;
};

} // namespace ApoloDeploy
