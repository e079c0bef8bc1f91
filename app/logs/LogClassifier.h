// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "logs/FailureDiagnoser.h"
#include "logs/LineNormalizer.h"
#include "logs/LogLine.h"
#include "logs/PhaseRecognizer.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <optional>

namespace ApoloDeploy::Logs {

struct PhaseRecord
{
    Phase phase;
    qint64 firstLine = 0;
    QVariantMap values; // merged over every line of the phase; the latest value wins
};

struct StatsPoint
{
    qint64 line = 0;
    qint64 timestampNs = 0;
    StatsSample sample;
};

// Reads one job's log line by line and keeps what a person watching it would know: the launch
// phase reached, weight-loading progress, memory numbers, readiness, the first real failure and
// its fix, and the throughput / KV-usage series. Pure (no I/O, no signals), so it runs the same
// in the CLI (`diagnose`), the live pane and the tests. Memory stays bounded for endless streams.
class LogClassifier
{
public:
    // Lines longer than this are kept whole in the spill file; the view shows the start of them.
    static constexpr qsizetype maxDisplayChars = 64 * 1024;
    static constexpr qsizetype maxStatsPoints = 4096;
    static constexpr int failureContextLines = 50;

    // Classifies the raw line (no trailing newline) that is the number-th of the stream. A caller
    // that already took the platform timestamp off the line passes it as platformTimestampNs.
    LogLine classify(QStringView raw, qint64 number, qint64 platformTimestampNs = 0);

    bool isReady() const { return m_ready && !hasFatalFailure(); }
    bool hasFatalFailure() const { return m_failure.has_value() && m_failure->fatal; }
    std::optional<Phase> currentPhase() const { return m_current; }
    const QList<PhaseRecord> &phases() const { return m_phases; }
    // Weight loading: percent 0-100 and tqdm's ETA ("00:32"), when the log showed a progress line.
    std::optional<int> loadingPercent() const { return m_loadingPercent; }
    QString loadingEta() const { return m_loadingEta; }
    std::optional<int> cudaGraphPercent() const { return m_graphPercent; }
    const std::optional<Diagnosis> &failure() const { return m_failure; }
    // The lines before the failure (vllm.md: "keeps the last 50 lines").
    const QStringList &failureContext() const { return m_failureContext; }
    const QList<Diagnosis> &warnings() const { return m_warnings; }
    // weightsGiB, kvCacheGiB, gpuBlocks, cpuBlocks, maxConcurrency, kvCacheTokens, … as far as the log says.
    QVariantMap metrics() const;
    // Engine settings printed by vLLM (args and engine config): model, tensorParallelSize, …
    const QVariantMap &engine() const { return m_engine; }
    const QList<StatsPoint> &stats() const { return m_stats; }
    QStringList routes() const { return m_routes; }
    qint64 linesSeen() const { return m_linesSeen; }
    // Increases whenever anything above changes, so a view can skip repaints cheaply.
    quint64 revision() const { return m_revision; }

    // The `diagnose --json` document: ready, phases[], progress, failure, metrics, engine, warnings.
    QJsonObject toJson() const;

private:
    void applyPhase(const PhaseEvent &event, qint64 number);
    void applyDiagnosis(Diagnosis diagnosis, qint64 number);
    void updateMetric(const QString &key, const QVariant &value, bool keepMinimum, bool keepMaximum);
    DiagnosisContext context() const;

    LineNormalizer m_normalizer;
    QList<PhaseRecord> m_phases;
    std::optional<Phase> m_current;
    std::optional<int> m_loadingPercent;
    QString m_loadingEta;
    std::optional<int> m_graphPercent;
    std::optional<Diagnosis> m_failure;
    QStringList m_failureContext;
    QList<Diagnosis> m_warnings;
    QVariantMap m_metrics;
    QVariantMap m_engine;
    QList<StatsPoint> m_stats;
    QStringList m_routes;
    QStringList m_recent; // ring of the last failureContextLines texts
    qsizetype m_recentNext = 0;
    qint64 m_linesSeen = 0;
    quint64 m_revision = 0;
    bool m_ready = false;
    bool m_inTraceback = false;
};

} // namespace ApoloDeploy::Logs
