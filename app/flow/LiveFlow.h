// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace ApoloDeploy {

// 1-based line and column in the YAML text; 0 = unknown (e.g. a flow built in memory).
struct FlowPosition
{
    int line = 0;
    int column = 0;
    bool isKnown() const { return line > 0; }
};

// A scalar exactly as written: its text, whether it was a *plain* scalar (the only kind PyYAML
// re-types under YAML 1.1) and where it is.
struct FlowScalar
{
    QString text;
    bool plain = true;
    bool present = false;
    FlowPosition position;

    static FlowScalar of(const QString &text, bool plain = true) { return {text, plain, true, {}}; }
    bool isSet() const { return present; }
};

using FlowEnv = QList<QPair<QString, FlowScalar>>;

struct FlowVolume
{
    QString id;
    FlowPosition position;
    FlowScalar remote;
    FlowScalar mount;
    FlowScalar local;
    FlowScalar readOnly;
};

struct FlowDefaults
{
    FlowEnv env;
    QList<FlowScalar> volumes;
    QList<FlowScalar> tags;
    FlowScalar workdir;
    FlowScalar lifeSpan;
    FlowScalar scheduleTimeout;
    FlowScalar preset;
};

// One entry of `jobs:`. Scalar keys keep apolo-flow's spelling ("life_span", "http_port").
struct FlowJob
{
    QString id;
    FlowPosition position;
    QList<QPair<QString, FlowScalar>> scalars; // in file order
    FlowEnv env;
    QList<FlowScalar> volumes;
    QList<FlowScalar> tags;
    QList<FlowScalar> portForward;
    QList<FlowScalar> mixins;
    QStringList paramNames;
    bool isActionOrModuleCall = false;

    FlowScalar scalar(QAnyStringView key) const;
    QString text(QAnyStringView key) const { return scalar(key).text; }
    bool has(QAnyStringView key) const { return scalar(key).isSet(); }
    void set(const QString &key, const FlowScalar &value);
    QString envValue(QStringView name) const;
};

// A `kind: live` apolo-flow file (specs/apolo-flow.md §1).
struct LiveFlow
{
    FlowScalar kind;
    FlowScalar id;
    FlowScalar title;
    FlowDefaults defaults;
    QList<FlowVolume> volumes;
    QStringList imageIds;
    QStringList mixinIds;
    QList<FlowJob> jobs;

    const FlowJob *job(QStringView jobId) const;
    const FlowVolume *volume(QStringView volumeId) const;
};

struct FlowIssue
{
    enum class Severity { Error, Warning, Info };
    Severity severity = Severity::Error;
    FlowPosition position;
    QString message; // what is wrong, in apolo-flow's terms
    QString fix;     // what to write instead
    QString code;    // stable id for tests and --json ("unknown-key", "seed-no-separator", …)

    bool isError() const { return severity == Severity::Error; }
};

QString flowSeverityName(FlowIssue::Severity severity);

} // namespace ApoloDeploy
