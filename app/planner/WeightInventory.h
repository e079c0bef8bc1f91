// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "planner/ModelConfig.h"

#include <QList>
#include <QString>

namespace ApoloDeploy::Planner {

// How vLLM places a tensor on tensor-parallel ranks.
enum class Sharding {
    Replicated,     // every rank holds all of it (norms, routers, MLA down-projections)
    ColumnParallel, // output rows split 1/tp (q/gate/up projections, their biases)
    RowParallel,    // input columns split 1/tp (o/down projections)
    KvHeads,        // k/v projections: max(1, kv_heads / tp) heads per rank (replicated beyond)
    VocabParallel,  // embedding / lm_head: vocab padded to a multiple of 64, split 1/tp
};

// One weight (or a stack of identical expert weights) as the reference implementation builds it.
struct TensorGroup
{
    QString module;         // "self_attn.q_b_proj", "mlp.experts.down_proj": matched by modules_to_not_convert
    qint64 outFeatures = 0; // rows (for vectors: the length)
    qint64 inFeatures = 1;  // columns (1 for vectors)
    int copies = 1;         // routed experts
    int activeCopies = 1;   // experts used per token
    bool linear = false;    // a Linear weight the checkpoint may quantize
    Sharding sharding = Sharding::Replicated;
    int elementBytes = 0; // fixed storage width (fp32 router bias); 0 = the checkpoint's unquantized width

    qint64 params() const { return outFeatures * inFeatures * copies; }
};

struct ParameterCounts
{
    qint64 total = 0;  // what vLLM loads by default (no MTP)
    qint64 active = 0; // per token: all but the routed experts that are not selected
    qint64 embedding = 0;
    qint64 lmHead = 0;    // 0 when tied
    qint64 router = 0;    // MoE gates (+ correction bias), counted in total and active
    qint64 mtpModule = 0; // DeepSeek MTP layer(s) without their embedding/head copies, not in total
};

// The per-layer tensor list of a model, built from its config exactly like vLLM's model classes
// (llama.py, qwen2.py, qwen3.py, mixtral.py, qwen2_moe.py, qwen3_moe.py, deepseek_v2.py).
class WeightInventory
{
public:
    explicit WeightInventory(const ModelConfig &config);

    const ModelConfig &config() const { return m_config; }
    const QList<TensorGroup> &layer(int layerIndex) const;
    // The MTP block vLLM adds on the last stage when speculative decoding uses deepseek_mtp.
    const QList<TensorGroup> &mtpLayer() const { return m_mtp; }
    const TensorGroup &embedding() const { return m_embedding; }
    const TensorGroup &lmHead() const { return m_lmHead; } // outFeatures 0 when tied
    const TensorGroup &finalNorm() const { return m_finalNorm; }

    ParameterCounts counts() const { return m_counts; }

    // Bytes of the whole checkpoint as vLLM loads it (no MTP) when stored in `scheme`.
    qint64 totalBytes(const QuantScheme &scheme) const;
    // Bytes one tensor-parallel rank holds for these layers (+ embedding / lm_head + final norm).
    qint64 rankBytes(const QuantScheme &scheme, int tp, int firstLayer, int endLayer, bool embedding, bool lmHead,
                     bool mtp = false) const;
    // Extra bytes vLLM's MLA backends keep per rank: kv_b_proj dequantized into W_UK^T / W_UV for
    // quantized checkpoints (planner.md §3, "absorbed matrices").
    qint64 mlaAbsorbedBytes(const QuantScheme &scheme, int tp, int layers) const;

    static qint64 tensorBytes(const TensorGroup &tensor, const QuantScheme &scheme, int tp, int kvHeads);
    static qint64 paddedVocab(qint64 vocab) { return (vocab + 63) / 64 * 64; }

private:
    QList<TensorGroup> attention() const;
    QList<TensorGroup> denseMlp(qint64 intermediate, const QString &prefix) const;
    QList<TensorGroup> moeMlp() const;
    qint64 sum(const QList<TensorGroup> &tensors, const QuantScheme &scheme, int tp) const;

    ModelConfig m_config;
    QList<TensorGroup> m_denseLayer;
    QList<TensorGroup> m_moeLayer;
    QList<TensorGroup> m_mtp;
    TensorGroup m_embedding;
    TensorGroup m_lmHead;
    TensorGroup m_finalNorm;
    ParameterCounts m_counts;
};

} // namespace ApoloDeploy::Planner
