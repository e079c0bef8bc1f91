// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/JobRegistry.h"

#include "sandbox/JobIngress.h"
#include "sandbox/LogStore.h"
#include "sandbox/SandboxLogging.h"
#include "sandbox/SandboxState.h"

#include <QDir>
#include <QUuid>

namespace ApoloDeploy::Sandbox {

namespace {

// Simulated seconds spent in each pending step (from the previous step).
constexpr double kCreatingSeconds = 1;
constexpr double kSchedulingSeconds = 2;
constexpr double kPullingSeconds = 3;
constexpr double kContainerCreatingSeconds = 2;
constexpr double kPullErrorSeconds = 20; // ErrImagePull persists this long before Collected
constexpr double kRestartDelaySeconds = 1;
constexpr int kTickMs = 20;

qint64 seconds(double value)
{
    return qint64(value * 1e9);
}

} // namespace

struct JobRegistry::Runtime
{
    qint64 nextStepNs = 0;
    qint64 oomAtNs = 0;
    QPointer<Workload> workload;
    LogStore *log = nullptr;
    JobIngress *ingress = nullptr;
    bool restartPending = false;
};

JobRegistry::JobRegistry(SandboxState &state, QObject *parent)
    : QObject(parent)
    , m_state(state)
{
    m_state.setJobsProvider([this] { return stateJson(); });
    restoreJobs();
    m_lastTickNs = m_state.clock().nowNs();
    m_ticker.setInterval(kTickMs);
    connect(&m_ticker, &QTimer::timeout, this, &JobRegistry::tick);
    m_ticker.start();
}

JobRegistry::~JobRegistry()
{
    for (const auto &runtime : std::as_const(m_runtime)) {
        if (runtime->workload) {
            runtime->workload->disconnect(this);
            runtime->workload->stop();
        }
    }
    qDeleteAll(m_order);
}

JobRegistry::Runtime &JobRegistry::runtimeOf(const QString &id)
{
    auto &runtime = m_runtime[id];
    if (!runtime) {
        runtime = std::make_shared<Runtime>();
        runtime->log = new LogStore(QDir(m_state.logDirectory()).filePath(id + QStringLiteral(".log")), this);
    }
    return *runtime;
}

JobRegistry::CreateResult JobRegistry::create(SandboxJob job, bool waitForJobsQuota)
{
    const QString &user = m_state.config().userName;
    if (m_state.userCredits && *m_state.userCredits <= 0)
        return {400, QStringLiteral("No credits left for user '%1'").arg(user)};
    if (m_state.orgCredits && *m_state.orgCredits <= 0)
        return {400, QStringLiteral("No credits left for org '%1'").arg(job.orgName)};
    if (!waitForJobsQuota && m_state.maxRunningJobs && activeJobCount() >= *m_state.maxRunningJobs)
        return {400, QStringLiteral("Jobs limit quota exceeded for user '%1'").arg(user)};
    if (!job.name.isEmpty()) {
        for (const SandboxJob *other : std::as_const(m_order)) {
            if (other->isActive() && other->name == job.name && other->projectName == job.projectName)
                return {400,
                        QStringLiteral("Failed to create job: job with name '%1' and project '%2' already exists: '%3'")
                            .arg(job.name, job.projectName, other->id)};
        }
    }
    QStringList missing;
    for (auto it = job.secretEnvUris.cbegin(); it != job.secretEnvUris.cend(); ++it) {
        if (!m_state.resolveSecret(it.value()))
            missing << u'\'' + it.value().section(u'/', 5) + u'\'';
    }
    if (!missing.isEmpty()) {
        missing.sort();
        return {400, QStringLiteral("Missing secrets: %1").arg(missing.join(QStringLiteral(", ")))};
    }

    auto *stored = new SandboxJob(std::move(job));
    stored->id = QStringLiteral("job-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    stored->createdNs = m_state.clock().nowNs();
    stored->statuses.append(
        {QStringLiteral("pending"), QStringLiteral("Creating"), {}, stored->createdNs, std::nullopt});
    m_order.append(stored);
    m_jobs.insert(stored->id, stored);
    Runtime &runtime = runtimeOf(stored->id);
    runtime.nextStepNs = stored->createdNs + seconds(kCreatingSeconds);
    if (stored->httpPort() >= 0) {
        runtime.ingress = new JobIngress(stored->id, *this, m_state, this);
        if (runtime.ingress->listen())
            stored->ingressPort = runtime.ingress->port();
    }
    m_state.markDirty();
    return {202, {}, stored};
}

const SandboxJob *JobRegistry::find(const QString &id) const
{
    return m_jobs.value(id);
}

SandboxJob *JobRegistry::mutableJob(const QString &id)
{
    return m_jobs.value(id);
}

const SandboxJob *JobRegistry::findByIdOrName(const QString &idOrName) const
{
    if (const SandboxJob *job = find(idOrName))
        return job;
    for (auto it = m_order.crbegin(); it != m_order.crend(); ++it) {
        if ((*it)->name == idOrName && (*it)->owner == m_state.config().userName)
            return *it;
    }
    return nullptr;
}

QList<const SandboxJob *> JobRegistry::jobs() const
{
    return {m_order.cbegin(), m_order.cend()};
}

LogStore *JobRegistry::logOf(const QString &id) const
{
    const auto runtime = m_runtime.value(id);
    return runtime ? runtime->log : nullptr;
}

Workload *JobRegistry::workloadOf(const QString &id) const
{
    const auto runtime = m_runtime.value(id);
    return runtime ? runtime->workload.data() : nullptr;
}

int JobRegistry::activeJobCount() const
{
    int count = 0;
    for (const SandboxJob *job : m_order)
        count += job->isActive() ? 1 : 0;
    return count;
}

void JobRegistry::cancel(const QString &id, const QString &reason)
{
    SandboxJob *job = mutableJob(id);
    if (job && job->isActive())
        finish(*job, QStringLiteral("cancelled"), reason, {}, std::nullopt);
}

void JobRegistry::setMaxRunTime(const QString &id, int minutes)
{
    if (SandboxJob *job = mutableJob(id)) {
        job->maxRunTimeMinutes = minutes;
        m_state.markDirty();
        Q_EMIT jobChanged(id);
    }
}

void JobRegistry::transition(SandboxJob &job, const QString &status, const QString &reason, const QString &description,
                             std::optional<int> exitCode)
{
    job.statuses.append({status, reason, description, m_state.clock().nowNs(), exitCode});
    m_state.markDirty();
    Q_EMIT jobChanged(job.id);
}

void JobRegistry::tick()
{
    const qint64 now = m_state.clock().nowNs();
    const double elapsedHours = double(now - m_lastTickNs) / 1e9 / 3600.0;
    m_lastTickNs = now;
    const FaultSettings &faults = m_state.faults().settings();
    const QList<SandboxJob *> snapshot = m_order;
    for (SandboxJob *job : snapshot) {
        if (!job->isActive())
            continue;
        Runtime &runtime = runtimeOf(job->id);
        if (job->status() == QLatin1String("pending")) {
            advancePending(*job, runtime, now);
            continue;
        }
        chargeCredits(elapsedHours, job->pricePerHour.toDouble());
        if (runtime.restartPending && now >= runtime.nextStepNs) {
            runtime.restartPending = false;
            transition(*job, QStringLiteral("running"));
            startWorkload(*job);
            continue;
        }
        if (job->maxRunTimeMinutes && job->runTimeSeconds(now) >= *job->maxRunTimeMinutes * 60.0) {
            finish(*job, QStringLiteral("cancelled"), QStringLiteral("LifeSpanEnded"), {}, std::nullopt);
            continue;
        }
        const bool oomByName = !faults.oomKillJobName.isEmpty() && faults.oomKillJobName == job->name;
        if ((oomByName || faults.oomKillAfterSeconds > 0) && runtime.oomAtNs == 0 && job->runningSinceNs > 0)
            runtime.oomAtNs = job->runningSinceNs + seconds(oomByName ? 2 : faults.oomKillAfterSeconds);
        if (runtime.oomAtNs > 0 && now >= runtime.oomAtNs) {
            runtime.oomAtNs = 0;
            if (runtime.workload)
                runtime.workload->injectOomKill(); // the workload reports exit 137 / OOMKilled
            else
                onWorkloadExited(job->id, 137, QStringLiteral("OOMKilled"), QString());
        }
    }
    const bool userBroke = m_state.userCredits && *m_state.userCredits <= 0;
    const bool orgBroke = m_state.orgCredits && *m_state.orgCredits <= 0;
    if (userBroke || orgBroke) {
        for (SandboxJob *job : snapshot) {
            if (job->isActive())
                finish(*job, QStringLiteral("cancelled"), QStringLiteral("QuotaExhausted"), {}, std::nullopt);
        }
    }
}

void JobRegistry::chargeCredits(double hours, double pricePerHour)
{
    const double cost = hours * pricePerHour;
    if (cost <= 0)
        return;
    if (m_state.userCredits)
        *m_state.userCredits -= cost;
    m_state.userSpent += cost;
    if (m_state.orgCredits)
        *m_state.orgCredits -= cost;
    m_state.orgSpent += cost;
}

bool JobRegistry::poolHasRoom(const SandboxJob &job) const
{
    const Preset *preset = m_state.presets().find(job.presetName);
    const ResourcePool *pool = preset ? m_state.presets().pool(preset->pool) : nullptr;
    if (!pool || pool->gpusPerNode == 0)
        return true;
    // Whole-node accounting is enough for the presets served: a job's GPUs sit on one node.
    int usedGpus = 0;
    for (const SandboxJob *other : m_order) {
        if (other == &job || other->status() != QLatin1String("running"))
            continue;
        const Preset *otherPreset = m_state.presets().find(other->presetName);
        if (otherPreset && otherPreset->pool == pool->name)
            usedGpus += otherPreset->gpuCount;
    }
    return usedGpus + preset->gpuCount <= pool->maxNodes * pool->gpusPerNode;
}

void JobRegistry::advancePending(SandboxJob &job, Runtime &runtime, qint64 now)
{
    if (now < runtime.nextStepNs)
        return;
    const QString reason = job.current().reason;
    const QString image = job.container.value(QLatin1String("image")).toString();
    if (reason == QLatin1String("Creating")) {
        transition(job, QStringLiteral("pending"), QStringLiteral("Scheduling"));
        runtime.nextStepNs = now + seconds(kSchedulingSeconds);
    } else if (reason == QLatin1String("Scheduling") || reason == QLatin1String("ClusterScalingUp")) {
        if (!poolHasRoom(job)) {
            if (reason == QLatin1String("Scheduling"))
                transition(job, QStringLiteral("pending"), QStringLiteral("ClusterScalingUp"),
                           QStringLiteral("Scaling up the cluster to get more resources"));
            runtime.nextStepNs = now + seconds(kSchedulingSeconds);
            return;
        }
        transition(job, QStringLiteral("pending"), QStringLiteral("Pulling"),
                   QStringLiteral("Pulling image \"%1\"").arg(image));
        runtime.nextStepNs = now + seconds(kPullingSeconds);
    } else if (reason == QLatin1String("Pulling")) {
        if (!job.imageExists) {
            transition(
                job, QStringLiteral("pending"), QStringLiteral("ErrImagePull"),
                QStringLiteral("rpc error: code = NotFound desc = failed to pull and unpack image \"%1\": not found")
                    .arg(image));
            runtime.nextStepNs = now + seconds(kPullErrorSeconds);
            return;
        }
        transition(job, QStringLiteral("pending"), QStringLiteral("ContainerCreating"));
        runtime.nextStepNs = now + seconds(kContainerCreatingSeconds);
    } else if (reason == QLatin1String("ErrImagePull")) {
        finish(job, QStringLiteral("failed"), QStringLiteral("Collected"),
               QStringLiteral("Image '%1' can not be pulled").arg(image), std::nullopt);
    } else if (reason == QLatin1String("ContainerCreating")) {
        job.startedNs = job.startedNs > 0 ? job.startedNs : now;
        job.runningSinceNs = now;
        transition(job, QStringLiteral("running"));
        startWorkload(job);
    }
}

void JobRegistry::startWorkload(SandboxJob &job)
{
    WorkloadSpec spec;
    spec.jobId = job.id;
    spec.jobName = job.name;
    spec.internalHostname = job.internalHostname();
    spec.internalHostnameNamed = job.internalHostnameNamed();
    spec.image = job.container.value(QLatin1String("image")).toString();
    spec.entrypoint = job.container.value(QLatin1String("entrypoint")).toString();
    spec.command = job.container.value(QLatin1String("command")).toString();
    const QJsonObject env = job.container.value(QLatin1String("env")).toObject();
    for (auto it = env.begin(); it != env.end(); ++it)
        spec.env.insert(it.key(), it.value().toString());
    for (auto it = job.secretEnvUris.cbegin(); it != job.secretEnvUris.cend(); ++it)
        spec.secretEnv.insert(it.key(), QString::fromUtf8(m_state.resolveSecret(it.value()).value_or(QByteArray())));
    const QJsonObject resources = job.container.value(QLatin1String("resources")).toObject();
    spec.gpuCount = resources.value(QLatin1String("nvidia_gpu")).toInt();
    spec.gpuModel = resources.value(QLatin1String("nvidia_gpu_model")).toString();
    if (const Preset *preset = m_state.presets().find(job.presetName))
        spec.gpuMemoryBytes = preset->gpuMemoryBytes;
    spec.httpPort = job.httpPort();
    spec.httpRequiresAuth =
        job.container.value(QLatin1String("http")).toObject().value(QLatin1String("requires_auth")).toBool();

    Runtime &runtime = runtimeOf(job.id);
    runtime.log->reopen();
    Workload *workload = createWorkload(spec, this, this);
    runtime.workload = workload;
    const QString id = job.id;
    LogStore *log = runtime.log;
    connect(workload, &Workload::output, this,
            [this, log](const QByteArray &bytes) { log->append(bytes, m_state.clock().nowNs()); });
    connect(workload, &Workload::exited, this, [this, id](int exitCode, const QString &reason, const QString &message) {
        onWorkloadExited(id, exitCode, reason, message);
    });
    workload->start();
}

void JobRegistry::onWorkloadExited(const QString &id, int exitCode, const QString &reason, const QString &message)
{
    SandboxJob *job = mutableJob(id);
    if (!job || job->status() != QLatin1String("running"))
        return;
    Runtime &runtime = runtimeOf(id);
    if (runtime.workload) {
        runtime.workload->disconnect(this);
        runtime.workload->stop();
        runtime.workload->deleteLater();
    }
    const bool restart = job->restartPolicy == QLatin1String("always") ||
                         (job->restartPolicy == QLatin1String("on-failure") && exitCode != 0);
    if (restart) {
        ++job->restarts;
        runtime.restartPending = true;
        runtime.nextStepNs = m_state.clock().nowNs() + seconds(kRestartDelaySeconds);
        transition(*job, QStringLiteral("running"), QStringLiteral("Restarting"));
        return;
    }
    if (exitCode == 0)
        finish(*job, QStringLiteral("succeeded"), {}, {}, 0);
    else
        finish(*job, QStringLiteral("failed"), reason.isEmpty() ? QStringLiteral("Error") : reason, message, exitCode);
}

void JobRegistry::finish(SandboxJob &job, const QString &status, const QString &reason, const QString &description,
                         std::optional<int> exitCode)
{
    const qint64 now = m_state.clock().nowNs();
    if (job.runningSinceNs > 0) {
        job.runSeconds += double(now - job.runningSinceNs) / 1e9;
        job.runningSinceNs = 0;
    }
    job.finishedNs = now;
    Runtime &runtime = runtimeOf(job.id);
    if (runtime.workload) {
        runtime.workload->disconnect(this);
        runtime.workload->stop();
        runtime.workload->deleteLater();
        runtime.workload = nullptr;
    }
    for (auto it = m_rayMembers.begin(); it != m_rayMembers.end(); ++it)
        it->removeIf([&job](const QPair<QString, int> &member) { return member.first == job.id; });
    m_rayMembers.remove(job.id);
    runtime.log->close(now);
    if (runtime.ingress) {
        runtime.ingress->deleteLater();
        runtime.ingress = nullptr;
    }
    transition(job, status, reason, description, exitCode);
}

// ---- WorkloadHost ---------------------------------------------------------------------------

QString JobRegistry::headJobIdForHost(const QString &host) const
{
    const QString bare = host.section(u':', 0, 0);
    for (const SandboxJob *job : m_order) {
        if (job->status() != QLatin1String("running"))
            continue;
        if (job->internalHostname() != bare && job->internalHostnameNamed() != bare)
            continue;
        const QString line = job->container.value(QLatin1String("entrypoint")).toString() + u' ' +
                             job->container.value(QLatin1String("command")).toString();
        if (line.contains(QLatin1String("ray")) && line.contains(QLatin1String("start")) &&
            line.contains(QLatin1String("--head")))
            return job->id;
    }
    return {};
}

bool JobRegistry::isRayHeadRunning(const QString &host) const
{
    return !headJobIdForHost(host).isEmpty();
}

QList<int> JobRegistry::rayNodeGpus(const QString &headHost) const
{
    const QString headId = headJobIdForHost(headHost);
    if (headId.isEmpty())
        return {};
    const SandboxJob *head = find(headId);
    QList<int> gpus{
        head->container.value(QLatin1String("resources")).toObject().value(QLatin1String("nvidia_gpu")).toInt()};
    for (const auto &[jobId, count] : m_rayMembers.value(headId)) {
        if (jobId != headId)
            gpus.append(count);
    }
    return gpus;
}

void JobRegistry::joinRayCluster(const QString &headHost, const QString &jobId, int gpus)
{
    const QString headId = headJobIdForHost(headHost);
    if (headId.isEmpty())
        return;
    auto &members = m_rayMembers[headId];
    members.removeIf([&jobId](const QPair<QString, int> &member) { return member.first == jobId; });
    members.append({jobId, gpus});
}

void JobRegistry::leaveRayCluster(const QString &headHost, const QString &jobId)
{
    const QString headId = headJobIdForHost(headHost);
    if (!headId.isEmpty())
        m_rayMembers[headId].removeIf([&jobId](const QPair<QString, int> &member) { return member.first == jobId; });
}

double JobRegistry::timeScale() const
{
    return m_state.clock().speed();
}

double JobRegistry::tokenRate() const
{
    return m_state.config().tokenRate;
}

bool JobRegistry::isValidPlatformToken(const QByteArray &token) const
{
    return m_state.isValidToken(token);
}

// ---- persistence ----------------------------------------------------------------------------

QJsonArray JobRegistry::stateJson() const
{
    QJsonArray array;
    const qint64 now = m_state.clock().nowNs();
    for (const SandboxJob *job : m_order) {
        QJsonObject json = job->toStateJson();
        // A running stint is saved as run time so far; it resumes on load.
        json.insert(QStringLiteral("run_seconds"), job->runTimeSeconds(now));
        array.append(json);
    }
    return array;
}

// Jobs of an earlier run come back as they were. Pending ones continue their schedule; running
// ones get a fresh container (history.restarts + 1, a "running Restarting" transition), like a
// node reboot, because the simulated processes did not survive the sandbox.
void JobRegistry::restoreJobs()
{
    const qint64 now = m_state.clock().nowNs();
    for (const QJsonValue &value : m_state.loadedJobs()) {
        auto *job = new SandboxJob(SandboxJob::fromStateJson(value.toObject()));
        if (job->id.isEmpty() || job->statuses.isEmpty()) {
            delete job;
            continue;
        }
        m_order.append(job);
        m_jobs.insert(job->id, job);
        Runtime &runtime = runtimeOf(job->id);
        if (job->isFinished()) {
            runtime.log->close(job->finishedNs);
            continue;
        }
        if (job->httpPort() >= 0) {
            runtime.ingress = new JobIngress(job->id, *this, m_state, this);
            if (runtime.ingress->listen())
                job->ingressPort = runtime.ingress->port();
        }
        if (job->status() == QLatin1String("running")) {
            job->runningSinceNs = now;
            ++job->restarts;
            runtime.restartPending = true;
            runtime.nextStepNs = now;
            job->statuses.append({QStringLiteral("running"), QStringLiteral("Restarting"), {}, now, std::nullopt});
        } else {
            runtime.nextStepNs = now;
        }
    }
}

} // namespace ApoloDeploy::Sandbox
