// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/workloads/RayStartWorkload.h"

#include <QDateTime>

namespace ApoloDeploy::Sandbox {

namespace {

constexpr int kJoinAttempts = 10;           // Ray retries the GCS connection for about a minute
constexpr double kJoinRetrySeconds = 6.0;   // simulated seconds between attempts
constexpr double kHeadStartupSeconds = 3.0; // raylet, GCS and dashboard come up

QString optionValue(const QStringList &args, qsizetype &i, const QString &name)
{
    const QString arg = args.at(i);
    if (arg.startsWith(name + QLatin1Char('=')))
        return arg.mid(name.size() + 1);
    if (arg == name && i + 1 < args.size())
        return args.at(++i);
    return QString();
}

} // namespace

RayStartWorkload::RayStartWorkload(ContainerContextPtr context, const QStringList &args, QObject *parent)
    : Workload(parent)
    , m_context(std::move(context))
    , m_args(args)
{
    m_gpus = m_context->spec.gpuCount;
    QStringList extra;
    QString unknownShortOption;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString arg = args.at(i);
        if (arg.size() == 2 && arg.at(0) == QLatin1Char('-') && arg.at(1).isLetter()) {
            // `ray start` has no short options: click stops at the first one.
            if (unknownShortOption.isEmpty())
                unknownShortOption = arg;
        } else if (arg == QLatin1String("--head")) {
            m_head = true;
        } else if (arg == QLatin1String("--block")) {
            m_block = true;
        } else if (arg.startsWith(QLatin1String("--address"))) {
            m_address = optionValue(args, i, QStringLiteral("--address")).remove(QLatin1Char('\''));
        } else if (arg.startsWith(QLatin1String("--num-gpus"))) {
            m_gpus = optionValue(args, i, QStringLiteral("--num-gpus")).toInt();
        } else if (arg.startsWith(QLatin1String("--dashboard-host"))) {
            m_dashboardOnAllInterfaces =
                optionValue(args, i, QStringLiteral("--dashboard-host")) == QLatin1String("0.0.0.0");
        } else if (arg.startsWith(QLatin1String("--")) && !arg.contains(QLatin1Char('=')) && i + 1 < args.size() &&
                   !args.at(i + 1).startsWith(QLatin1Char('-')) && arg != QLatin1String("--disable-usage-stats")) {
            ++i; // "--port 6379": an option with its value (Ray has dozens; the sandbox ignores them)
        } else if (!arg.startsWith(QLatin1Char('-'))) {
            extra << arg;
        }
    }
    // click's wording for stray words, e.g. a folded YAML `cmd` that glued two commands together.
    if (!unknownShortOption.isEmpty())
        m_argumentError = QStringLiteral("Usage: ray start [OPTIONS]\nTry 'ray start --help' for help.\n\nError: No "
                                         "such option: %1\n")
                              .arg(unknownShortOption);
    else if (!extra.isEmpty())
        m_argumentError = QStringLiteral("Usage: ray start [OPTIONS]\nTry 'ray start --help' for help.\n\nError: Got "
                                         "unexpected extra argument%1 (%2)\n")
                              .arg(extra.size() > 1 ? QStringLiteral("s") : QString(), extra.join(QLatin1Char(' ')));
    m_timer.setSingleShot(true);
}

RayStartWorkload::~RayStartWorkload()
{
    stop();
}

QString RayStartWorkload::rayLine(const char *level, const char *source, const QString &message) const
{
    return QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss,zzz")) % QLatin1Char('\t') %
           QLatin1String(level) % QLatin1Char(' ') % QLatin1String(source) % QStringLiteral(" -- ") % message %
           QLatin1Char('\n');
}

void RayStartWorkload::start()
{
    if (!m_argumentError.isEmpty()) {
        printAndFinish(m_argumentError, 2);
        return;
    }
    if (!m_head && m_address.isEmpty()) {
        printAndFinish(rayLine("INFO", "scripts.py:1047", QStringLiteral("Local node IP: ") % m_context->ownIp()) %
                           QStringLiteral("ConnectionError: Could not find any running Ray instance. Please specify "
                                          "the one to connect to by setting `--address` flag or `RAY_ADDRESS` "
                                          "environment variable.\n"),
                       1);
        return;
    }
    Q_EMIT output(rayLine("INFO", "usage_lib.py:467",
                          QStringLiteral("Usage stats collection is enabled by default without user confirmation "
                                         "because this terminal is detected to be non-interactive. To disable this, "
                                         "add `--disable-usage-stats` to the command that starts the cluster, or run "
                                         "the following command: `ray disable-usage-stats` before starting the "
                                         "cluster. See https://docs.ray.io/en/master/cluster/usage-stats.html for "
                                         "more details."))
                      .toUtf8());
    if (m_head) {
        Q_EMIT output(
            rayLine("INFO", "scripts.py:865", QStringLiteral("Local node IP: ") % m_context->ownIp()).toUtf8());
        m_timer.callOnTimeout(this, &RayStartWorkload::startHead, Qt::SingleShotConnection);
        m_timer.start(int(kHeadStartupSeconds * 1000 / m_context->timeScale()));
        return;
    }
    Q_EMIT output(rayLine("INFO", "scripts.py:1047", QStringLiteral("Local node IP: ") % m_context->ownIp()).toUtf8());
    tryJoin();
}

void RayStartWorkload::startHead()
{
    m_inCluster = true;
    m_context->rayHead = m_context->spec.internalHostname;
    // The registry treats a job that registered its own hostname as the head of that cluster.
    m_context->host->joinRayCluster(m_context->spec.internalHostname, m_context->spec.jobId, m_gpus);
    const QString ip = m_context->ownIp();
    const QString dashboard = (m_dashboardOnAllInterfaces ? ip : QStringLiteral("127.0.0.1")) % QStringLiteral(":8265");
    QString out;
    out += rayLine("SUCC", "scripts.py:902", QStringLiteral("--------------------"));
    out += rayLine("SUCC", "scripts.py:903", QStringLiteral("Ray runtime started."));
    out += rayLine("SUCC", "scripts.py:904", QStringLiteral("--------------------"));
    out += rayLine("INFO", "scripts.py:906", QStringLiteral("Next steps"));
    out += rayLine("INFO", "scripts.py:909", QStringLiteral("To add another node to this Ray cluster, run"));
    out += rayLine("INFO", "scripts.py:912", QStringLiteral("  ray start --address='") % ip % QStringLiteral(":6379'"));
    out += rayLine("INFO", "scripts.py:921", QStringLiteral("To connect to this Ray cluster:"));
    out += rayLine("INFO", "scripts.py:923", QStringLiteral("  import ray"));
    out += rayLine("INFO", "scripts.py:924", QStringLiteral("  ray.init()"));
    out += rayLine("INFO", "scripts.py:936", QStringLiteral("To submit a Ray job using the Ray Jobs CLI:"));
    out += rayLine("INFO", "scripts.py:937",
                   QStringLiteral("  RAY_ADDRESS='http://") % dashboard %
                       QStringLiteral("' ray job submit --working-dir . -- python my_script.py"));
    out += rayLine("INFO", "scripts.py:946",
                   QStringLiteral("See https://docs.ray.io/en/latest/cluster/running-applications/job-submission/"
                                  "index.html "));
    out += rayLine("INFO", "scripts.py:950",
                   QStringLiteral("for more information on submitting Ray jobs to the Ray "
                                  "cluster."));
    out += rayLine("INFO", "scripts.py:955", QStringLiteral("To terminate the Ray runtime, run"));
    out += rayLine("INFO", "scripts.py:956", QStringLiteral("  ray stop"));
    out += rayLine("INFO", "scripts.py:959", QStringLiteral("To view the status of the cluster, use"));
    out += rayLine("INFO", "scripts.py:960", QStringLiteral("  ray status"));
    out += rayLine("INFO", "scripts.py:964", QStringLiteral("To monitor and debug Ray, view the dashboard at "));
    out += rayLine("INFO", "scripts.py:965", QStringLiteral("  ") % dashboard);
    out += rayLine("INFO", "scripts.py:972",
                   QStringLiteral("If connection to the dashboard fails, check your firewall settings and network "
                                  "configuration."));
    blockOrReturn(0, out);
}

void RayStartWorkload::tryJoin()
{
    if (m_stopped)
        return;
    const QString host = m_address.section(QLatin1Char(':'), 0, 0);
    if (m_context->host->isRayHeadRunning(host)) {
        joined();
        return;
    }
    Q_EMIT output(rayLine("WARNING", "utils.py:1401",
                          QStringLiteral("Unable to connect to GCS (ray head) at ") % m_address %
                              QStringLiteral(". Check that (1) Ray with matching version started successfully at the "
                                             "specified address, (2) this node can reach the specified address, and "
                                             "(3) there is no firewall setting preventing access."))
                      .toUtf8());
    if (++m_attempts >= kJoinAttempts) {
        printAndFinish(rayLine("ERROR", "utils.py:1395",
                               QStringLiteral("Failed to connect to GCS. Please check `gcs_server.out` for more "
                                              "details.")),
                       1);
        return;
    }
    m_timer.callOnTimeout(this, &RayStartWorkload::tryJoin, Qt::SingleShotConnection);
    m_timer.start(int(kJoinRetrySeconds * 1000 / m_context->timeScale()));
}

void RayStartWorkload::joined()
{
    m_inCluster = true;
    m_context->rayHead = m_address.section(QLatin1Char(':'), 0, 0);
    m_context->host->joinRayCluster(m_context->rayHead, m_context->spec.jobId, m_gpus);
    QString out;
    out += rayLine("SUCC", "scripts.py:1063", QStringLiteral("--------------------"));
    out += rayLine("SUCC", "scripts.py:1064", QStringLiteral("Ray runtime started."));
    out += rayLine("SUCC", "scripts.py:1065", QStringLiteral("--------------------"));
    out += rayLine("INFO", "scripts.py:1067", QStringLiteral("To terminate the Ray runtime, run"));
    out += rayLine("INFO", "scripts.py:1068", QStringLiteral("  ray stop"));
    blockOrReturn(0, out);
}

void RayStartWorkload::blockOrReturn(double, QString &out)
{
    if (!m_block) {
        printAndFinish(out, 0);
        return;
    }
    out += rayLine("INFO", "scripts.py:1076", QStringLiteral("--block"));
    out += rayLine("INFO", "scripts.py:1077",
                   QStringLiteral("This command will now block forever until terminated by a signal."));
    out += rayLine("INFO", "scripts.py:1080",
                   QStringLiteral("Running subprocesses are monitored and a message will be printed if any of them "
                                  "terminate unexpectedly. Subprocesses exit with SIGTERM will be treated as "
                                  "graceful, thus NOT reported."));
    Q_EMIT output(out.toUtf8());
    if (!m_head)
        watchHead();
}

// A worker's raylet dies when its head goes away, and `ray start --block` reports it.
void RayStartWorkload::watchHead()
{
    if (m_stopped)
        return;
    if (!m_context->host->isRayHeadRunning(m_context->rayHead)) {
        m_context->host->leaveRayCluster(m_context->rayHead, m_context->spec.jobId);
        m_inCluster = false;
        printAndFinish(
            rayLine("ERROR", "scripts.py:1123", QStringLiteral("Some Ray subprocesses exited unexpectedly:")) %
                rayLine("ERROR", "scripts.py:1126", QStringLiteral("  raylet [exit code=1]")) %
                rayLine("ERROR", "scripts.py:1134", QStringLiteral("Remaining processes will be killed.")),
            1);
        return;
    }
    m_timer.callOnTimeout(this, &RayStartWorkload::watchHead, Qt::SingleShotConnection);
    m_timer.start(500);
}

void RayStartWorkload::printAndFinish(const QString &text, int exitCode)
{
    Q_EMIT output(text.toUtf8());
    const QString last = text.trimmed().section(QLatin1Char('\n'), -1);
    Q_EMIT exited(exitCode, exitCode == 0 ? QStringLiteral("Completed") : QStringLiteral("Error"),
                  exitCode == 0 ? QString() : last);
}

void RayStartWorkload::stop()
{
    m_stopped = true;
    m_timer.stop();
    if (m_inCluster && m_context->host) {
        const QString head = m_head ? m_context->spec.internalHostname : m_context->rayHead;
        m_context->host->leaveRayCluster(head, m_context->spec.jobId);
        m_inCluster = false;
    }
}

} // namespace ApoloDeploy::Sandbox
