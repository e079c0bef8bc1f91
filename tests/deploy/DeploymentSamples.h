// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "deploy/Deployment.h"

namespace ApoloDeploy::Test {

// The guide's flagship: DeepSeek-R1 AWQ on 2 x 8 H100, 100k context.
inline Deployment deepSeekR1(int nodes = 2)
{
    Deployment d;
    d.name = QStringLiteral("demo");
    d.model = QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ");
    d.preset = QStringLiteral("dgx");
    d.tensorParallel = 8;
    d.pipelineParallel = nodes;
    d.maxModelLen = 100000;
    d.dtype = QStringLiteral("float16");
    d.enforceEager = true;
    d.lifeSpan = QStringLiteral("10d");
    return d;
}

} // namespace ApoloDeploy::Test
