// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "flow/LiveFlow.h"

#include <QByteArray>

namespace ApoloDeploy {

// Writes a LiveFlow as live.yml that apolo-flow (PyYAML, YAML 1.1) reads back to the same values
// (apolo-flow.md §8): env values always double-quoted, scalars marked non-plain double-quoted
// (or as a literal block when multi-line), plain scalars left plain so booleans and ports keep
// their types. Comments and folded style are not preserved.
class FlowWriter
{
public:
    static QByteArray write(const LiveFlow &flow, const QString &headerComment = {});
};

} // namespace ApoloDeploy
