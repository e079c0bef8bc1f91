// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "flow/FlowReader.h"

namespace ApoloDeploy {

// apolo-flow's semantic rules for a read flow (apolo-flow.md §1-3, §8), with the position of
// every problem and a fix: cmd/bash/python exclusivity, durations, restart values, job names,
// booleans and YAML 1.1 typing of plain scalars, port_forward and volume strings, template
// syntax and references (volumes, images, inspect_job targets), plus the pitfalls of the seed
// guide's Ray/vLLM flow (FlowPitfalls).
class FlowChecker
{
public:
    static QList<FlowIssue> check(const LiveFlow &flow);
    // read() + check(), issues sorted by position.
    static FlowReadResult readAndCheck(const QByteArray &yaml);
    static bool hasErrors(const QList<FlowIssue> &issues);
    // "file:line:column: severity: message (fix)" lines, for the CLI.
    static QString format(const QList<FlowIssue> &issues, const QString &fileName);
};

// Checks specific to Ray + vLLM flows (the seed guide's 12 bugs that can be seen in a file).
namespace FlowPitfalls {
QList<FlowIssue> check(const LiveFlow &flow);
// The job's effective entrypoint + arguments after shell splitting, templates kept as text.
// Empty when the command cannot be split.
QStringList commandWords(const FlowJob &job);
// The script passed to `bash -c`, or empty.
QString bashScript(const FlowJob &job);
} // namespace FlowPitfalls

} // namespace ApoloDeploy
