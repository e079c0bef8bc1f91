// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "planner/MemoryPlan.h"
#include "planner/WeightInventory.h"

namespace ApoloDeploy::Planner {

// KV cache bytes per token for `layers` layers on one TP rank (vLLM's page size / block size):
// MLA caches one latent (kv_lora_rank + qk_rope_head_dim) replicated on every rank; MHA/GQA
// caches K and V for max(1, kv_heads / tp) heads.
qint64 kvBytesPerTokenPerRank(const ModelConfig &config, KvCacheDtype dtype, int tp, int layers);

// Pure: vLLM's per-GPU accounting for one deployment shape.
//   budget = visible x gpu_memory_utilization
//   KV pool = budget - weights(rank) - activation peak - non-torch - CUDA graphs (0 when eager)
//   capacity = min over ranks of whole blocks x block size
MemoryPlan planMemory(const WeightInventory &inventory, const PlanRequest &request);

// The activation peak of the profile run on one rank (estimate, see OverheadModel).
qint64 activationPeakBytes(const ModelConfig &config, const PlanRequest &request);

} // namespace ApoloDeploy::Planner
