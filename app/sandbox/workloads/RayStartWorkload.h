// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandbox/Workload.h"
#include "sandbox/workloads/ContainerContext.h"

#include <QTimer>

namespace ApoloDeploy::Sandbox {

// `ray start …` as Ray 2.40 (vllm-openai v0.7.2) prints it: a head registers its own cluster, a
// worker joins the head named by --address when that job runs one, else retries and fails like
// Ray does. Without --block the command returns 0 and the node stays in the cluster until the
// container ends (stop()).
class RayStartWorkload : public Workload
{
    Q_OBJECT

public:
    RayStartWorkload(ContainerContextPtr context, const QStringList &args, QObject *parent = nullptr);
    ~RayStartWorkload() override;

    void start() override;
    void stop() override;

    bool isHead() const { return m_head; }

private:
    void printAndFinish(const QString &text, int exitCode);
    void startHead();
    void tryJoin();
    void joined();
    void watchHead();
    QString rayLine(const char *level, const char *source, const QString &message) const;
    void blockOrReturn(double at, QString &out);

    ContainerContextPtr m_context;
    QStringList m_args;
    bool m_head = false;
    bool m_block = false;
    QString m_address; // host part of --address
    QString m_argumentError;
    int m_gpus = 0;
    bool m_dashboardOnAllInterfaces = false;
    bool m_inCluster = false;
    int m_attempts = 0;
    bool m_stopped = false;
    QTimer m_timer;
};

} // namespace ApoloDeploy::Sandbox
