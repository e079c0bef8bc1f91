// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "deploy/Deployment.h"

#include <QList>
#include <QString>

#include <functional>

namespace ApoloDeploy {

struct ValidationIssue
{
    enum class Severity { Error, Warning };
    Severity severity = Severity::Error;
    QString field;   // Deployment member name ("maxModelLen"), for inline messages next to the input
    QString message; // says what is wrong and what to change

    bool isError() const { return severity == Severity::Error; }
};

// Checks a deployment before anything is created: the platform's rules (job names, tags, URIs,
// ports, durations), vLLM's argument rules (§6 of vllm.md) and, when set, extra rules from the
// planner (what the preset and the model allow).
class DeploymentValidator
{
public:
    // Optional knowledge of the chosen preset: GPUs per node (0 = unknown).
    struct PresetFacts
    {
        int gpusPerNode = 0;
        bool known = false;
    };
    using ExtraRule = std::function<QList<ValidationIssue>(const Deployment &)>;

    void setPresetFacts(PresetFacts facts) { m_preset = facts; }
    // e.g. the planner's fit check; its issues are appended after the built-in ones.
    void addRule(ExtraRule rule) { m_extraRules << std::move(rule); }

    QList<ValidationIssue> validate(const Deployment &deployment) const;

    static bool hasErrors(const QList<ValidationIssue> &issues);
    // "field: message" lines, errors first, for the CLI.
    static QString format(const QList<ValidationIssue> &issues);
    // vLLM flags the form manages itself: they may not appear in extraVllmArgs.
    static QStringList managedVllmFlags(); // the two lists below
    static QStringList managedVllmValueFlags();
    static QStringList managedVllmSwitches();

private:
    PresetFacts m_preset;
    QList<ExtraRule> m_extraRules;
};

} // namespace ApoloDeploy
