// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/vllm/VllmMetrics.h"

#include <cmath>

namespace ApoloDeploy::Sandbox {

namespace {

// Python's float repr, which prometheus_client uses for every sample value.
QByteArray pyFloat(double value)
{
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    QByteArray text = QByteArray::number(value, 'g', 17);
    // Shortest repr that round-trips, like Python's.
    for (int precision = 1; precision <= 17; ++precision) {
        const QByteArray candidate = QByteArray::number(value, 'g', precision);
        if (candidate.toDouble() == value) {
            text = candidate;
            break;
        }
    }
    if (!text.contains('.') && !text.contains('e') && !text.contains("inf"))
        text += ".0";
    return text;
}

void header(QByteArray &out, const QByteArray &name, const char *type, const char *help)
{
    out += "# HELP " + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
}

QList<double> tokenBuckets()
{
    return {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000};
}

} // namespace

PromHistogram::PromHistogram(QList<double> bounds)
    : m_bounds(std::move(bounds))
    , m_buckets(m_bounds.size(), 0)
{}

void PromHistogram::observe(double value)
{
    for (int i = 0; i < m_bounds.size(); ++i) {
        if (value <= m_bounds.at(i)) {
            ++m_buckets[i];
            break;
        }
    }
    m_sum += value;
    ++m_count;
}

void PromHistogram::render(QByteArray &out, const QByteArray &name, const QByteArray &labels) const
{
    qint64 cumulative = 0;
    for (int i = 0; i < m_bounds.size(); ++i) {
        cumulative += m_buckets.at(i);
        out += name + "_bucket{" + labels + ",le=\"" + pyFloat(m_bounds.at(i)) + "\"} " + pyFloat(double(cumulative)) +
               '\n';
    }
    out += name + "_bucket{" + labels + ",le=\"+Inf\"} " + pyFloat(double(m_count)) + '\n';
    out += name + "_count{" + labels + "} " + pyFloat(double(m_count)) + '\n';
    out += name + "_sum{" + labels + "} " + pyFloat(m_sum) + '\n';
}

VllmMetrics::VllmMetrics(QString modelName, qint64 gpuBlocks, int blockSize, double gpuMemoryUtilization,
                         qint64 createdEpoch)
    : m_modelName(std::move(modelName))
    , m_gpuBlocks(gpuBlocks)
    , m_blockSize(blockSize)
    , m_gpuMemoryUtilization(gpuMemoryUtilization)
    , m_createdEpoch(createdEpoch)
    // Bucket bounds of vllm/engine/metrics.py (V0).
    , m_ttft({0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0})
    , m_tpot({0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5})
    , m_e2e({0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0})
    , m_promptHistogram(tokenBuckets())
    , m_generationHistogram(tokenBuckets())
{}

void VllmMetrics::requestFinished(const QString &finishReason, double e2eSeconds, int promptTokens,
                                  int generationTokens)
{
    m_success[finishReason] += 1;
    m_e2e.observe(e2eSeconds);
    m_promptHistogram.observe(promptTokens);
    m_generationHistogram.observe(generationTokens);
}

double VllmMetrics::gpuCacheUsage() const
{
    if (m_gpuBlocks <= 0)
        return 0;
    const qint64 blocks = (m_kvTokensInUse + m_blockSize - 1) / m_blockSize;
    return std::min(1.0, double(blocks) / double(m_gpuBlocks));
}

QByteArray VllmMetrics::render() const
{
    const QByteArray labels = "model_name=\"" + m_modelName.toUtf8() + '"';
    QByteArray out;
    header(out, "vllm:cache_config_info", "gauge", "Information of the LLMEngine CacheConfig");
    out += "vllm:cache_config_info{block_size=\"" + QByteArray::number(m_blockSize) +
           "\",cache_dtype=\"auto\",calculate_kv_scales=\"False\",cpu_offload_gb=\"0\",enable_prefix_caching=\"False\","
           "gpu_memory_utilization=\"" +
           pyFloat(m_gpuMemoryUtilization) +
           "\",is_attention_free=\"False\",num_cpu_blocks=\"None\",num_gpu_blocks=\"" +
           QByteArray::number(m_gpuBlocks) + "\",sliding_window=\"None\",swap_space_bytes=\"4294967296\"} 1.0\n";
    auto gauge = [&](const char *name, const char *help, double value) {
        header(out, name, "gauge", help);
        out += QByteArray(name) + '{' + labels + "} " + pyFloat(value) + '\n';
    };
    gauge("vllm:num_requests_running", "Number of requests currently running on GPU.", m_running);
    gauge("vllm:num_requests_swapped", "Number of requests swapped to CPU.", 0);
    gauge("vllm:num_requests_waiting", "Number of requests waiting to be processed.", m_waiting);
    gauge("vllm:gpu_cache_usage_perc", "GPU KV-cache usage. 1 means 100 percent usage.", gpuCacheUsage());
    gauge("vllm:cpu_cache_usage_perc", "CPU KV-cache usage. 1 means 100 percent usage.", 0);
    gauge("vllm:cpu_prefix_cache_hit_rate", "CPU prefix cache block hit rate.", -1);
    gauge("vllm:gpu_prefix_cache_hit_rate", "GPU prefix cache block hit rate.", -1);
    auto counter = [&](const char *name, const char *help, double value) {
        header(out, QByteArray(name) + "_total", "counter", help);
        out += QByteArray(name) + "_total{" + labels + "} " + pyFloat(value) + '\n';
        out += QByteArray(name) + "_created{" + labels + "} " + pyFloat(double(m_createdEpoch)) + '\n';
    };
    counter("vllm:num_preemptions", "Cumulative number of preemption from the engine.", 0);
    counter("vllm:prompt_tokens", "Number of prefill tokens processed.", double(m_promptTokens));
    counter("vllm:generation_tokens", "Number of generation tokens processed.", double(m_generationTokens));
    header(out, "vllm:request_success_total", "counter", "Count of successfully processed requests.");
    for (auto it = m_success.begin(); it != m_success.end(); ++it)
        out += "vllm:request_success_total{finished_reason=\"" + it.key().toUtf8() + "\"," + labels + "} " +
               pyFloat(double(it.value())) + '\n';
    auto histogram = [&](const char *name, const char *help, const PromHistogram &h) {
        header(out, name, "histogram", help);
        h.render(out, name, labels);
    };
    histogram("vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", m_ttft);
    histogram("vllm:time_per_output_token_seconds", "Histogram of time per output token in seconds.", m_tpot);
    histogram("vllm:e2e_request_latency_seconds", "Histogram of end to end request latency in seconds.", m_e2e);
    histogram("vllm:request_prompt_tokens", "Number of prefill tokens processed.", m_promptHistogram);
    histogram("vllm:request_generation_tokens", "Number of generation tokens processed.", m_generationHistogram);
    return out;
}

} // namespace ApoloDeploy::Sandbox
