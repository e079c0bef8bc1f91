// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandbox/Workload.h"

#include <QHash>
#include <QString>

#include <memory>

namespace ApoloDeploy::Sandbox {

// State the commands of one container share, as processes of one pod share its network and
// environment: the Ray cluster `ray start` joined is what a later vLLM server attaches to.
struct ContainerContext
{
    WorkloadSpec spec;
    WorkloadHost *host = nullptr;
    QHash<QString, QString> env; // plain env, secret env and `export`s
    QString rayHead;             // hostname of the head this node joined (its own name on the head)

    double timeScale() const;
    // Deterministic pod IP for a hostname, e.g. "10.244.3.17".
    static QString podIp(const QString &hostname);
    QString ownIp() const { return podIp(spec.internalHostname); }
    quint32 seed() const;
};

using ContainerContextPtr = std::shared_ptr<ContainerContext>;

} // namespace ApoloDeploy::Sandbox
