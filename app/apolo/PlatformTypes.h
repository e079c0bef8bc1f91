// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apolo/Decimal.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

// Value types of the Apolo API (specs/apolo-api.md). Field names follow the wire names in
// lowerCamelCase; decimals stay strings next to a parsed Decimal so nothing is lost.
namespace ApoloDeploy {

struct GpuSpec
{
    int count = 0;
    QString model;          // e.g. "nvidia-h100-80gb"; may be empty
    qint64 memoryBytes = 0; // 0 when the server does not say
};

struct Preset
{
    QString name;
    QString creditsPerHour; // exact decimal string as sent ("4.2")
    double cpu = 0;
    qint64 memoryBytes = 0;
    GpuSpec nvidiaGpu;                 // count 0 = no NVIDIA GPU
    QMap<QString, GpuSpec> nvidiaMigs; // MIG profile -> slices
    GpuSpec amdGpu;
    GpuSpec intelGpu;
    QString tpuType;
    QString tpuSoftwareVersion;
    bool schedulerEnabled = false; // "Round Robin" / preemptible scheduling
    bool preemptibleNode = false;
    QStringList resourcePoolNames;
    QStringList availableResourcePoolNames;

    // The decimal price; zero when the string is malformed (the parser refuses those).
    Decimal creditsPerHourValue() const { return Decimal::parse(creditsPerHour).value_or(Decimal()); }
    int gpuCount() const { return nvidiaGpu.count; }
    QString gpuModel() const { return nvidiaGpu.model; }
    qint64 gpuMemoryBytes() const { return nvidiaGpu.memoryBytes; }
};

struct ResourcePool
{
    QString name;
    int minSize = 0;
    int maxSize = 0;
    double cpu = 0;
    double availableCpu = 0;
    qint64 memoryBytes = 0;
    qint64 availableMemoryBytes = 0;
    qint64 diskSizeBytes = 0;
    GpuSpec nvidiaGpu;
    bool preemptible = false;
};

struct StorageVolume
{
    QString name;
    QString creditsPerHourPerGb; // decimal string
};

struct Cluster
{
    QString name;
    QStringList orgs; // org names usable in this cluster; the first is the SDK default
    QUrl registryUrl;
    QUrl storageUrl;
    QUrl monitoringUrl;
    QUrl secretsUrl;
    QUrl disksUrl;
    QUrl bucketsUrl;
    QUrl usersUrl;
    QList<Preset> presets; // server order: the first is the default preset
    QList<ResourcePool> resourcePools;
    QList<StorageVolume> storageVolumes;
    QStringList energyScheduleNames;
    QString timezone;
    QString location;

    const Preset *preset(const QString &presetName) const;
};

struct Org
{
    QString name;
    QString role; // admin / manager / user
};

struct Project
{
    QString name;
    QString role; // admin / manager / writer / reader
    QString clusterName;
    QString orgName;
};

struct OAuthSettings
{
    QUrl authUrl;
    QUrl tokenUrl;
    QUrl logoutUrl;
    QString clientId;
    QString audience;
    QList<QUrl> callbackUrls; // http://127.0.0.1:54540 … (no trailing slash)
    QUrl headlessCallbackUrl;
    QUrl successRedirectUrl;

    bool isValid() const { return authUrl.isValid() && tokenUrl.isValid() && !clientId.isEmpty(); }
};

// GET {api}/config
struct ServerConfig
{
    bool authorized = false;
    QList<Org> orgs;
    QList<Cluster> clusters;
    QList<Project> projects;
    QUrl adminUrl;
    QUrl vclusterUrl;
    OAuthSettings oauth;

    const Cluster *cluster(const QString &clusterName) const;
};

// Where every request goes: the client-side "current" cluster / org / project (§1.3).
struct ProjectScope
{
    QString cluster;
    QString org;
    QString project;

    bool isComplete() const { return !cluster.isEmpty() && !org.isEmpty() && !project.isEmpty(); }
    bool operator==(const ProjectScope &) const = default;
};

enum class JobStatus { Unknown, Pending, Suspended, Running, Succeeded, Cancelled, Failed };

JobStatus jobStatusFromString(QStringView status);
QString jobStatusToString(JobStatus status); // wire value ("pending"…), "unknown" for Unknown
inline bool isActive(JobStatus s)
{
    return s == JobStatus::Pending || s == JobStatus::Suspended || s == JobStatus::Running;
}
inline bool isFinished(JobStatus s)
{
    return s == JobStatus::Succeeded || s == JobStatus::Cancelled || s == JobStatus::Failed;
}

struct JobStatusItem
{
    JobStatus status = JobStatus::Unknown;
    QString statusText; // verbatim, also for Unknown
    QDateTime transitionTime;
    QString reason;      // "Creating", "Pulling", "UserRequested", "OOMKilled", … (k8s text verbatim)
    QString description; // e.g. 'Pulling image "…"'
    std::optional<int> exitCode;
};

struct JobHistory
{
    JobStatus status = JobStatus::Unknown;
    QString reason;
    QString description;
    QDateTime createdAt;
    QDateTime startedAt;
    QDateTime finishedAt;
    double runTimeSeconds = 0;
    int restarts = 0;
    std::optional<int> exitCode;
};

struct JobHttp
{
    int port = 0;
    bool requiresAuth = false;
    QString healthCheckPath;
};

struct JobResources
{
    double cpu = 0;
    qint64 memoryBytes = 0;
    bool shm = false;
    int nvidiaGpu = 0;
    QString nvidiaGpuModel;
};

struct StorageVolumeMount
{
    QString srcStorageUri; // storage://cluster/org/project/path
    QString dstPath;
    bool readOnly = false;
};

struct SecretVolumeMount
{
    QString srcSecretUri; // secret://cluster/org/project/KEY
    QString dstPath;
};

struct DiskVolumeMount
{
    QString srcDiskUri; // disk://cluster/org/project/disk-id
    QString dstPath;
    bool readOnly = false;
};

struct JobContainer
{
    QString image;
    QString entrypoint;
    QString command;
    QString workingDir;
    QMap<QString, QString> env;
    QMap<QString, QString> secretEnv; // NAME -> secret:// URI
    QList<StorageVolumeMount> volumes;
    QList<SecretVolumeMount> secretVolumes;
    QList<DiskVolumeMount> diskVolumes;
    std::optional<JobHttp> http;
    JobResources resources;
    bool tty = false;
};

// GET /jobs/{id} (§3.4)
struct Job
{
    QString id; // job-<uuid4>
    QString name;
    QString owner;
    QString clusterName;
    QString orgName;
    QString projectName;
    QString namespaceName;
    QString orgProjectHash;
    QString uri;
    JobStatus status = JobStatus::Unknown;
    QString statusText;  // verbatim
    QString reason;      // from history
    QString description; // the job's description (title), not the status description
    QString statusDescription;
    QList<JobStatusItem> statuses;
    JobHistory history;
    JobContainer container;
    QStringList tags;
    QUrl httpUrl;
    QUrl httpUrlNamed;
    QString internalHostname;
    QString internalHostnameNamed;
    QString presetName;
    QString priceCreditsPerHour; // decimal string
    QString totalPriceCredits;   // decimal string
    std::optional<int> maxRunTimeMinutes;
    QString restartPolicy;
    QString priority;
    bool schedulerEnabled = false;
    bool preemptibleNode = false;
    bool passConfig = false;
    bool privileged = false;

    QDateTime createdAt() const { return history.createdAt; }
    double runTimeSeconds() const { return history.runTimeSeconds; }
    // The SDK prefers the named URL when the server gave one.
    QUrl preferredHttpUrl() const { return httpUrlNamed.isValid() ? httpUrlNamed : httpUrl; }
};

// What POST /jobs?from_preset sends (§3.2), before URI normalisation. Plain `storage:`,
// `secret:`, `disk:` URIs are accepted and normalised against the scope; env values starting
// with "secret:" move to secret_env as the apolo CLI does.
struct JobRequest
{
    QString image;
    QString entrypoint;
    QString command; // one shell-quoted string
    QString workingDir;
    QMap<QString, QString> env;
    QMap<QString, QString> secretEnv;
    QList<StorageVolumeMount> volumes;
    QList<SecretVolumeMount> secretVolumes;
    QList<DiskVolumeMount> diskVolumes;
    std::optional<JobHttp> http; // unset = no exposed port
    bool tty = false;
    bool shm = true; // resources {"shm": true}: NCCL needs a large /dev/shm
    QString presetName;
    QString name;
    QString description;
    QStringList tags;
    bool passConfig = false;
    bool waitForJobsQuota = false;
    bool privileged = false;
    QString priority; // empty = server default ("normal")
    std::optional<double> scheduleTimeoutSeconds;
    std::optional<int> maxRunTimeMinutes; // unset = no life span limit
    QString restartPolicy;                // empty = "never"
    QString energyScheduleName;
    ProjectScope scope; // empty fields = the client's current scope
};

struct JobListFilter
{
    QList<JobStatus> statuses; // empty = all statuses
    QString name;
    QStringList tags; // job must carry all of them
    QStringList owners;
    // Unset fields fall back to the client's current scope; allProjects drops project_name.
    ProjectScope scope;
    bool allProjects = false;
    QDateTime since;
    QDateTime until;
    bool reverse = false;
    int limit = 0; // 0 = no limit
};

struct Secret
{
    QString key;
    QString owner;
    QString orgName;
    QString projectName;
};

struct Balance
{
    std::optional<QString> credits; // decimal string; nullopt = unlimited
    QString spentCredits;
};

struct Quota
{
    std::optional<int> totalRunningJobs; // nullopt = unlimited
};

// GET {admin_url}/clusters/{c}/orgs/{o}/users/{u}
struct ClusterUserInfo
{
    QString userName;
    QString role;
    QString orgName;
    Quota quota;
    Balance balance;
};

// GET {admin_url}/clusters/{c}/orgs/{o}
struct OrgClusterInfo
{
    QString orgName;
    Quota quota;
    Balance balance;
    bool maintenance = false;
};

// GET {monitoring_url}/capacity: preset name -> jobs that can start now.
using Capacity = QMap<QString, int>;

} // namespace ApoloDeploy
