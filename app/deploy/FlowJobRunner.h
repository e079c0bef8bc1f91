// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apolo/PlatformTypes.h"
#include "flow/LiveFlow.h"

#include <QObject>

namespace ApoloDeploy {

class ApoloClient;

// Runs jobs of a live.yml as written, the way `apolo-flow run JOB` does (apolo-flow.md §6):
// defaults merged, the system tags project:/flow:/job:, the generated name, and the templates
// evaluated at run time: flow.* / project.* contexts, volumes.<id>.ref/ref_rw/ref_ro/remote/mount,
// and inspect_job('<id>').<attribute> looked up by those tags among the active jobs. Other
// expressions are refused with a message (run the file with apolo-flow then).
class FlowJobRunner final : public QObject
{
    Q_OBJECT

public:
    FlowJobRunner(ApoloClient *client, LiveFlow flow, QString projectId, QObject *parent = nullptr);

    // Starts the jobs one after the other (a later job may inspect an earlier one).
    void run(const QStringList &jobIds);

    // The tags apolo-flow puts on a job: project:<id>, flow:<id>, job:<id> (lower case, _ -> -).
    static QStringList systemTags(const QString &projectId, const QString &flowId, const QString &jobId);
    // <project_id>-<job_id>, '_' -> '-', double dashes collapsed, the project part cut to fit 40.
    static QString generatedName(const QString &projectId, const QString &jobId);

Q_SIGNALS:
    void progress(const QString &message);
    void jobStarted(const ApoloDeploy::Job &job);
    void finished(bool ok, const QString &message);

private:
    void runNext();
    void evaluate(const QString &text, std::function<void(bool ok, const QString &value)> done);
    void buildRequest(const FlowJob &job,
                      std::function<void(bool ok, const JobRequest &request, const QString &error)> done);
    QString flowId() const;

    ApoloClient *m_client;
    LiveFlow m_flow;
    QString m_projectId;
    QStringList m_queue;
};

} // namespace ApoloDeploy
