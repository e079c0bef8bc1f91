// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandbox/Workload.h"
#include "sandbox/workloads/ContainerContext.h"

#include <QTimer>

namespace ApoloDeploy::Sandbox {

// The small commands a container script uses around the real work: echo, sleep, true, false,
// exit, export, `ray status`, `ray stop`. Anything else is a program the sandbox cannot run: it
// prints its command line and keeps running until the job is killed, like a long-lived server.
class BuiltinWorkload : public Workload
{
    Q_OBJECT

public:
    BuiltinWorkload(ContainerContextPtr context, const QStringList &argv, QObject *parent = nullptr);

    void start() override;
    void stop() override;

    static bool isBuiltin(const QStringList &argv);

private:
    void finish(int exitCode, const QString &message = {});
    QString rayStatus() const;

    ContainerContextPtr m_context;
    QStringList m_argv;
    QTimer m_timer;
};

} // namespace ApoloDeploy::Sandbox
