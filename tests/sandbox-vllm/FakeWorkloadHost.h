// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandbox/Workload.h"

#include <QHash>
#include <QList>
#include <QPair>

#include <algorithm>

// A tiny in-test job registry: Ray clusters keyed by the head's hostname, hostname aliases for
// internal_hostname_named, and adjustable time scale and token rate. Only the registry is
// stand-in; the workloads' HTTP is real.
class FakeWorkloadHost final : public ApoloDeploy::Sandbox::WorkloadHost
{
public:
    double scale = 5000;
    double rate = 400;
    QHash<QString, QString> aliases;                     // internal_hostname_named -> internal_hostname
    QHash<QString, QString> hostnameOfJob;               // job id -> internal_hostname
    QHash<QString, QString> headJobOfHost;               // internal_hostname of a head -> its job id
    QHash<QString, QList<QPair<QString, int>>> clusters; // head hostname -> (job id, gpus), head first

    QString canonical(const QString &host) const { return aliases.value(host, host); }

    bool isRayHeadRunning(const QString &host) const override { return headJobOfHost.contains(canonical(host)); }
    QList<int> rayNodeGpus(const QString &headHost) const override
    {
        QList<int> gpus;
        for (const auto &node : clusters.value(canonical(headHost)))
            gpus << node.second;
        return gpus;
    }
    void joinRayCluster(const QString &headHost, const QString &jobId, int gpus) override
    {
        const QString head = canonical(headHost);
        if (hostnameOfJob.value(jobId) == head) // a head registers its own cluster
            headJobOfHost.insert(head, jobId);
        clusters[head].append(qMakePair(jobId, gpus));
    }
    void leaveRayCluster(const QString &headHost, const QString &jobId) override
    {
        const QString head = canonical(headHost);
        if (headJobOfHost.value(head) == jobId) {
            headJobOfHost.remove(head);
            clusters.remove(head);
            return;
        }
        auto &nodes = clusters[head];
        nodes.erase(std::remove_if(nodes.begin(), nodes.end(), [&](const auto &n) { return n.first == jobId; }),
                    nodes.end());
    }
    double timeScale() const override { return scale; }
    double tokenRate() const override { return rate; }
    bool isValidPlatformToken(const QByteArray &token) const override { return token == "platform-token"; }
};
