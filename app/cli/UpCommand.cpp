// SPDX-License-Identifier: GPL-3.0-or-later
// apolo-deploy up: validates a deployment, launches it (or resumes a launch saved by an earlier
// run) and prints each phase; exits 0 with the endpoint once it answers /health, 1 with the
// reason otherwise (tearing the jobs down unless --keep-on-failure).
#include "apolo/PlatformSession.h"
#include "cli/CliContext.h"
#include "deploy/DeploymentName.h"
#include "deploy/DeploymentOptions.h"
#include "deploy/DeploymentValidator.h"
#include "deploy/LaunchSequence.h"
#include "deploy/PlanFitRule.h"
#include "deploy/Teardown.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <memory>

namespace ApoloDeploy {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("UpCommand", text);
}

struct UpOptions
{
    Deployment deployment;
    bool detach = false;
    bool keepOnFailure = false;
};

// Owns everything of one `up` run; deleted with the application.
class UpRun : public QObject
{
public:
    UpRun(CliContext &context, UpOptions options)
        : QObject(QCoreApplication::instance())
        , m_context(context)
        , m_options(std::move(options))
        , m_session(new PlatformSession({context.global(), false, nullptr}, this))
    {
        connect(m_session, &PlatformSession::ready, this, &UpRun::onConnected);
        connect(m_session, &PlatformSession::failed, this, [this](const ApoloError &error) {
            m_context.err() << tr("Cannot reach Apolo: %1").arg(error.toString()) << Qt::endl;
            m_context.finish(1);
        });
        m_session->connectToPlatform();
    }

private:
    void onConnected()
    {
        Deployment &d = m_options.deployment;
        m_context.out() << tr("Connected: %1").arg(m_session->describe()) << Qt::endl;
        DeploymentValidator validator;
        const Cluster *cluster = m_session->client()->currentCluster();
        if (cluster) {
            const Preset *preset = cluster->preset(d.preset);
            if (!preset && !d.preset.isEmpty()) {
                QStringList names;
                for (const Preset &p : cluster->presets)
                    names << p.name;
                m_context.err() << tr("error: preset: '%1' does not exist in cluster %2; use one of: %3.")
                                       .arg(d.preset, cluster->name, names.join(QStringLiteral(", ")))
                                << Qt::endl;
                m_context.finish(2);
                return;
            }
            if (preset)
                validator.setPresetFacts({preset->gpuCount(), true});
        }
        // The planner's rules need the live preset's GPUs, hence only now that we are connected.
        PlanFitRule(PlanFitRule::presetsOf(cluster)).installIn(validator);
        const QList<ValidationIssue> issues = validator.validate(d);
        if (!issues.isEmpty())
            m_context.err() << DeploymentValidator::format(issues) << Qt::endl;
        if (DeploymentValidator::hasErrors(issues)) {
            m_context.finish(2);
            return;
        }
        m_sequence = new LaunchSequence(m_session->client(), this);
        connect(m_sequence, &LaunchSequence::phaseChanged, this, [this](LaunchPhase phase) {
            m_context.out() << QStringLiteral("[%1] ").arg(launchPhaseId(phase)) << launchPhaseDisplayName(phase)
                            << Qt::endl;
            if (m_options.detach && phase >= LaunchPhase::LoadingModel && phase < LaunchPhase::Ready) {
                m_context.out() << tr("Detached: the jobs are created; follow with 'apolo-deploy status --name %1', "
                                      "run 'apolo-deploy up --name %1' again to resume the checks.")
                                       .arg(m_options.deployment.name)
                                << Qt::endl;
                m_sequence->stop();
                m_context.finish(0);
            }
        });
        connect(m_sequence, &LaunchSequence::progress, this,
                [this](const QString &message) { m_context.out() << "  " << message << Qt::endl; });
        connect(m_sequence, &LaunchSequence::ready, this, [this](const QUrl &endpoint) {
            m_context.out() << tr("Ready: %1/v1 (model \"%2\")")
                                   .arg(endpoint.toString(QUrl::StripTrailingSlash),
                                        m_options.deployment.effectiveServedModelName())
                            << Qt::endl;
            m_context.finish(0);
        });
        connect(m_sequence, &LaunchSequence::failed, this, &UpRun::onFailed);
        const std::optional<DeploymentState> saved = DeploymentStore::load(d.name);
        if (saved && isLaunchActive(saved->phase) && saved->deployment == d) {
            m_sequence->resume(*saved);
            return;
        }
        if (saved && isLaunchActive(saved->phase)) {
            m_context.err()
                << tr("A launch of '%1' with other settings is in progress. Run 'apolo-deploy down --name %1 "
                      "--yes' first, or pick another --name.")
                       .arg(d.name)
                << Qt::endl;
            m_context.finish(2);
            return;
        }
        ensureNoActiveJobs();
    }

    // Refuses to launch over running jobs of the same deployment (name clash, double billing).
    void ensureNoActiveJobs()
    {
        JobListFilter filter;
        filter.tags = {JobPlanBuilder::deploymentTag(m_options.deployment.name)};
        filter.statuses = {JobStatus::Pending, JobStatus::Suspended, JobStatus::Running};
        auto active = std::make_shared<QStringList>();
        m_session->client()->listJobs(
            filter, this,
            [active](const QList<Job> &jobs) {
                for (const Job &job : jobs)
                    *active << job.name;
            },
            [this, active](const ApoloResult<Done> &result) {
                if (!result.ok()) {
                    m_context.err() << tr("Cannot list jobs: %1").arg(result.error().toString()) << Qt::endl;
                    m_context.finish(1);
                } else if (!active->isEmpty()) {
                    m_context.err() << tr("'%1' already has active jobs (%2). Use 'apolo-deploy status --name %1', or "
                                          "'apolo-deploy down --name %1 --yes' before launching again.")
                                           .arg(m_options.deployment.name, active->join(QStringLiteral(", ")))
                                    << Qt::endl;
                    m_context.finish(2);
                } else {
                    m_sequence->start(m_options.deployment);
                }
            });
    }

    void onFailed(const QString &reason, const QString &hint)
    {
        m_context.err() << tr("Launch failed: %1").arg(reason) << Qt::endl;
        if (!hint.isEmpty())
            m_context.err() << tr("  hint: %1").arg(hint) << Qt::endl;
        const QString name = m_options.deployment.name;
        if (m_options.keepOnFailure) {
            m_context.err()
                << tr("The jobs are kept (--keep-on-failure); remove them with 'apolo-deploy down --name %1 --yes'.")
                       .arg(name)
                << Qt::endl;
            m_context.finish(1);
            return;
        }
        auto *teardown = new Teardown(m_session->client(), this);
        connect(teardown, &Teardown::progress, this,
                [this](const QString &m) { m_context.out() << "  " << m << Qt::endl; });
        connect(teardown, &Teardown::finished, this, [this, name](bool ok, const QString &message) {
            if (ok) {
                DeploymentStore::remove(name);
            } else {
                m_context.err() << message << Qt::endl;
            }
            m_context.finish(1);
        });
        teardown->start(name, m_sequence->state().jobIds());
    }

    CliContext &m_context;
    UpOptions m_options;
    PlatformSession *m_session;
    LaunchSequence *m_sequence = nullptr;
};

} // namespace

void runUpCommand(CliContext &context)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Launch a model: a Ray head, workers and the vLLM server as Apolo jobs."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, tr("print this help"));
    const QCommandLineOption detach(QStringLiteral("detach"),
                                    tr("return once the jobs run; do not wait for the model"));
    const QCommandLineOption keep(QStringLiteral("keep-on-failure"),
                                  tr("leave the jobs running when the launch fails"));
    parser.addOptions({help, detach, keep});
    const DeploymentOptions deploymentOptions;
    deploymentOptions.addTo(parser);
    if (!parser.parse(context.arguments())) {
        context.usageError(parser.errorText());
        return;
    }
    if (parser.isSet(help)) {
        context.out() << CliContext::helpText(parser, QStringLiteral("up"));
        context.finish(0);
        return;
    }
    // arguments()[0] ("up") is the parser's program name: every positional argument is extra.
    if (!parser.positionalArguments().isEmpty()) {
        context.usageError(tr("up takes no positional arguments (got '%1').")
                               .arg(parser.positionalArguments().join(QLatin1Char(' '))));
        return;
    }
    UpOptions options;
    // `up --name N` alone continues N's unfinished launch (after --detach or a crash) with the
    // settings it was started with.
    const QStringList runOptions{QStringLiteral("name"), QStringLiteral("detach"), QStringLiteral("keep-on-failure")};
    const QStringList given = parser.optionNames();
    const bool onlyName =
        parser.isSet(QStringLiteral("name")) &&
        std::all_of(given.cbegin(), given.cend(), [&](const QString &o) { return runOptions.contains(o); });
    if (onlyName) {
        const std::optional<DeploymentState> saved = DeploymentStore::load(parser.value(QStringLiteral("name")));
        if (saved && isLaunchActive(saved->phase))
            options.deployment = saved->deployment;
    }
    QString error;
    if (!deploymentOptions.apply(parser, options.deployment, &error)) {
        context.usageError(error);
        return;
    }
    // Without --name, a saved launch of the same deployment would be ambiguous: ask for one.
    if (options.deployment.name.isEmpty()) {
        context.usageError(
            tr("Give the deployment a --name (3 to 40 lower-case letters, digits, dashes), e.g. --name %1.")
                .arg(suggestDeploymentName(options.deployment.model)));
        return;
    }
    // Validated before connecting so obvious mistakes never wait for the network.
    const QList<ValidationIssue> issues = DeploymentValidator().validate(options.deployment);
    if (DeploymentValidator::hasErrors(issues)) {
        context.err() << DeploymentValidator::format(issues) << Qt::endl;
        context.finish(2);
        return;
    }
    options.detach = parser.isSet(detach);
    options.keepOnFailure = parser.isSet(keep);
    new UpRun(context, std::move(options)); // lives until the process exits
}

} // namespace ApoloDeploy
