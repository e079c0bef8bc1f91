// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

namespace ApoloDeploy::Sandbox {

// What the vLLM emulator needs to know about a checkpoint: the config.json values that drive
// tensor-parallel validation and the KV-cache size, plus the loaded weight bytes. Values for the
// catalog models come from their real config.json (shared/specs/planner.md §2).
struct ModelFacts
{
    QString repoId;       // "cognitivecomputations/DeepSeek-R1-AWQ"
    QString architecture; // "DeepseekV3ForCausalLM"
    QString modelType;    // "deepseek_v3"
    int numLayers = 0;
    int hiddenSize = 0;
    int numHeads = 0;
    int numKvHeads = 0;
    int headDim = 0;
    int vocabSize = 0;
    int maxPositionEmbeddings = 0;
    // MLA (DeepSeek-V2/V3/R1): one latent per token per layer, replicated on every TP rank.
    int kvLoraRank = 0;
    int qkRopeHeadDim = 0;
    int numExperts = 0; // routed experts, 0 for dense
    double paramsBillions = 0;
    double loadedWeightGiB = 0; // bytes the main model loads (MTP layers excluded)
    QString checkpointDtype;    // "bfloat16", "float16"
    QString quantMethod;        // "", "fp8", "awq"
    int shardCount = 1;
    bool reasoning = false;             // emits <think>…</think> (R1 family, QwQ)
    bool templatePrefillsThink = false; // chat template ends with "<think>\n" (R1 after 2025-02-10)
    bool supportsPipelineParallel = true;
    bool needsTrustRemoteCode = false; // config.json uses auto_map (deepseek_v3 under transformers 4.48)
    bool gated = false;                // the HF repo needs an accepted licence and an HF_TOKEN
    bool estimated = false;            // not from a real config: sized from the parameter count in the name

    bool isMla() const { return kvLoraRank > 0; }
    bool isMoe() const { return numExperts > 0; }
    // KV bytes per token per layer on one GPU (vLLM get_cache_block_size / block_size).
    qint64 kvBytesPerTokenPerLayer(int tensorParallel, int dtypeBytes) const;

    // The catalog entry for a HF repo id or local path (matched on the last path component,
    // case-insensitively), or a generic dense estimate when the name carries a size ("…-13B…").
    static std::optional<ModelFacts> lookup(const QString &model);
};

} // namespace ApoloDeploy::Sandbox
