// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "deploy/Deployment.h"
#include "deploy/JobPlan.h"

#include <QDateTime>
#include <QJsonObject>
#include <QUrl>

#include <optional>

namespace ApoloDeploy {

enum class LaunchPhase {
    Pending, // validated, nothing created yet
    CreatingHead,
    WaitingForHead,   // until running with an internal_hostname_named
    CreatingNodes,    // workers and the serving node
    WaitingForServer, // jobs scheduled, images pulling
    LoadingModel,     // following the server's log until "Application startup complete."
    CheckingHealth,   // GET {http_url}/health until 200
    StartingWeb,      // Open WebUI
    Ready,
    Failed,
    TearingDown,
    TornDown,
};

QString launchPhaseId(LaunchPhase phase); // "waiting_for_head", for JSON and the state file
std::optional<LaunchPhase> launchPhaseFromId(QStringView id);
QString launchPhaseDisplayName(LaunchPhase phase); // translated
bool isLaunchActive(LaunchPhase phase);            // between Pending and StartingWeb

struct CreatedJob
{
    JobRole role = JobRole::Server;
    int workerIndex = 0;
    QString name;
    QString id; // empty until the platform answered
};

// What survives an app restart in the middle of a launch: the deployment, the jobs created so
// far and the phase reached. Never holds a secret value (the deployment only names secrets).
struct DeploymentState
{
    Deployment deployment;
    LaunchPhase phase = LaunchPhase::Pending;
    QList<CreatedJob> jobs;
    QString headHost;   // the head's internal_hostname_named
    QString serverHost; // the server's internal_hostname_named
    QUrl endpoint;      // the server's http_url (…/v1 is appended by clients)
    QString failureReason;
    QString failureHint;
    QDateTime startedAt;
    QDateTime updatedAt;

    const CreatedJob *job(JobRole role, int workerIndex = 0) const;
    CreatedJob *job(JobRole role, int workerIndex = 0);
    QStringList jobIds() const;

    QJsonObject toJson() const;
    static std::optional<DeploymentState> fromJson(const QJsonObject &json, QString *error);
};

// One JSON file per deployment under Settings::localDirectory()/deployments
// (~/.local/share/apolo-deploy/deployments, or $APOLO_DEPLOY_CONFIG_DIR/deployments), written atomically with QSaveFile
// so a crash never leaves half a file.
class DeploymentStore
{
public:
    static QString directory();
    static QString filePath(const QString &deploymentName);
    static bool save(const DeploymentState &state, QString *error = nullptr);
    static std::optional<DeploymentState> load(const QString &deploymentName, QString *error = nullptr);
    static bool remove(const QString &deploymentName);
    static QStringList names();
};

} // namespace ApoloDeploy
