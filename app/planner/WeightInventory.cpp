// SPDX-License-Identifier: GPL-3.0-or-later
#include "planner/WeightInventory.h"

namespace ApoloDeploy::Planner {

namespace {

qint64 ceilDiv(qint64 a, qint64 b)
{
    return (a + b - 1) / b;
}

TensorGroup linear(const QString &module, qint64 out, qint64 in, Sharding sharding)
{
    TensorGroup tensor;
    tensor.module = module;
    tensor.outFeatures = out;
    tensor.inFeatures = in;
    tensor.linear = true;
    tensor.sharding = sharding;
    return tensor;
}

// Norm weights, biases, router gates: never quantized.
TensorGroup plain(const QString &module, qint64 out, qint64 in = 1, Sharding sharding = Sharding::Replicated)
{
    TensorGroup tensor = linear(module, out, in, sharding);
    tensor.linear = false;
    return tensor;
}

bool isRouter(const TensorGroup &tensor)
{
    return tensor.module.endsWith(QLatin1String(".gate")) ||
           tensor.module.endsWith(QLatin1String("gate.e_score_correction_bias")) ||
           tensor.module.endsWith(QLatin1String("shared_expert_gate"));
}

} // namespace

WeightInventory::WeightInventory(const ModelConfig &config)
    : m_config(config)
{
    const qint64 hidden = config.hiddenSize;
    const QString norms[] = {QStringLiteral("input_layernorm"), QStringLiteral("post_attention_layernorm")};
    QList<TensorGroup> common = attention();
    for (const QString &norm : norms)
        common << plain(norm, hidden);
    const bool mixtral = config.architecture == Architecture::Mixtral;
    m_denseLayer = common + (mixtral ? QList<TensorGroup>() : denseMlp(config.intermediateSize, QStringLiteral("mlp")));
    if (config.isMoe())
        m_moeLayer = common + moeMlp();

    m_embedding = plain(QStringLiteral("embed_tokens"), config.vocabSize, hidden, Sharding::VocabParallel);
    // vLLM keeps lm_head unquantized for AWQ/GPTQ/FP8 checkpoints (no lm_head_quantized here).
    m_lmHead = plain(QStringLiteral("lm_head"), config.vocabSize, hidden, Sharding::VocabParallel);
    m_finalNorm = plain(QStringLiteral("norm"), hidden);

    if (config.numNextnPredictLayers > 0 && config.isMoe()) {
        // deepseek_mtp.py: a full MoE decoder layer, enorm/hnorm, eh_proj (plain nn.Linear, replicated)
        // and the shared head's norm; its embedding and head copies are added by rankBytes().
        m_mtp = m_moeLayer;
        m_mtp << plain(QStringLiteral("enorm"), hidden) << plain(QStringLiteral("hnorm"), hidden)
              << plain(QStringLiteral("eh_proj"), hidden, 2 * hidden)
              << plain(QStringLiteral("shared_head.norm"), hidden);
    }

    ParameterCounts &counts = m_counts;
    counts.embedding = m_embedding.params();
    counts.lmHead = config.tieWordEmbeddings ? 0 : m_lmHead.params();
    counts.total = counts.embedding + counts.lmHead + m_finalNorm.params();
    counts.active = counts.total;
    for (int layer = 0; layer < config.numHiddenLayers; ++layer) {
        for (const TensorGroup &tensor : this->layer(layer)) {
            counts.total += tensor.params();
            counts.active += tensor.outFeatures * tensor.inFeatures * tensor.activeCopies;
            if (isRouter(tensor))
                counts.router += tensor.params();
        }
    }
    for (const TensorGroup &tensor : m_mtp)
        counts.mtpModule += tensor.params() * config.numNextnPredictLayers;
}

QList<TensorGroup> WeightInventory::attention() const
{
    const ModelConfig &c = m_config;
    const qint64 hidden = c.hiddenSize;
    QList<TensorGroup> tensors;
    if (c.isMla()) {
        const qint64 qkHead = c.qkNopeHeadDim + c.qkRopeHeadDim;
        if (c.qLoraRank > 0) {
            // The down-projections are ReplicatedLinear in vLLM: every TP rank holds them whole.
            tensors << linear(QStringLiteral("self_attn.q_a_proj"), c.qLoraRank, hidden, Sharding::Replicated)
                    << plain(QStringLiteral("self_attn.q_a_layernorm"), c.qLoraRank)
                    << linear(QStringLiteral("self_attn.q_b_proj"), c.numAttentionHeads * qkHead, c.qLoraRank,
                              Sharding::ColumnParallel);
        } else {
            tensors << linear(QStringLiteral("self_attn.q_proj"), c.numAttentionHeads * qkHead, hidden,
                              Sharding::ColumnParallel);
        }
        tensors << linear(QStringLiteral("self_attn.kv_a_proj_with_mqa"), c.kvLoraRank + c.qkRopeHeadDim, hidden,
                          Sharding::Replicated)
                << plain(QStringLiteral("self_attn.kv_a_layernorm"), c.kvLoraRank)
                << linear(QStringLiteral("self_attn.kv_b_proj"), c.numAttentionHeads * (c.qkNopeHeadDim + c.vHeadDim),
                          c.kvLoraRank, Sharding::ColumnParallel)
                << linear(QStringLiteral("self_attn.o_proj"), hidden, c.numAttentionHeads * c.vHeadDim,
                          Sharding::RowParallel);
        return tensors;
    }
    const qint64 qOut = c.numAttentionHeads * c.headDim;
    const qint64 kvOut = c.numKeyValueHeads * c.headDim;
    tensors << linear(QStringLiteral("self_attn.q_proj"), qOut, hidden, Sharding::ColumnParallel)
            << linear(QStringLiteral("self_attn.k_proj"), kvOut, hidden, Sharding::KvHeads)
            << linear(QStringLiteral("self_attn.v_proj"), kvOut, hidden, Sharding::KvHeads)
            << linear(QStringLiteral("self_attn.o_proj"), hidden, qOut, Sharding::RowParallel);
    if (c.attentionBias) {
        tensors << plain(QStringLiteral("self_attn.q_proj.bias"), qOut, 1, Sharding::ColumnParallel)
                << plain(QStringLiteral("self_attn.k_proj.bias"), kvOut, 1, Sharding::KvHeads)
                << plain(QStringLiteral("self_attn.v_proj.bias"), kvOut, 1, Sharding::KvHeads);
        // Qwen2 biases only q/k/v; Llama/Mistral/Qwen3's attention_bias also covers o_proj.
        const bool qwen2 = c.architecture == Architecture::Qwen2 || c.architecture == Architecture::Qwen2Moe;
        if (!qwen2)
            tensors << plain(QStringLiteral("self_attn.o_proj.bias"), hidden);
    }
    if (c.architecture == Architecture::Qwen3 || c.architecture == Architecture::Qwen3Moe)
        tensors << plain(QStringLiteral("self_attn.q_norm"), c.headDim)
                << plain(QStringLiteral("self_attn.k_norm"), c.headDim);
    return tensors;
}

QList<TensorGroup> WeightInventory::denseMlp(qint64 intermediate, const QString &prefix) const
{
    const qint64 hidden = m_config.hiddenSize;
    QList<TensorGroup> tensors;
    tensors << linear(prefix + QLatin1String(".gate_proj"), intermediate, hidden, Sharding::ColumnParallel)
            << linear(prefix + QLatin1String(".up_proj"), intermediate, hidden, Sharding::ColumnParallel)
            << linear(prefix + QLatin1String(".down_proj"), hidden, intermediate, Sharding::RowParallel);
    if (m_config.mlpBias) {
        tensors << plain(prefix + QLatin1String(".gate_proj.bias"), intermediate, 1, Sharding::ColumnParallel)
                << plain(prefix + QLatin1String(".up_proj.bias"), intermediate, 1, Sharding::ColumnParallel)
                << plain(prefix + QLatin1String(".down_proj.bias"), hidden);
    }
    return tensors;
}

QList<TensorGroup> WeightInventory::moeMlp() const
{
    const ModelConfig &c = m_config;
    const qint64 hidden = c.hiddenSize;
    const bool mixtral = c.architecture == Architecture::Mixtral;
    const QString prefix = mixtral ? QStringLiteral("block_sparse_moe") : QStringLiteral("mlp");
    QList<TensorGroup> tensors;
    tensors << plain(prefix + QLatin1String(".gate"), c.numExperts, hidden);
    if (c.routerScoreCorrectionBias) {
        TensorGroup bias = plain(QStringLiteral("mlp.gate.e_score_correction_bias"), c.numExperts);
        bias.elementBytes = 4; // stored in fp32 in the DeepSeek-V3 checkpoints
        tensors << bias;
    }
    const QString names[3] = {mixtral ? QStringLiteral(".experts.w1") : QStringLiteral(".experts.gate_proj"),
                              mixtral ? QStringLiteral(".experts.w3") : QStringLiteral(".experts.up_proj"),
                              mixtral ? QStringLiteral(".experts.w2") : QStringLiteral(".experts.down_proj")};
    for (int i = 0; i < 3; ++i) {
        const bool down = i == 2;
        TensorGroup expert =
            linear(prefix + names[i], down ? hidden : c.moeIntermediateSize, down ? c.moeIntermediateSize : hidden,
                   down ? Sharding::RowParallel : Sharding::ColumnParallel);
        expert.copies = c.numExperts;
        expert.activeCopies = c.numExpertsPerToken;
        tensors << expert;
    }
    if (c.numSharedExperts > 0)
        tensors << denseMlp(c.moeIntermediateSize * c.numSharedExperts, QStringLiteral("mlp.shared_experts"));
    if (c.sharedExpertIntermediateSize > 0) {
        tensors << denseMlp(c.sharedExpertIntermediateSize, QStringLiteral("mlp.shared_expert"))
                << plain(QStringLiteral("mlp.shared_expert_gate"), 1, hidden);
    }
    return tensors;
}

const QList<TensorGroup> &WeightInventory::layer(int layerIndex) const
{
    return m_config.isMoeLayer(layerIndex) ? m_moeLayer : m_denseLayer;
}

qint64 WeightInventory::tensorBytes(const TensorGroup &tensor, const QuantScheme &scheme, int tp, int kvHeads)
{
    const int element = tensor.elementBytes > 0 ? tensor.elementBytes : scheme.unquantizedBytes;
    const bool quantized = tensor.linear && scheme.quantizes(tensor.module);
    qint64 out = tensor.outFeatures;
    qint64 in = tensor.inFeatures;
    switch (tensor.sharding) {
    case Sharding::Replicated: break;
    case Sharding::ColumnParallel: out = ceilDiv(out, tp); break;
    case Sharding::RowParallel: in = ceilDiv(in, tp); break;
    case Sharding::KvHeads: out = out / qMax(1, kvHeads) * qMax(1, kvHeads / tp); break;
    case Sharding::VocabParallel: out = ceilDiv(paddedVocab(out), tp); break;
    }
    const qint64 bytes = quantized ? scheme.linearBytes(out, in) : out * in * element;
    return bytes * tensor.copies;
}

qint64 WeightInventory::sum(const QList<TensorGroup> &tensors, const QuantScheme &scheme, int tp) const
{
    qint64 bytes = 0;
    for (const TensorGroup &tensor : tensors)
        bytes += tensorBytes(tensor, scheme, tp, m_config.numKeyValueHeads);
    return bytes;
}

qint64 WeightInventory::totalBytes(const QuantScheme &scheme) const
{
    qint64 bytes =
        m_config.vocabSize * m_config.hiddenSize * scheme.unquantizedBytes * (m_config.tieWordEmbeddings ? 1 : 2) +
        m_finalNorm.outFeatures * scheme.unquantizedBytes;
    const qint64 dense = sum(m_denseLayer, scheme, 1);
    const qint64 moe = sum(m_moeLayer, scheme, 1);
    for (int layer = 0; layer < m_config.numHiddenLayers; ++layer)
        bytes += m_config.isMoeLayer(layer) ? moe : dense;
    return bytes;
}

qint64 WeightInventory::rankBytes(const QuantScheme &scheme, int tp, int firstLayer, int endLayer, bool embedding,
                                  bool lmHead, bool mtp) const
{
    qint64 bytes = 0;
    const qint64 dense = sum(m_denseLayer, scheme, tp);
    const qint64 moe = m_moeLayer.isEmpty() ? 0 : sum(m_moeLayer, scheme, tp);
    for (int layer = firstLayer; layer < endLayer; ++layer)
        bytes += m_config.isMoeLayer(layer) ? moe : dense;
    const qint64 vocabShard = tensorBytes(m_embedding, scheme, tp, 0);
    if (embedding)
        bytes += vocabShard;
    // A tied lm_head shares the embedding only when both sit on the same pipeline stage.
    if (lmHead && (!m_config.tieWordEmbeddings || !embedding))
        bytes += vocabShard;
    if (lmHead)
        bytes += sum({m_finalNorm}, scheme, tp);
    if (mtp && !m_mtp.isEmpty()) // the MTP module carries its own embedding and head copies
        bytes += (sum(m_mtp, scheme, tp) + 2 * vocabShard) * m_config.numNextnPredictLayers;
    return bytes;
}

qint64 WeightInventory::mlaAbsorbedBytes(const QuantScheme &scheme, int tp, int layers) const
{
    if (!m_config.isMla() || !scheme.quantizes(QStringLiteral("self_attn.kv_b_proj")))
        return 0;
    const qint64 headsPerRank = ceilDiv(m_config.numAttentionHeads, tp);
    return m_config.kvLoraRank * headsPerRank * (m_config.qkNopeHeadDim + m_config.vHeadDim) * 2 * layers;
}

} // namespace ApoloDeploy::Planner
