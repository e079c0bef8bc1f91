// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/workloads/VllmServerWorkload.h"

#include "sandbox/vllm/VllmTracebacks.h"
#include "sandbox/workloads/ScriptPlayer.h"
#include "sandbox/workloads/VllmApiService.h"

#include <QDateTime>

namespace ApoloDeploy::Sandbox {

VllmServerWorkload::VllmServerWorkload(ContainerContextPtr context, const QStringList &args, VllmEntrypoint entrypoint,
                                       QObject *parent)
    : Workload(parent)
    , m_context(std::move(context))
    , m_args(args)
    , m_entrypoint(entrypoint)
{
    m_player = new ScriptPlayer([context = m_context] { return context->timeScale(); }, this);
    connect(m_player, &ScriptPlayer::output, this, &Workload::output);
    connect(m_player, &ScriptPlayer::linePrinted, this, &VllmServerWorkload::onLine);
    connect(&m_placementTimer, &QTimer::timeout, this, &VllmServerWorkload::pollPlacement);
}

VllmServerWorkload::~VllmServerWorkload()
{
    stop();
}

ReasoningConfig VllmServerWorkload::reasoningConfig(const VllmServerArgs &args, const ModelFacts &model,
                                                    const QHash<QString, QString> &env)
{
    ReasoningConfig config;
    if (env.value(QStringLiteral("APOLO_SANDBOX_REASONING_FIELD")) == QLatin1String("reasoning"))
        config.fieldName = QStringLiteral("reasoning");
    if (args.enableReasoning && args.reasoningParser == QLatin1String("deepseek_r1")) {
        const bool bug = env.value(QStringLiteral("APOLO_SANDBOX_R1_PARSER_BUG")) == QLatin1String("1");
        config.output = bug && templatePrefillsThink(model, env) ? ReasoningOutput::ParserV072TemplateBug
                                                                 : ReasoningOutput::ParserField;
    }
    return config;
}

bool VllmServerWorkload::templatePrefillsThink(const ModelFacts &model, const QHash<QString, QString> &env)
{
    const QString overrideValue = env.value(QStringLiteral("APOLO_SANDBOX_THINK_PREFILL"));
    if (overrideValue == QLatin1String("0") || overrideValue == QLatin1String("1"))
        return model.reasoning && overrideValue == QLatin1String("1");
    return model.templatePrefillsThink;
}

void VllmServerWorkload::start()
{
    const VllmArgsParseResult parsed = parseVllmServerArgs(m_args, m_entrypoint, m_context->env);
    if (!parsed.ok) {
        Q_EMIT output(parsed.errorText.toUtf8());
        finishWith(parsed.exitCode, parsed.errorText.trimmed().section(QLatin1Char('\n'), -1));
        return;
    }
    // RAY_ADDRESS lets a server find a cluster that another container's `ray start` formed.
    if (m_context->rayHead.isEmpty()) {
        const QString address = m_context->env.value(QStringLiteral("RAY_ADDRESS")).section(QLatin1Char(':'), 0, 0);
        if (!address.isEmpty() && m_context->host->isRayHeadRunning(address))
            m_context->rayHead = address;
    }
    StartupEnvironment environment;
    environment.gpuModel = m_context->spec.gpuModel;
    environment.gpuMemoryBytes = m_context->spec.gpuMemoryBytes;
    environment.localGpus = m_context->spec.gpuCount;
    environment.rayClusterAttached = !m_context->rayHead.isEmpty();
    environment.rayHeadIp = ContainerContext::podIp(m_context->rayHead);
    environment.driverIp = m_context->ownIp();
    environment.env = m_context->env;
    environment.seed = m_context->seed();
    m_script.emplace(parsed.args, environment);
    playPhase(m_script->configPhase(), &VllmServerWorkload::afterConfig);
}

void VllmServerWorkload::playPhase(const ScriptPhase &phase, void (VllmServerWorkload::*next)())
{
    m_phase = phase;
    disconnect(m_phaseConnection);
    m_phaseConnection = connect(m_player, &ScriptPlayer::finished, this, next, Qt::SingleShotConnection);
    m_player->play(phase.lines, m_simNow);
}

void VllmServerWorkload::afterConfig()
{
    m_simNow = m_phase.endsAt;
    if (m_phase.fails) {
        finishWith(1, m_phase.terminationMessage);
        return;
    }
    if (!m_script->usesRay()) {
        playPhase(m_script->enginePhase(m_simNow, {m_context->spec.gpuCount}), &VllmServerWorkload::afterEngine);
        return;
    }
    const QList<int> nodes = clusterNodes();
    if (nodes.value(0) < 1) {
        // ray_utils.initialize_ray_cluster: the driver's own node must offer a GPU.
        const QString error =
            QStringLiteral("ValueError: Current node has no GPU available. current_node_resource={'CPU': 2.0, "
                           "'memory': 8589934592.0, 'node:%1': 1.0}. vLLM engine cannot start without GPU. Make sure "
                           "you have at least 1 GPU available in a node current_node_id='%2' current_ip='%1'.")
                .arg(m_context->ownIp(), QString::number(quint64(m_context->seed()) * 2654435761ULL, 16));
        Q_EMIT output(VllmTracebacks::render(VllmTracebacks::apiServerFrames(), error).toUtf8() + '\n');
        finishWith(1, error);
        return;
    }
    m_placementStart = m_simNow;
    m_placementClock.start();
    pollPlacement();
    if (!m_stopped && m_servingPort == 0 && !m_player->isPlaying())
        m_placementTimer.start(100);
}

QList<int> VllmServerWorkload::clusterNodes() const
{
    if (m_context->rayHead.isEmpty())
        return {m_context->spec.gpuCount};
    // vLLM's driver runs here, so this container's node comes first in the placement group.
    QList<int> nodes = m_context->host->rayNodeGpus(m_context->rayHead);
    const qsizetype own = nodes.indexOf(m_context->spec.gpuCount);
    if (own > 0)
        nodes.move(own, 0);
    return nodes;
}

void VllmServerWorkload::pollPlacement()
{
    if (m_stopped)
        return;
    const double waited = m_placementClock.elapsed() / 1000.0 * m_context->timeScale();
    const double now = m_placementStart + waited;
    if (m_script->placementSatisfied(clusterNodes())) {
        m_placementTimer.stop();
        m_simNow = now;
        playPhase(m_script->enginePhase(m_simNow, clusterNodes()), &VllmServerWorkload::afterEngine);
        return;
    }
    const QDateTime wall = QDateTime::currentDateTimeUtc();
    if (!m_warnedAutoscaler) {
        m_warnedAutoscaler = true;
        Q_EMIT output(LogScriptLine::vllm(now, QStringLiteral("WARNING"), QStringLiteral("ray_utils.py:199"),
                                          QStringLiteral("The number of required GPUs exceeds the total number of "
                                                         "available GPUs in the placement group."))
                          .render(wall)
                          .toUtf8());
        Q_EMIT output(QByteArrayLiteral("(autoscaler +6s) Warning: The following resource request cannot be scheduled "
                                        "right now: {'GPU': 1.0}. This is likely due to all cluster resources being "
                                        "claimed by actors. Consider creating fewer actors or increasing the resources "
                                        "available to this Ray cluster.\n"));
    }
    // _wait_until_pg_ready: reports after 10, 30, 70, 150 … seconds, gives up after 1800.
    while (waited >= m_nextWaitReport && m_nextWaitReport < StartupLogScript::kPlacementTimeoutSeconds) {
        Q_EMIT output(m_script->placementWaitLine(now, m_nextWaitReport).render(wall).toUtf8());
        m_waitInterval *= 2;
        m_nextWaitReport += m_waitInterval;
    }
    if (waited >= StartupLogScript::kPlacementTimeoutSeconds) {
        m_placementTimer.stop();
        m_simNow = now;
        playPhase(m_script->placementTimeout(m_simNow), &VllmServerWorkload::afterEngine);
    }
}

void VllmServerWorkload::afterEngine()
{
    m_simNow = m_phase.endsAt;
    if (m_phase.fails)
        finishWith(1, m_phase.terminationMessage);
    // Otherwise the server keeps serving until the job is killed.
}

void VllmServerWorkload::onLine(const LogScriptLine &line)
{
    if (line.message == QLatin1String("INFO:     Application startup complete."))
        startServing();
}

void VllmServerWorkload::startServing()
{
    const VllmServerArgs &args = m_script->args();
    const ModelFacts &model = *m_script->model();
    VllmApiConfig config;
    config.servedNames = args.servedModelNames.isEmpty() ? QStringList{args.model} : args.servedModelNames;
    config.root = args.model;
    config.maxModelLen = m_script->maxModelLen();
    config.apiKey = args.apiKey;
    config.requiresPlatformAuth = m_context->spec.httpRequiresAuth;
    config.host = m_context->host;
    config.jobId = m_context->spec.jobId;
    config.model = model;
    config.templatePrefillsThink = templatePrefillsThink(model, m_context->env);
    config.reasoning = reasoningConfig(args, model, m_context->env);
    config.nestedErrors = m_context->env.value(QStringLiteral("APOLO_SANDBOX_VLLM_ERRORS")) == QLatin1String("nested");
    config.gpuBlocks = m_script->memory().gpuBlocks;
    config.blockSize = args.blockSize;
    config.gpuMemoryUtilization = args.gpuMemoryUtilization;
    config.logRequests = !args.disableLogRequests;
    config.logStats = !args.disableLogStats;
    m_service = new VllmApiService(std::move(config), this);
    connect(m_service, &VllmApiService::output, this, &Workload::output);
    if (!m_service->listen()) {
        const QString error = QStringLiteral("ERROR:    [Errno 98] error while attempting to bind on address "
                                             "('0.0.0.0', %1): address already in use")
                                  .arg(args.port);
        m_player->stop();
        Q_EMIT output(error.toUtf8() + '\n');
        finishWith(1, error);
        return;
    }
    // The ingress forwards to the job's http port on the pod IP: a server bound elsewhere (another
    // --port, or loopback only) runs but is unreachable, as on the platform.
    const int httpPort = m_context->spec.httpPort;
    const bool loopbackOnly = args.host == QLatin1String("127.0.0.1") || args.host == QLatin1String("localhost");
    if ((httpPort < 0 || httpPort == args.port) && !loopbackOnly)
        m_servingPort = m_service->port();
}

void VllmServerWorkload::finishWith(int exitCode, const QString &message)
{
    m_stopped = true;
    m_placementTimer.stop();
    Q_EMIT exited(exitCode, exitCode == 0 ? QStringLiteral("Completed") : QStringLiteral("Error"), message);
}

void VllmServerWorkload::stop()
{
    m_stopped = true;
    m_placementTimer.stop();
    if (m_player)
        m_player->stop();
    m_servingPort = 0;
    delete m_service;
    m_service = nullptr;
}

} // namespace ApoloDeploy::Sandbox
