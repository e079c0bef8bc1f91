// SPDX-License-Identifier: GPL-3.0-or-later
#include "deploy/DeploymentFlow.h"

#include "deploy/DeploymentValidator.h"
#include "deploy/JobPlan.h"
#include "flow/FlowChecker.h"
#include "flow/FlowExpressions.h"
#include "flow/FlowWriter.h"
#include "flow/PlatformNameRules.h"
#include "flow/Yaml11Scalar.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QRegularExpression>

namespace ApoloDeploy {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("DeploymentFlow", text);
}

constexpr auto cacheVolumeId = "hf_cache";
// Safe for shellQuote, replaced by the inspect_job template once the command is quoted.
constexpr auto headPlaceholder = "APOLODEPLOYHEADHOST";

QString inspectHost(const QString &jobId)
{
    return QStringLiteral("${{ inspect_job('%1').internal_hostname_named }}").arg(jobId);
}

FlowScalar text(const QString &value)
{
    return FlowScalar::of(value, !Yaml11Scalar::changesWhenLoaded(value));
}

FlowScalar literal(const QString &value)
{
    return FlowScalar::of(value, true);
}

FlowJob toFlowJob(const PlannedJob &planned, const Deployment &d)
{
    const JobRequest &r = planned.request;
    FlowJob job;
    job.id = planned.flowId;
    job.set(QStringLiteral("image"), text(r.image));
    job.set(QStringLiteral("name"), text(r.name));
    job.set(QStringLiteral("title"), FlowScalar::of(r.description, false));
    job.set(QStringLiteral("preset"), text(r.presetName));
    job.set(QStringLiteral("detach"), literal(QStringLiteral("true")));
    if (r.http) {
        job.set(QStringLiteral("http_port"), literal(QString::number(r.http->port)));
        job.set(QStringLiteral("http_auth"),
                literal(r.http->requiresAuth ? QStringLiteral("true") : QStringLiteral("false")));
    }
    if (!r.entrypoint.isEmpty())
        job.set(QStringLiteral("entrypoint"), text(r.entrypoint));
    QString command = r.command;
    command.replace(QLatin1String(headPlaceholder), inspectHost(QStringLiteral("ray_head")));
    if (!command.isEmpty())
        job.set(QStringLiteral("cmd"), FlowScalar::of(command, !Yaml11Scalar::changesWhenLoaded(command)));
    for (const StorageVolumeMount &volume : r.volumes) {
        if (volume.srcStorageUri == d.hfCacheVolume && volume.dstPath == d.hfCacheMount)
            job.volumes.append(literal(QStringLiteral("${{ volumes.%1.ref_rw }}").arg(QLatin1String(cacheVolumeId))));
        else
            job.volumes.append(text(volume.srcStorageUri + QLatin1Char(':') + volume.dstPath +
                                    (volume.readOnly ? QStringLiteral(":ro") : QStringLiteral(":rw"))));
    }
    for (auto it = r.env.cbegin(); it != r.env.cend(); ++it)
        job.env.append({it.key(), FlowScalar::of(it.value(), false)});
    for (const QString &tag : r.tags)
        job.tags.append(text(tag));
    return job;
}

QString flagValue(const QStringList &words, const QString &flag, bool *present = nullptr)
{
    for (qsizetype i = 0; i < words.size(); ++i) {
        if (words.at(i) == flag) {
            if (present)
                *present = true;
            return i + 1 < words.size() ? words.at(i + 1) : QString();
        }
        if (words.at(i).startsWith(flag + QLatin1Char('='))) {
            if (present)
                *present = true;
            return words.at(i).mid(flag.size() + 1);
        }
    }
    return {};
}

// The vLLM words of a server job: everything after the module (or all flags when the image's
// entrypoint is the server), up to a shell operator.
QStringList vllmWords(const QStringList &words)
{
    qsizetype start = words.indexOf(QStringLiteral("vllm.entrypoints.openai.api_server"));
    if (start < 0) {
        start = words.indexOf(QStringLiteral("serve"));
        if (start >= 0 && start + 1 < words.size() && !words.at(start + 1).startsWith(QLatin1String("--")))
            ++start; // `vllm serve MODEL`: the model is positional
    }
    QStringList result = start >= 0 ? words.mid(start + 1) : words;
    for (qsizetype i = 0; i < result.size(); ++i) {
        if (QStringList{QStringLiteral("&&"), QStringLiteral(";"), QStringLiteral("\n"), QStringLiteral("||")}.contains(
                result.at(i)))
            return result.mid(0, i);
    }
    return result;
}

QString resolveProjectId(QString value, const QString &projectId)
{
    static const QRegularExpression projectTemplate(
        QStringLiteral("(?:\\$\\[\\[|\\$\\{\\{)\\s*(?:flow\\.project_id|project\\.id)\\s*(?:\\]\\]|\\}\\})"));
    if (!projectId.isEmpty())
        value.replace(projectTemplate, projectId);
    return value;
}

class Importer
{
public:
    Importer(const LiveFlow &flow, const DeploymentFlow::ImportOptions &options)
        : m_flow(flow)
        , m_options(options)
    {}

    DeploymentFlow::ImportResult run()
    {
        classify();
        if (!m_server) {
            note(FlowIssue::Severity::Info, {},
                 tr("No job runs the vLLM OpenAI server, so this flow is not a model "
                    "deployment this console can manage."),
                 tr("Run its jobs as written with 'apolo-deploy flow run FILE JOB'."), "import-not-recognised");
            return std::move(m_result);
        }
        m_result.recognised = true;
        mapServer();
        mapNodes();
        mapWeb();
        m_result.deployment.name = deploymentName();
        note(FlowIssue::Severity::Info, m_server->position,
             tr("Launching this deployment uses apolo-deploy's job names (%1-head, %1-server …) and tags "
                "(deployment:%1), not the file's.")
                 .arg(m_result.deployment.name),
             QString(), "import-naming");
        return std::move(m_result);
    }

private:
    void note(FlowIssue::Severity severity, const FlowPosition &position, const QString &message, const QString &fix,
              const char *code)
    {
        m_result.issues.append({severity, position, message, fix, QString::fromLatin1(code)});
    }

    void classify()
    {
        for (const FlowJob &job : m_flow.jobs) {
            if (job.isActionOrModuleCall)
                continue;
            const QStringList words = FlowPitfalls::commandWords(job);
            const QString joined = words.join(QLatin1Char(' '));
            const bool rayStart = joined.contains(QLatin1String("ray start"));
            const bool vllm = joined.contains(QLatin1String("vllm.entrypoints.openai.api_server")) ||
                              joined.contains(QLatin1String("vllm serve")) ||
                              (!job.has(u"entrypoint") && job.text(u"image").contains(QLatin1String("vllm-openai")) &&
                               (words.isEmpty() || words.constFirst().startsWith(QLatin1String("--"))));
            if (vllm && !m_server) {
                m_server = &job;
                m_serverWords = words;
                m_result.serverJobId = job.id;
            } else if (rayStart && words.contains(QStringLiteral("--head"))) {
                m_head = &job;
                m_result.headJobId = job.id;
            } else if (rayStart) {
                m_workers << &job;
                m_result.workerJobIds << job.id;
            } else if (job.text(u"image").contains(QLatin1String("open-webui"))) {
                m_web = &job;
                m_result.webJobId = job.id;
            }
        }
    }

    QString preset(const FlowJob &job) const
    {
        return job.has(u"preset") ? job.text(u"preset") : m_flow.defaults.preset.text;
    }

    QString envOf(const FlowJob &job, const QString &name) const
    {
        for (const auto &[key, value] : job.env) {
            if (key == name)
                return value.text;
        }
        for (const auto &[key, value] : m_flow.defaults.env) {
            if (key == name)
                return value.text;
        }
        return {};
    }

    QString secretName(const FlowJob &job, const QString &env, const char *field)
    {
        const QString value = envOf(job, env);
        if (value.isEmpty())
            return {};
        if (value.startsWith(QLatin1String("secret:")))
            return value.mid(7).section(QLatin1Char('/'), -1);
        note(FlowIssue::Severity::Warning, job.position,
             tr("%1 is written in the file in plain text; anyone who can list the jobs can read it.").arg(env),
             tr("Store it with 'apolo secret add %1 …' and write %1: secret:%1.").arg(env), "import-plain-secret");
        Q_UNUSED(field);
        return {};
    }

    void mapServer()
    {
        Deployment &d = m_result.deployment;
        const FlowJob &job = *m_server;
        d.image = job.text(u"image");
        const QStringList words = vllmWords(m_serverWords);
        d.model = flagValue(words, QStringLiteral("--model"));
        if (d.model.isEmpty()) {
            const qsizetype serve = m_serverWords.indexOf(QStringLiteral("serve"));
            if (serve >= 0 && serve + 1 < m_serverWords.size())
                d.model = m_serverWords.at(serve + 1);
        }
        d.servedModelName = flagValue(words, QStringLiteral("--served-model-name"));
        const QString tp =
            flagValue(words, QStringLiteral("--tensor-parallel-size")) + flagValue(words, QStringLiteral("-tp"));
        const QString pp =
            flagValue(words, QStringLiteral("--pipeline-parallel-size")) + flagValue(words, QStringLiteral("-pp"));
        d.tensorParallel = tp.isEmpty() ? 1 : tp.toInt();
        d.pipelineParallel = pp.isEmpty() ? 1 : pp.toInt();
        d.maxModelLen = flagValue(words, QStringLiteral("--max-model-len")).toInt();
        const QString dtype = flagValue(words, QStringLiteral("--dtype"));
        d.dtype = dtype.isEmpty() ? QStringLiteral("auto") : dtype;
        d.quantization = flagValue(words, QStringLiteral("--quantization")) + flagValue(words, QStringLiteral("-q"));
        const QString utilization = flagValue(words, QStringLiteral("--gpu-memory-utilization"));
        d.gpuMemoryUtilization = utilization.isEmpty() ? 0.9 : utilization.toDouble();
        const QString kv = flagValue(words, QStringLiteral("--kv-cache-dtype"));
        d.kvCacheDtype = kv.isEmpty() ? QStringLiteral("auto") : kv;
        bool present = false;
        flagValue(words, QStringLiteral("--enforce-eager"), &present);
        d.enforceEager = present;
        present = false;
        flagValue(words, QStringLiteral("--trust-remote-code"), &present);
        d.trustRemoteCode = present;
        present = false;
        flagValue(words, QStringLiteral("--enable-reasoning"), &present);
        d.reasoningParser = present || !flagValue(words, QStringLiteral("--reasoning-parser")).isEmpty();
        d.extraVllmArgs = unmanagedArguments(words);
        if (m_options.referenceMaxModelLen > 0 && d.maxModelLen != m_options.referenceMaxModelLen)
            note(FlowIssue::Severity::Warning, job.position,
                 tr("The file serves a context of %1 tokens but the current plan uses %2.")
                     .arg(d.maxModelLen)
                     .arg(m_options.referenceMaxModelLen),
                 tr("Pick one; the planner shows whether %1 fits the KV cache.")
                     .arg(qMax(d.maxModelLen, m_options.referenceMaxModelLen)),
                 "seed-context-mismatch");
        d.preset = preset(job);
        d.lifeSpan = job.has(u"life_span") ? job.text(u"life_span") : m_flow.defaults.lifeSpan.text;
        if (d.lifeSpan.isEmpty())
            d.lifeSpan = QStringLiteral("1d"); // apolo run's default
        const FlowScalar auth = job.scalar(u"http_auth");
        d.httpAuth = !auth.isSet() || !auth.plain || Yaml11Scalar::resolvePlain(auth.text).boolValue;
        d.hfTokenSecret = secretName(job, QStringLiteral("HF_TOKEN"), "hfTokenSecret");
        d.apiKeySecret = secretName(job, QStringLiteral("VLLM_API_KEY"), "apiKeySecret");
        if (!flagValue(words, QStringLiteral("--api-key")).isEmpty())
            note(FlowIssue::Severity::Warning, job.position,
                 tr("--api-key is passed on the command line, where anyone listing jobs can read it."),
                 tr("Store the key as a platform secret and set it as VLLM_API_KEY: secret:NAME."),
                 "import-plain-secret");
        d.networkInterface = envOf(job, QStringLiteral("NCCL_SOCKET_IFNAME"));
        d.extraEnv.clear();
        static const QStringList managedEnv{QStringLiteral("HF_TOKEN"), QStringLiteral("VLLM_API_KEY"),
                                            QStringLiteral("NCCL_SOCKET_IFNAME"), QStringLiteral("GLOO_SOCKET_IFNAME")};
        for (const auto &[key, value] : job.env) {
            if (!key.isEmpty() && !managedEnv.contains(key))
                d.extraEnv.insert(key, value.text);
        }
        mapCacheVolume(job);
    }

    QStringList unmanagedArguments(const QStringList &words)
    {
        // What the form manages, plus --api-key: the key travels as a secret, never as an argument.
        static const QStringList valueFlags = DeploymentValidator::managedVllmValueFlags()
                                              << QStringLiteral("--api-key");
        static const QStringList switches = DeploymentValidator::managedVllmSwitches();
        const QString model = flagValue(words, QStringLiteral("--model"));
        QStringList extra;
        for (qsizetype i = 0; i < words.size(); ++i) {
            const QString flag = words.at(i).section(QLatin1Char('='), 0, 0);
            const bool inlineValue = words.at(i).contains(QLatin1Char('='));
            if (switches.contains(flag))
                continue;
            if (valueFlags.contains(flag)) {
                if (!inlineValue)
                    ++i;
                continue;
            }
            // The seed passes --tokenizer equal to --model, which is vLLM's default anyway.
            if (flag == QLatin1String("--tokenizer")) {
                const QString value = inlineValue ? words.at(i).section(QLatin1Char('='), 1) : words.value(i + 1);
                if (value == model) {
                    if (!inlineValue)
                        ++i;
                    continue;
                }
            }
            extra << words.at(i);
        }
        return extra;
    }

    void mapCacheVolume(const FlowJob &job)
    {
        Deployment &d = m_result.deployment;
        d.hfCacheVolume.clear();
        QList<FlowScalar> volumes = m_flow.defaults.volumes;
        volumes << job.volumes;
        for (const FlowScalar &volume : std::as_const(volumes)) {
            QString remote;
            QString mount;
            const auto scan = FlowExpressions::scan(volume.text);
            if (scan.templates.size() == 1) {
                const QStringList ref = FlowExpressions::contextReferences(scan.templates.constFirst().body).value(0);
                const FlowVolume *v =
                    ref.size() >= 2 && ref.at(0) == QLatin1String("volumes") ? m_flow.volume(ref.at(1)) : nullptr;
                if (v) {
                    remote = v->remote.text;
                    mount = v->mount.text;
                }
            } else {
                const QStringList parts = volume.text.split(QLatin1Char(':'));
                if (parts.size() >= 3) {
                    remote = parts.at(0) + QLatin1Char(':') + parts.at(1);
                    mount = parts.at(2);
                }
            }
            if (!mount.contains(QLatin1String("huggingface")) && mount != d.hfCacheMount)
                continue;
            d.hfCacheMount = mount;
            d.hfCacheVolume = resolveProjectId(remote, m_options.projectId);
            if (FlowExpressions::containsTemplate(d.hfCacheVolume)) {
                note(FlowIssue::Severity::Warning, volume.position,
                     tr("The cache volume %1 depends on the flow's project id, which is not known here.").arg(remote),
                     tr("Pass --project-id (apolo-flow uses the name of the folder that holds .apolo/), or edit the "
                        "cache "
                        "volume."),
                     "import-project-id");
                d.hfCacheVolume = QStringLiteral("storage:hf-cache");
            }
            return;
        }
    }

    void mapNodes()
    {
        const Deployment &d = m_result.deployment;
        const int rayJobs = (m_head ? 1 : 0) + int(m_workers.size()) + 1;
        if (d.pipelineParallel > 1 && !m_head)
            note(FlowIssue::Severity::Warning, m_server->position,
                 tr("The server uses pipeline parallel size %1 but the flow has no Ray head job.")
                     .arg(d.pipelineParallel),
                 tr("The launch adds the head and workers itself."), "import-no-head");
        if (d.pipelineParallel > 1 && rayJobs != d.pipelineParallel)
            note(FlowIssue::Severity::Info, m_server->position,
                 tr("The launch will start %1 nodes (one per pipeline stage), not the %2 Ray jobs of the file.")
                     .arg(d.pipelineParallel)
                     .arg(rayJobs),
                 QString(), "import-node-count");
        if (m_head && preset(*m_head) != preset(*m_server))
            note(FlowIssue::Severity::Warning, m_head->position,
                 tr("The head uses preset %1 but the server %2: the launch runs every node on %2 so the nodes stay "
                    "homogeneous.")
                     .arg(preset(*m_head), preset(*m_server)),
                 QString(), "import-mixed-presets");
    }

    void mapWeb()
    {
        Deployment &d = m_result.deployment;
        d.openWebUi = m_web != nullptr;
        if (!m_web)
            return;
        d.webImage = m_web->text(u"image");
        d.webPreset = preset(*m_web);
    }

    QString deploymentName() const
    {
        const QString serverName = m_server->text(u"name");
        if (serverName.endsWith(QLatin1String("-server")))
            return serverName.chopped(7);
        QStringList names;
        for (const FlowJob *job : {m_head, m_server, m_web}) {
            if (job && job->has(u"name"))
                names << job->text(u"name");
        }
        QString prefix = names.value(0);
        for (const QString &name : std::as_const(names)) {
            while (!name.startsWith(prefix))
                prefix.chop(1);
        }
        // Cut at a dash boundary: "ray-head" + "ray-worker" -> "ray".
        if (names.size() > 1 || !prefix.endsWith(QLatin1Char('-')))
            prefix = prefix.left(qMax<qsizetype>(0, prefix.lastIndexOf(QLatin1Char('-'))));
        if (prefix.size() >= 3 && PlatformNameRules::checkJobName(prefix).isEmpty())
            return prefix;
        QString fallback = (m_flow.id.isSet() ? m_flow.id.text : QStringLiteral("imported")).toLower();
        fallback.replace(QLatin1Char('_'), QLatin1Char('-'));
        return fallback;
    }

    const LiveFlow &m_flow;
    DeploymentFlow::ImportOptions m_options;
    DeploymentFlow::ImportResult m_result;
    const FlowJob *m_server = nullptr;
    const FlowJob *m_head = nullptr;
    const FlowJob *m_web = nullptr;
    QList<const FlowJob *> m_workers;
    QStringList m_serverWords;
};

} // namespace

LiveFlow DeploymentFlow::toLiveFlow(const Deployment &d)
{
    LiveFlow flow;
    flow.kind = literal(QStringLiteral("live"));
    flow.title = FlowScalar::of(tr("apolo-deploy: %1 (%2)").arg(d.name, d.model), false);
    flow.defaults.lifeSpan = literal(d.lifeSpan);
    if (!d.hfCacheVolume.isEmpty()) {
        FlowVolume cache;
        cache.id = QLatin1String(cacheVolumeId);
        cache.remote = text(d.hfCacheVolume);
        cache.mount = text(d.hfCacheMount);
        flow.volumes << cache;
    }
    const JobPlanBuilder builder(d);
    const QList<PlannedJob> jobs =
        builder.allJobs(QLatin1String(headPlaceholder), inspectHost(QStringLiteral("vllm_server")));
    for (const PlannedJob &planned : jobs)
        flow.jobs << toFlowJob(planned, d);
    return flow;
}

QByteArray DeploymentFlow::exportYaml(const Deployment &deployment)
{
    const QString header = tr(" Exported by apolo-deploy. Start the jobs in this order:\n"
                              "   apolo-flow run ray_head   (then ray_worker_1 … when there are more than 2 nodes)\n"
                              "   apolo-flow run vllm_server\n"
                              " Secrets are references: create them with 'apolo secret add NAME VALUE'.");
    return FlowWriter::write(toLiveFlow(deployment), header);
}

DeploymentFlow::ImportResult DeploymentFlow::fromLiveFlow(const LiveFlow &flow, const ImportOptions &options)
{
    return Importer(flow, options).run();
}

QString DeploymentFlow::projectIdForPath(const QString &liveYmlPath)
{
    // Pure path arithmetic: the file need not exist (QDir::cdUp would require it).
    const QString configDir = QFileInfo(liveYmlPath).absolutePath();
    const QString configName = QFileInfo(configDir).fileName();
    if (configName != QLatin1String(".apolo") && configName != QLatin1String(".neuro"))
        return {};
    return QFileInfo(QFileInfo(configDir).absolutePath()).fileName().replace(QLatin1Char('-'), QLatin1Char('_'));
}

} // namespace ApoloDeploy
