// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "flow/LiveFlow.h"

#include <QByteArray>

namespace ApoloDeploy {

struct FlowReadResult
{
    LiveFlow flow;
    QList<FlowIssue> issues;
    bool parsed = false; // false: not YAML, or not a mapping at the top
};

// Reads a live.yml with yaml-cpp and applies apolo-flow's *structural* rules at load time:
// strict keys (unknown keys are errors), identifier ids, value shapes (scalar / list / map or a
// single ${{ }} expression). Semantic checks live in FlowChecker. Pure: bytes in, values out.
class FlowReader
{
public:
    static FlowReadResult read(const QByteArray &yaml);

    static QStringList topLevelKeys();
    static QStringList jobKeys();
    static QStringList defaultsKeys();
    static QStringList volumeKeys();
};

} // namespace ApoloDeploy
