// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/workloads/GenericWorkload.h"

#include "sandbox/workloads/BuiltinWorkload.h"
#include "sandbox/workloads/RayStartWorkload.h"
#include "sandbox/workloads/VllmServerWorkload.h"

#include <QRegularExpression>
#include <QTimer>

namespace ApoloDeploy::Sandbox {

GenericWorkload::GenericWorkload(ContainerContextPtr context, const ShellParse &script, QObject *parent)
    : Workload(parent)
    , m_context(std::move(context))
    , m_script(script)
{}

GenericWorkload::~GenericWorkload()
{
    stopChildren();
}

Workload *GenericWorkload::createStep(const ContainerContextPtr &context, const QStringList &command, QObject *parent)
{
    QStringList argv = command;
    // "VAR=value program …": the assignment applies to that command (and, for the sandbox, the rest).
    static const QRegularExpression assignment(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*="));
    while (argv.size() > 1 && assignment.match(argv.first()).hasMatch()) {
        const QString first = argv.takeFirst();
        context->env.insert(first.section(QLatin1Char('='), 0, 0), first.section(QLatin1Char('='), 1));
    }
    const QString program = argv.value(0).section(QLatin1Char('/'), -1);
    if (program == QLatin1String("ray") && argv.value(1) == QLatin1String("start"))
        return new RayStartWorkload(context, argv.mid(2), parent);
    if (program.startsWith(QLatin1String("python")) && argv.value(1) == QLatin1String("-m") &&
        argv.value(2) == QLatin1String("vllm.entrypoints.openai.api_server"))
        return new VllmServerWorkload(context, argv.mid(3), VllmEntrypoint::ApiServerModule, parent);
    if (program == QLatin1String("vllm") && argv.value(1) == QLatin1String("serve"))
        return new VllmServerWorkload(context, argv.mid(2), VllmEntrypoint::VllmServe, parent);
    return new BuiltinWorkload(context, argv, parent);
}

void GenericWorkload::start()
{
    if (!m_script.error.isEmpty()) {
        // bash reports syntax errors of a -c script on line 1 and exits 2.
        const QString message = QStringLiteral("bash: -c: line 1: ") % m_script.error;
        Q_EMIT output(message.toUtf8() + '\n');
        QTimer::singleShot(0, this, [this, message] { finish(2, QStringLiteral("Error"), message); });
        return;
    }
    if (m_script.steps.isEmpty())
        return; // the image's own default process: runs until the job is killed
    QTimer::singleShot(0, this, [this] { runFrom(0); });
}

void GenericWorkload::runFrom(int index)
{
    if (m_finished)
        return;
    const ShellStep &step = m_script.steps.at(index);
    Workload *child = createStep(m_context, step.argv, this);
    m_children << child;
    connect(child, &Workload::output, this, &Workload::output);
    // Queued: a child may report its exit from inside start().
    connect(
        child, &Workload::exited, this,
        [this, index](int code, const QString &reason, const QString &message) {
            onStepExited(index, code, reason, message);
        },
        Qt::QueuedConnection);
    const bool background =
        index + 1 < m_script.steps.size() && m_script.steps.at(index + 1).join == ShellStep::Join::Background;
    if (!background)
        m_foreground = index;
    child->start();
    if (background && !m_finished)
        runFrom(index + 1);
}

void GenericWorkload::onStepExited(int index, int exitCode, const QString &reason, const QString &message)
{
    if (m_finished || index != m_foreground)
        return; // a background job ended; the shell is waiting for another one
    if (reason == QLatin1String("OOMKilled")) {
        finish(exitCode, reason, message);
        return;
    }
    int next = index + 1;
    while (next < m_script.steps.size()) {
        const ShellStep::Join join = m_script.steps.at(next).join;
        const bool skip = (join == ShellStep::Join::IfSuccess && exitCode != 0) ||
                          (join == ShellStep::Join::IfFailure && exitCode == 0);
        if (!skip)
            break;
        ++next;
    }
    if (next >= m_script.steps.size()) {
        finish(exitCode, reason, message);
        return;
    }
    runFrom(next);
}

void GenericWorkload::finish(int exitCode, const QString &reason, const QString &message)
{
    if (m_finished)
        return;
    m_finished = true;
    stopChildren();
    const QString finalReason =
        exitCode == 0 ? QStringLiteral("Completed") : (reason.isEmpty() ? QStringLiteral("Error") : reason);
    Q_EMIT exited(exitCode, finalReason, exitCode == 0 ? QString() : message);
}

void GenericWorkload::stopChildren()
{
    for (const QPointer<Workload> &child : std::as_const(m_children)) {
        if (child)
            child->stop();
    }
}

void GenericWorkload::stop()
{
    m_finished = true;
    stopChildren();
}

void GenericWorkload::injectOomKill()
{
    if (m_finished)
        return;
    m_finished = true;
    stopChildren();
    Q_EMIT exited(137, QStringLiteral("OOMKilled"), QString());
}

quint16 GenericWorkload::servingPort() const
{
    for (const QPointer<Workload> &child : m_children) {
        if (child && child->servingPort() != 0)
            return child->servingPort();
    }
    return 0;
}

} // namespace ApoloDeploy::Sandbox
