// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/workloads/BuiltinWorkload.h"

#include <QDateTime>

namespace ApoloDeploy::Sandbox {

namespace {

QString program(const QStringList &argv)
{
    return argv.isEmpty() ? QString() : argv.first().section(QLatin1Char('/'), -1);
}

} // namespace

BuiltinWorkload::BuiltinWorkload(ContainerContextPtr context, const QStringList &argv, QObject *parent)
    : Workload(parent)
    , m_context(std::move(context))
    , m_argv(argv)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] { finish(0); });
}

bool BuiltinWorkload::isBuiltin(const QStringList &argv)
{
    static const QStringList names = {QStringLiteral("echo"),  QStringLiteral("sleep"), QStringLiteral("true"),
                                      QStringLiteral("false"), QStringLiteral("exit"),  QStringLiteral("export"),
                                      QStringLiteral("set"),   QStringLiteral("cd"),    QStringLiteral(":")};
    const QString name = program(argv);
    if (name == QLatin1String("ray"))
        return argv.size() > 1 && (argv.at(1) == QLatin1String("status") || argv.at(1) == QLatin1String("stop"));
    return names.contains(name);
}

void BuiltinWorkload::start()
{
    const QString name = program(m_argv);
    const QStringList args = m_argv.mid(1);
    if (name == QLatin1String("echo")) {
        const bool noNewline = !args.isEmpty() && args.first() == QLatin1String("-n");
        const QString text = (noNewline ? args.mid(1) : args).join(QLatin1Char(' '));
        Q_EMIT output((text + (noNewline ? QString() : QStringLiteral("\n"))).toUtf8());
        finish(0);
    } else if (name == QLatin1String("sleep")) {
        QString spec = args.value(0);
        double factor = 1;
        if (spec.endsWith(QLatin1Char('m')) || spec.endsWith(QLatin1Char('h')) || spec.endsWith(QLatin1Char('d')) ||
            spec.endsWith(QLatin1Char('s'))) {
            factor = spec.endsWith(QLatin1Char('m'))   ? 60
                     : spec.endsWith(QLatin1Char('h')) ? 3600
                     : spec.endsWith(QLatin1Char('d')) ? 86400
                                                       : 1;
            spec.chop(1);
        }
        bool ok = false;
        const double seconds = spec == QLatin1String("infinity") ? -1 : spec.toDouble(&ok) * factor;
        if (spec != QLatin1String("infinity") && !ok) {
            Q_EMIT output(
                QStringLiteral("sleep: invalid time interval '%1'\nTry 'sleep --help' for more information.\n")
                    .arg(args.value(0))
                    .toUtf8());
            finish(1, QStringLiteral("sleep: invalid time interval '%1'").arg(args.value(0)));
            return;
        }
        if (seconds >= 0)
            m_timer.start(int(std::min(seconds * 1000.0 / m_context->timeScale(), 2.0e9)));
    } else if (name == QLatin1String("false")) {
        finish(1);
    } else if (name == QLatin1String("exit")) {
        finish(args.value(0, QStringLiteral("0")).toInt());
    } else if (name == QLatin1String("export")) {
        for (const QString &assignment : args) {
            if (assignment.contains(QLatin1Char('=')))
                m_context->env.insert(assignment.section(QLatin1Char('='), 0, 0),
                                      assignment.section(QLatin1Char('='), 1));
        }
        finish(0);
    } else if (name == QLatin1String("ray") && args.value(0) == QLatin1String("status")) {
        const QString head = m_context->rayHead;
        if (head.isEmpty() || !m_context->host->isRayHeadRunning(head)) {
            Q_EMIT output(QByteArrayLiteral("ConnectionError: Could not find any running Ray instance. Please specify "
                                            "the one to connect to by setting `--address` flag or `RAY_ADDRESS` "
                                            "environment variable.\n"));
            finish(1, QStringLiteral("ConnectionError: Could not find any running Ray instance."));
            return;
        }
        Q_EMIT output(rayStatus().toUtf8());
        finish(0);
    } else if (name == QLatin1String("ray")) { // ray stop
        if (!m_context->rayHead.isEmpty()) {
            m_context->host->leaveRayCluster(m_context->rayHead, m_context->spec.jobId);
            m_context->rayHead.clear();
        }
        Q_EMIT output(QByteArrayLiteral("Stopped all 7 Ray processes.\n"));
        finish(0);
    } else if (isBuiltin(m_argv)) { // true, set, cd, :
        finish(0);
    } else {
        // A program the sandbox does not emulate: show what would run, then run "forever".
        Q_EMIT output((m_argv.join(QLatin1Char(' ')) + QLatin1Char('\n')).toUtf8());
    }
}

QString BuiltinWorkload::rayStatus() const
{
    const QList<int> nodes = m_context->host->rayNodeGpus(m_context->rayHead);
    int gpus = 0;
    QString active;
    for (int i = 0; i < nodes.size(); ++i) {
        gpus += nodes.at(i);
        active +=
            QStringLiteral(" 1 node_%1\n").arg(QString::number(quint64(m_context->seed()) * (i + 3), 16).left(12));
    }
    return QStringLiteral("======== Autoscaler status: %1 ========\nNode status\n"
                          "---------------------------------------------------------------\nActive:\n%2Pending:\n "
                          "(no pending nodes)\nRecent failures:\n (no failures)\n\nResources\n"
                          "---------------------------------------------------------------\nUsage:\n 0.0/%3.0 GPU\n\n"
                          "Demands:\n (no resource demands)\n")
        .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz000")), active)
        .arg(gpus);
}

void BuiltinWorkload::finish(int exitCode, const QString &message)
{
    Q_EMIT exited(exitCode, exitCode == 0 ? QStringLiteral("Completed") : QStringLiteral("Error"), message);
}

void BuiltinWorkload::stop()
{
    m_timer.stop();
}

} // namespace ApoloDeploy::Sandbox
