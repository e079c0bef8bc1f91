// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "planner/QuantScheme.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace ApoloDeploy::Planner {

// The families the planner can build a weight inventory for, named by config.json's model_type.
enum class Architecture { Llama, Mistral, Qwen2, Qwen3, Mixtral, Qwen2Moe, Qwen3Moe, DeepseekV2, DeepseekV3 };

QString architectureName(Architecture architecture);
// "llama, mistral, …" for error messages.
QString supportedArchitectureNames();

// The fields of a Hugging Face config.json that decide parameter count, weight bytes and KV
// cache size, as vLLM reads them. Optional fields keep the transformers defaults.
struct ModelConfig
{
    Architecture architecture = Architecture::Llama;
    QString modelType;         // as written ("deepseek_v3")
    QStringList architectures; // "DeepseekV3ForCausalLM"
    qint64 vocabSize = 0;
    qint64 hiddenSize = 0;
    qint64 intermediateSize = 0; // dense MLP (DeepSeek dense layers, Qwen MoE mlp_only_layers)
    int numHiddenLayers = 0;
    int numAttentionHeads = 0;
    int numKeyValueHeads = 0;
    qint64 headDim = 0; // explicit head_dim or hidden / heads
    bool tieWordEmbeddings = false;
    bool attentionBias = false; // q/k/v (and o for Llama) biases; always on for Qwen2
    bool mlpBias = false;
    qint64 maxPositionEmbeddings = 0;
    QString ropeScalingType; // "yarn", "llama3", … (empty: none)
    double ropeScalingFactor = 1.0;
    qint64 ropeOriginalMaxPosition = 0;
    QString torchDtype; // "bfloat16", "float16"

    // Mixture of experts (0 experts = dense).
    int numExperts = 0;         // num_local_experts / num_experts / n_routed_experts
    int numExpertsPerToken = 0; // top-k
    qint64 moeIntermediateSize = 0;
    int numSharedExperts = 0;                // DeepSeek n_shared_experts
    qint64 sharedExpertIntermediateSize = 0; // Qwen2-MoE shared_expert_intermediate_size
    int firstKDenseReplace = 0;              // DeepSeek: layers below are dense
    int moeLayerFreq = 1;                    // DeepSeek moe_layer_freq / Qwen decoder_sparse_step
    QList<int> mlpOnlyLayers;                // Qwen MoE: dense layers
    bool routerScoreCorrectionBias = false;  // DeepSeek-V3 noaux_tc: gate.e_score_correction_bias

    // Multi-head latent attention (DeepSeek-V2/V3); kvLoraRank 0 = not MLA.
    qint64 qLoraRank = 0; // 0: plain q_proj (V2-Lite)
    qint64 kvLoraRank = 0;
    qint64 qkNopeHeadDim = 0;
    qint64 qkRopeHeadDim = 0;
    qint64 vHeadDim = 0;
    int numNextnPredictLayers = 0; // MTP module, skipped by vLLM unless speculative decoding

    // The checkpoint's own quantization (quantization_config), bf16/fp16 from torch_dtype when absent.
    QuantScheme checkpointQuant;

    bool isMla() const { return kvLoraRank > 0; }
    bool isMoe() const { return numExperts > 0; }
    bool isMoeLayer(int layerIndex) const;
    // What vLLM derives from max_position_embeddings and rope scaling (the default --max-model-len).
    qint64 derivedMaxModelLen() const;
};

struct ModelConfigResult
{
    std::optional<ModelConfig> config;
    QString error; // "config.json: missing field \"hidden_size\"", …
};

// Pure: parses config.json bytes. Unknown model types fail with the list of supported ones.
ModelConfigResult parseModelConfig(const QByteArray &configJson);

// model.safetensors.index.json: metadata.total_size (bytes of all tensors), nullopt when absent.
std::optional<qint64> parseSafetensorsIndexTotalSize(const QByteArray &indexJson, QString *error = nullptr);

} // namespace ApoloDeploy::Planner
