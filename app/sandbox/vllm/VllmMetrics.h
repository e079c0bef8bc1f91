// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

namespace ApoloDeploy::Sandbox {

// A Prometheus histogram with fixed upper bounds, as prometheus_client exposes it.
class PromHistogram
{
public:
    explicit PromHistogram(QList<double> bounds = {});
    void observe(double value);
    void render(QByteArray &out, const QByteArray &name, const QByteArray &labels) const;
    qint64 count() const { return m_count; }

private:
    QList<double> m_bounds;
    QList<qint64> m_buckets; // cumulative at render time, per bucket here
    double m_sum = 0;
    qint64 m_count = 0;
};

// The V0 (0.7.2) metric set of /metrics (vllm.md §1.6) fed by the requests the emulator serves.
class VllmMetrics
{
public:
    VllmMetrics(QString modelName, qint64 gpuBlocks, int blockSize, double gpuMemoryUtilization, qint64 createdEpoch);

    void setQueue(int running, int waiting)
    {
        m_running = running;
        m_waiting = waiting;
    }
    void setKvTokensInUse(qint64 tokens) { m_kvTokensInUse = tokens; }
    void addPromptTokens(qint64 tokens) { m_promptTokens += tokens; }
    void addGenerationTokens(qint64 tokens) { m_generationTokens += tokens; }
    void observeTimeToFirstToken(double seconds) { m_ttft.observe(seconds); }
    void observeTimePerOutputToken(double seconds) { m_tpot.observe(seconds); }
    void requestFinished(const QString &finishReason, double e2eSeconds, int promptTokens, int generationTokens);

    double gpuCacheUsage() const;
    qint64 promptTokensTotal() const { return m_promptTokens; }
    qint64 generationTokensTotal() const { return m_generationTokens; }
    QByteArray render() const;

private:
    QString m_modelName;
    qint64 m_gpuBlocks;
    int m_blockSize;
    double m_gpuMemoryUtilization;
    qint64 m_createdEpoch;
    int m_running = 0;
    int m_waiting = 0;
    qint64 m_kvTokensInUse = 0;
    qint64 m_promptTokens = 0;
    qint64 m_generationTokens = 0;
    QHash<QString, qint64> m_success; // finished_reason -> count
    PromHistogram m_ttft;
    PromHistogram m_tpot;
    PromHistogram m_e2e;
    PromHistogram m_promptHistogram;
    PromHistogram m_generationHistogram;
};

} // namespace ApoloDeploy::Sandbox
