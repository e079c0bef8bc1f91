// SPDX-License-Identifier: GPL-3.0-or-later
#include "deploy/DeploymentState.h"

#include "core/Settings.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace ApoloDeploy {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("DeploymentState", text);
}

struct PhaseName
{
    LaunchPhase phase;
    const char *id;
    const char *display;
};

constexpr PhaseName phaseNames[] = {
    {LaunchPhase::Pending, "pending", QT_TRANSLATE_NOOP("DeploymentState", "Validated")},
    {LaunchPhase::CreatingHead, "creating_head", QT_TRANSLATE_NOOP("DeploymentState", "Creating the Ray head")},
    {LaunchPhase::WaitingForHead, "waiting_for_head", QT_TRANSLATE_NOOP("DeploymentState", "Waiting for the Ray head")},
    {LaunchPhase::CreatingNodes, "creating_nodes",
     QT_TRANSLATE_NOOP("DeploymentState", "Creating workers and the server")},
    {LaunchPhase::WaitingForServer, "waiting_for_server",
     QT_TRANSLATE_NOOP("DeploymentState", "Waiting for the server job")},
    {LaunchPhase::LoadingModel, "loading_model", QT_TRANSLATE_NOOP("DeploymentState", "Loading the model")},
    {LaunchPhase::CheckingHealth, "checking_health", QT_TRANSLATE_NOOP("DeploymentState", "Checking /health")},
    {LaunchPhase::StartingWeb, "starting_web", QT_TRANSLATE_NOOP("DeploymentState", "Starting Open WebUI")},
    {LaunchPhase::Ready, "ready", QT_TRANSLATE_NOOP("DeploymentState", "Ready")},
    {LaunchPhase::Failed, "failed", QT_TRANSLATE_NOOP("DeploymentState", "Failed")},
    {LaunchPhase::TearingDown, "tearing_down", QT_TRANSLATE_NOOP("DeploymentState", "Tearing down")},
    {LaunchPhase::TornDown, "torn_down", QT_TRANSLATE_NOOP("DeploymentState", "Torn down")},
};

} // namespace

QString launchPhaseId(LaunchPhase phase)
{
    for (const PhaseName &name : phaseNames) {
        if (name.phase == phase)
            return QString::fromLatin1(name.id);
    }
    return {};
}

std::optional<LaunchPhase> launchPhaseFromId(QStringView id)
{
    for (const PhaseName &name : phaseNames) {
        if (id == QLatin1String(name.id))
            return name.phase;
    }
    return std::nullopt;
}

QString launchPhaseDisplayName(LaunchPhase phase)
{
    for (const PhaseName &name : phaseNames) {
        if (name.phase == phase)
            return QCoreApplication::translate("DeploymentState", name.display);
    }
    return {};
}

bool isLaunchActive(LaunchPhase phase)
{
    return phase >= LaunchPhase::Pending && phase <= LaunchPhase::StartingWeb;
}

const CreatedJob *DeploymentState::job(JobRole role, int workerIndex) const
{
    for (const CreatedJob &created : jobs) {
        if (created.role == role && created.workerIndex == workerIndex)
            return &created;
    }
    return nullptr;
}

CreatedJob *DeploymentState::job(JobRole role, int workerIndex)
{
    return const_cast<CreatedJob *>(std::as_const(*this).job(role, workerIndex));
}

QStringList DeploymentState::jobIds() const
{
    QStringList ids;
    for (const CreatedJob &created : jobs) {
        if (!created.id.isEmpty())
            ids << created.id;
    }
    return ids;
}

QJsonObject DeploymentState::toJson() const
{
    QJsonArray jobArray;
    for (const CreatedJob &created : jobs)
        jobArray.append(QJsonObject{{QStringLiteral("role"), jobRoleName(created.role)},
                                    {QStringLiteral("workerIndex"), created.workerIndex},
                                    {QStringLiteral("name"), created.name},
                                    {QStringLiteral("id"), created.id}});
    return {{QStringLiteral("version"), 1},
            {QStringLiteral("deployment"), deployment.toJson()},
            {QStringLiteral("phase"), launchPhaseId(phase)},
            {QStringLiteral("jobs"), jobArray},
            {QStringLiteral("headHost"), headHost},
            {QStringLiteral("serverHost"), serverHost},
            {QStringLiteral("endpoint"), endpoint.toString()},
            {QStringLiteral("failureReason"), failureReason},
            {QStringLiteral("failureHint"), failureHint},
            {QStringLiteral("startedAt"), startedAt.toString(Qt::ISODateWithMs)},
            {QStringLiteral("updatedAt"), updatedAt.toString(Qt::ISODateWithMs)}};
}

std::optional<DeploymentState> DeploymentState::fromJson(const QJsonObject &json, QString *error)
{
    const std::optional<LaunchPhase> phase = launchPhaseFromId(json.value(QLatin1String("phase")).toString());
    if (!json.value(QLatin1String("deployment")).isObject() || !phase) {
        if (error)
            *error = tr("The saved launch state is incomplete (no deployment or phase).");
        return std::nullopt;
    }
    DeploymentState state;
    state.deployment = Deployment::fromJson(json.value(QLatin1String("deployment")).toObject());
    state.phase = *phase;
    for (const QJsonValue &value : json.value(QLatin1String("jobs")).toArray()) {
        const QJsonObject object = value.toObject();
        const std::optional<JobRole> role = jobRoleFromName(object.value(QLatin1String("role")).toString());
        if (!role)
            continue;
        state.jobs.append({*role, object.value(QLatin1String("workerIndex")).toInt(),
                           object.value(QLatin1String("name")).toString(),
                           object.value(QLatin1String("id")).toString()});
    }
    state.headHost = json.value(QLatin1String("headHost")).toString();
    state.serverHost = json.value(QLatin1String("serverHost")).toString();
    state.endpoint = QUrl(json.value(QLatin1String("endpoint")).toString());
    state.failureReason = json.value(QLatin1String("failureReason")).toString();
    state.failureHint = json.value(QLatin1String("failureHint")).toString();
    state.startedAt = QDateTime::fromString(json.value(QLatin1String("startedAt")).toString(), Qt::ISODateWithMs);
    state.updatedAt = QDateTime::fromString(json.value(QLatin1String("updatedAt")).toString(), Qt::ISODateWithMs);
    return state;
}

QString DeploymentStore::directory()
{
    // The same machine-local folder as the rest of the app's state, so the GUI and the CLI
    // (whatever organisation name Qt was given) find the same launches.
    return Settings::localDirectory() + QStringLiteral("/deployments");
}

QString DeploymentStore::filePath(const QString &deploymentName)
{
    return directory() + QLatin1Char('/') + deploymentName + QStringLiteral(".json");
}

bool DeploymentStore::save(const DeploymentState &state, QString *error)
{
    if (!QDir().mkpath(directory())) {
        if (error)
            *error = tr("Cannot create %1.").arg(directory());
        return false;
    }
    QSaveFile file(filePath(state.deployment.name));
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    file.write(QJsonDocument(state.toJson()).toJson(QJsonDocument::Indented));
    if (!file.commit()) {
        if (error)
            *error = tr("Cannot save %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    return true;
}

std::optional<DeploymentState> DeploymentStore::load(const QString &deploymentName, QString *error)
{
    QFile file(filePath(deploymentName));
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = tr("No saved launch for '%1'.").arg(deploymentName);
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!document.isObject()) {
        if (error)
            *error = tr("%1 is damaged (%2); delete it or run 'apolo-deploy down --name %3'.")
                         .arg(file.fileName(), parseError.errorString(), deploymentName);
        return std::nullopt;
    }
    return DeploymentState::fromJson(document.object(), error);
}

bool DeploymentStore::remove(const QString &deploymentName)
{
    return QFile::remove(filePath(deploymentName)) || !QFile::exists(filePath(deploymentName));
}

QStringList DeploymentStore::names()
{
    QStringList result;
    for (const QString &file : QDir(directory()).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
        result << file.chopped(5);
    return result;
}

} // namespace ApoloDeploy
