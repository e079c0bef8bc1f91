// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "logs/PhaseRecognizer.h"

#include <QMetaType>
#include <QString>
#include <QStringView>
#include <QVariantMap>

#include <optional>

namespace ApoloDeploy::Logs {

// A recognised failure (or a warning that usually precedes one) with its fix.
struct Diagnosis
{
    QString kind;    // stable id: "kv_cache_too_small", "nccl", "cuda_oom", … (see FailureDiagnoser.cpp)
    QString title;   // what went wrong, in plain words
    QString hint;    // the concrete fix, with numbers from the log where it has them
    QString message; // the log message that matched
    qint64 line = 0; // line number in the stream, 0 when not from a log line
    bool fatal = true;
    // A symptom that an earlier, more specific error usually explains (engine died, a bare
    // exception line): never replaces a specific diagnosis.
    bool secondary = false;
    QVariantMap values;
};

// What the log said before the failing line; it makes the fix concrete.
struct DiagnosisContext
{
    Phase phase = Phase::RayStarted; // furthest phase reached
    bool phaseKnown = false;
    QVariantMap engine;           // engineConfigValues() of the args/engine config lines
    double totalGpuMemoryGiB = 0; // from the memory profile, 0 = unknown
};

// Pure: matches one message (after header parsing) against vllm.md §4.6 and the Ray, Hugging
// Face and container failures users hit (peers.md §4.5).
std::optional<Diagnosis> diagnoseMessage(QStringView message, const DiagnosisContext &context);

// Platform job status (apolo-api.md §3.5): image pull errors, OOMKilled, no capacity, quota, …
// Returns nothing for states that need no explanation (running, succeeded, cancelled by the user).
std::optional<Diagnosis> diagnoseJobStatus(const QString &status, const QString &reason, const QString &description,
                                           int exitCode);

// Divisors of n, ascending: the valid tensor-parallel sizes for n attention heads.
QList<int> divisors(int n);

} // namespace ApoloDeploy::Logs

Q_DECLARE_METATYPE(ApoloDeploy::Logs::Diagnosis)
