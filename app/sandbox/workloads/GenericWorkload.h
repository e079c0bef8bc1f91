// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandbox/Workload.h"
#include "sandbox/workloads/ContainerContext.h"
#include "sandbox/workloads/ShellCommand.h"

#include <QList>
#include <QPointer>

namespace ApoloDeploy::Sandbox {

// A container running a command list the way bash runs `a && b; c & d`: each command is a child
// workload (ray start, the vLLM server, a builtin, or an unknown program that runs until killed),
// the container ends with the last command's status, and commands that left daemons behind
// (`ray start` without --block) are stopped only when the container ends.
class GenericWorkload : public Workload
{
    Q_OBJECT

public:
    GenericWorkload(ContainerContextPtr context, const ShellParse &script, QObject *parent = nullptr);
    ~GenericWorkload() override;

    void start() override;
    void stop() override;
    quint16 servingPort() const override;
    // Fault injection: the kernel's OOM killer ends the container (exit 137).
    void injectOomKill() override;

    // The workload for one command of the list.
    static Workload *createStep(const ContainerContextPtr &context, const QStringList &argv, QObject *parent);

private:
    void runFrom(int index);
    void onStepExited(int index, int exitCode, const QString &reason, const QString &message);
    void finish(int exitCode, const QString &reason, const QString &message);
    void stopChildren();

    ContainerContextPtr m_context;
    ShellParse m_script;
    QList<QPointer<Workload>> m_children;
    int m_foreground = -1; // the step the shell waits for
    bool m_finished = false;
};

} // namespace ApoloDeploy::Sandbox
