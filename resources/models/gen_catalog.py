import json, copy
# Generates resources/models/catalog.json from planner.md section 2 (values typed from the spec tables).
def llama(vocab, hidden, inter, layers, heads, kv, maxpos, extra=None):
    c = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": vocab, "hidden_size": hidden,
         "intermediate_size": inter, "num_hidden_layers": layers, "num_attention_heads": heads,
         "num_key_value_heads": kv, "head_dim": hidden // heads, "tie_word_embeddings": False, "torch_dtype": "bfloat16",
         "max_position_embeddings": maxpos, "hidden_act": "silu", "attention_bias": False, "mlp_bias": False}
    c.update(extra or {})
    return c
def qwen2(vocab, hidden, inter, layers, heads, kv, maxpos, extra=None):
    c = {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "vocab_size": vocab, "hidden_size": hidden,
         "intermediate_size": inter, "num_hidden_layers": layers, "num_attention_heads": heads,
         "num_key_value_heads": kv, "tie_word_embeddings": False, "torch_dtype": "bfloat16",
         "max_position_embeddings": maxpos, "hidden_act": "silu"}
    c.update(extra or {})
    return c
ds = {"architectures": ["DeepseekV3ForCausalLM"], "model_type": "deepseek_v3", "vocab_size": 129280, "hidden_size": 7168,
      "intermediate_size": 18432, "moe_intermediate_size": 2048, "num_hidden_layers": 61, "first_k_dense_replace": 3,
      "moe_layer_freq": 1, "n_routed_experts": 256, "n_shared_experts": 1, "num_experts_per_tok": 8, "n_group": 8,
      "topk_group": 4, "routed_scaling_factor": 2.5, "scoring_func": "sigmoid", "topk_method": "noaux_tc",
      "norm_topk_prob": True, "num_attention_heads": 128, "num_key_value_heads": 128, "q_lora_rank": 1536,
      "kv_lora_rank": 512, "qk_nope_head_dim": 128, "qk_rope_head_dim": 64, "v_head_dim": 128,
      "max_position_embeddings": 163840, "rope_theta": 10000,
      "rope_scaling": {"type": "yarn", "factor": 40, "original_max_position_embeddings": 4096, "mscale": 1.0,
                       "mscale_all_dim": 1.0, "beta_fast": 32, "beta_slow": 1},
      "rms_norm_eps": 1e-6, "num_nextn_predict_layers": 1, "tie_word_embeddings": False, "torch_dtype": "bfloat16",
      "hidden_act": "silu", "bos_token_id": 0, "eos_token_id": 1,
      "quantization_config": {"quant_method": "fp8", "fmt": "e4m3", "weight_block_size": [128, 128],
                              "activation_scheme": "dynamic"}}
ds_awq = copy.deepcopy(ds)
ds_awq["torch_dtype"] = "float16"
ds_awq["quantization_config"] = {"quant_method": "awq", "bits": 4, "group_size": 64, "zero_point": True, "version": "gemm"}
ds_note = "planner.md 2.1 (DeepSeek-V3 config_671B.json + consistent third-party copies of the HF config.json)"

models = [
 {"id": "deepseek-ai/DeepSeek-R1", "name": "DeepSeek-R1 (671B, FP8)", "config": ds,
  "published": {"params_total": 671e9, "params_active": 37e9, "source": "deepseek-ai/DeepSeek-R1 README: 671B total / 37B activated"},
  "computed": {"params_total": 671.03e9, "params_active": 37.45e9, "mtp_params": 11.61e9, "source": "planner.md 2.1 / 4.1 (active without router gates)"},
  "disk": {"bytes": None, "estimate": "~688-689 GB computed (684.5B tensors incl. MTP layer 61, FP8 + 128x128 fp32 block scales), 163 shards", "source": "planner.md 3"},
  "notes": [ds_note, "The checkpoint stores the MTP module as layer 61; vLLM skips it unless speculative decoding uses deepseek_mtp."]},
 {"id": "deepseek-ai/DeepSeek-V3", "name": "DeepSeek-V3 (671B, FP8)", "config": ds,
  "published": {"params_total": 671e9, "params_active": 37e9, "source": "DeepSeek-V3 README_WEIGHTS.md: 671B main, 36.7B activated"},
  "computed": {"params_total": 671.03e9, "params_active": 37.45e9, "mtp_params": 11.61e9, "source": "planner.md 2.1 / 4.1"},
  "disk": {"bytes": None, "estimate": "~688-689 GB computed", "source": "planner.md 3"},
  "notes": [ds_note]},
 {"id": "cognitivecomputations/DeepSeek-R1-AWQ", "name": "DeepSeek-R1 AWQ (671B, int4 g64)", "config": ds_awq,
  "published": {"params_total": 671e9, "params_active": 37e9, "source": "same architecture as deepseek-ai/DeepSeek-R1"},
  "computed": {"params_total": 671.03e9, "params_active": 37.45e9, "source": "planner.md 2.1 / 4.1"},
  "disk": {"bytes": None, "estimate": "~365 GB (~340 GiB) computed, UNCONFIRMED; 74 safetensors shards", "source": "planner.md 3"},
  "notes": [ds_note,
            "quantization_config is not quoted in planner.md: AWQ GEMM, 4 bits, group size 64 (planner.md 3: 'group size 64 assumed', AutoAWQ#688), zero_point true, torch_dtype float16 - UNCONFIRMED.",
            "Embedding, lm_head, router gates and norms stay fp16 (planner.md 3, UNCONFIRMED); the MTP layer is assumed dropped from the checkpoint."],
  "unconfirmed_fields": ["quantization_config", "torch_dtype"]},
 {"id": "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B", "name": "DeepSeek-R1-Distill-Qwen-1.5B",
  "config": qwen2(151936, 1536, 8960, 28, 12, 2, 131072, {"rope_theta": 10000}),
  "published": {"params_total": 1.78e9, "source": "planner.md 2.2 (published / computed 1.78B)"}, "notes": ["planner.md 2.2; base Qwen2.5-Math-1.5B, untied lm_head"]},
 {"id": "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", "name": "DeepSeek-R1-Distill-Qwen-7B",
  "config": qwen2(152064, 3584, 18944, 28, 28, 4, 131072),
  "published": {"params_total": 7.62e9, "source": "planner.md 2.2 (7.6B published / 7.62B computed)"},
  "notes": ["planner.md 2.2; max_position_embeddings 131072 and rope_theta are UNCONFIRMED there (rope_theta omitted)"],
  "unconfirmed_fields": ["max_position_embeddings"]},
 {"id": "deepseek-ai/DeepSeek-R1-Distill-Qwen-14B", "name": "DeepSeek-R1-Distill-Qwen-14B",
  "config": qwen2(152064, 5120, 13824, 48, 40, 8, 131072),
  "published": {"params_total": 14.8e9, "source": "Hugging Face model card size (14.8B); not in planner.md"},
  "notes": ["NOT in planner.md: base Qwen2.5-14B per the DeepSeek-R1 README; dimensions (hidden 5120, intermediate 13824, 48 layers, 40 heads, 8 KV heads, vocab 152064, 131072 positions) are the Qwen2.5-14B values, not verified against a primary copy here - UNCONFIRMED. Load the real config.json (HF id) to be exact."],
  "unconfirmed_fields": ["vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "max_position_embeddings"]},
 {"id": "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B", "name": "DeepSeek-R1-Distill-Qwen-32B",
  "config": qwen2(152064, 5120, 27648, 64, 40, 8, 131072),
  "published": {"params_total": 32.76e9, "source": "planner.md 2.2 (32.8B published / 32.76B computed)"}, "notes": ["planner.md 2.2"]},
 {"id": "deepseek-ai/DeepSeek-R1-Distill-Llama-8B", "name": "DeepSeek-R1-Distill-Llama-8B",
  "config": llama(128256, 4096, 14336, 32, 32, 8, 131072),
  "published": {"params_total": 8.03e9, "source": "planner.md 2.2"}, "notes": ["planner.md 2.2; base Llama-3.1-8B"]},
 {"id": "deepseek-ai/DeepSeek-R1-Distill-Llama-70B", "name": "DeepSeek-R1-Distill-Llama-70B",
  "config": llama(128256, 8192, 28672, 80, 64, 8, 131072),
  "published": {"params_total": 70.55e9, "source": "planner.md 2.2 (70.6B published / 70.55B computed)"}, "notes": ["planner.md 2.2; base Llama-3.3-70B-Instruct"]},
 {"id": "meta-llama/Llama-3.1-8B", "name": "Llama 3.1 8B",
  "config": llama(128256, 4096, 14336, 32, 32, 8, 131072, {"rope_theta": 500000,
        "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "original_max_position_embeddings": 8192}}),
  "published": {"params_total": 8.03e9, "source": "planner.md 2.2"}, "notes": ["planner.md 2.2 (llama-models sku_list.py, LLM-Prof copy of the HF config)"]},
 {"id": "meta-llama/Llama-3.1-70B", "name": "Llama 3.1 70B",
  "config": llama(128256, 8192, 28672, 80, 64, 8, 131072),
  "published": {"params_total": 70.55e9, "source": "planner.md 2.2 / 4.1 check"}, "notes": ["planner.md 2.2; rope_scaling not quoted there (does not change the derived length for llama3 scaling)"]},
 {"id": "meta-llama/Llama-3.1-405B", "name": "Llama 3.1 405B",
  "config": llama(128256, 16384, 53248, 126, 128, 8, 131072),
  "published": {"params_total": 405.85e9, "source": "planner.md 2.2 (405B / 405.85B computed)"}, "notes": ["planner.md 2.2"]},
 {"id": "Qwen/Qwen2.5-72B-Instruct", "name": "Qwen2.5 72B Instruct",
  "config": qwen2(152064, 8192, 29568, 80, 64, 8, 32768, {"rope_theta": 1000000, "rms_norm_eps": 1e-6, "sliding_window": 131072, "max_window_layers": 70}),
  "published": {"params_total": 72.71e9, "source": "planner.md 2.2 (72.7B / 72.71B computed)"},
  "notes": ["planner.md 2.2 (Instruct: max_position_embeddings 32768; the base model's 131072 is UNCONFIRMED)"]},
 {"id": "mistralai/Mixtral-8x7B-v0.1", "name": "Mixtral 8x7B",
  "config": {"architectures": ["MixtralForCausalLM"], "model_type": "mixtral", "vocab_size": 32000, "hidden_size": 4096,
             "intermediate_size": 14336, "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 8,
             "num_local_experts": 8, "num_experts_per_tok": 2, "tie_word_embeddings": False, "max_position_embeddings": 32768,
             "rope_theta": 1000000.0, "rms_norm_eps": 1e-5, "torch_dtype": "bfloat16", "hidden_act": "silu"},
  "published": {"params_total": 46.70e9, "params_active": 12.88e9, "source": "planner.md 2.3 (46.7B / 12.9B; computed 46.70 / 12.88)"},
  "notes": ["planner.md 2.3; sliding_window omitted (null or 4096 in copies, unused)"]},
 {"id": "Qwen/Qwen3-30B-A3B", "name": "Qwen3 30B-A3B",
  "config": {"architectures": ["Qwen3MoeForCausalLM"], "model_type": "qwen3_moe", "vocab_size": 151936, "hidden_size": 2048,
             "intermediate_size": 6144, "moe_intermediate_size": 768, "num_hidden_layers": 48, "num_attention_heads": 32,
             "num_key_value_heads": 4, "head_dim": 128, "num_experts": 128, "num_experts_per_tok": 8, "decoder_sparse_step": 1,
             "mlp_only_layers": [], "tie_word_embeddings": False, "max_position_embeddings": 40960, "rope_theta": 1000000.0,
             "torch_dtype": "bfloat16", "hidden_act": "silu"},
  "published": {"params_total": 30.53e9, "params_active": 3.34e9, "source": "planner.md 2.3 (30.5B / 3.3B; computed 30.53 / 3.34)"},
  "notes": ["planner.md 2.3 (LLM-Prof copy of the full config)"]},
 {"id": "Qwen/Qwen3-235B-A22B", "name": "Qwen3 235B-A22B",
  "config": {"architectures": ["Qwen3MoeForCausalLM"], "model_type": "qwen3_moe", "vocab_size": 151936, "hidden_size": 4096,
             "intermediate_size": 12288, "moe_intermediate_size": 1536, "num_hidden_layers": 94, "num_attention_heads": 64,
             "num_key_value_heads": 4, "head_dim": 128, "num_experts": 128, "num_experts_per_tok": 8, "decoder_sparse_step": 1,
             "mlp_only_layers": [], "tie_word_embeddings": False, "max_position_embeddings": 40960, "rope_theta": 1000000.0,
             "torch_dtype": "bfloat16", "hidden_act": "silu"},
  "published": {"params_total": 235.09e9, "params_active": 22.1e9, "source": "planner.md 2.3 (235B / 22B; computed 235.09 / 22.1)"},
  "notes": ["planner.md 2.3 (slime launch script dims); max_position_embeddings 40960 is UNCONFIRMED there"],
  "unconfirmed_fields": ["max_position_embeddings"]},
]
computed = {"deepseek-ai/DeepSeek-R1": 673150611808, "deepseek-ai/DeepSeek-V3": 673150611808,
 "cognitivecomputations/DeepSeek-R1-AWQ": 364589829632, "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B": 3554176000,
 "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B": 15231233024, "deepseek-ai/DeepSeek-R1-Distill-Qwen-14B": 29540067328,
 "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B": 65527752704, "deepseek-ai/DeepSeek-R1-Distill-Llama-8B": 16060522496,
 "deepseek-ai/DeepSeek-R1-Distill-Llama-70B": 141107412992, "meta-llama/Llama-3.1-8B": 16060522496,
 "meta-llama/Llama-3.1-70B": 141107412992, "meta-llama/Llama-3.1-405B": 811706777600,
 "Qwen/Qwen2.5-72B-Instruct": 145412407296, "mistralai/Mixtral-8x7B-v0.1": 93405585408,
 "Qwen/Qwen3-30B-A3B": 61064245248, "Qwen/Qwen3-235B-A22B": 470187269120}
for m in models:
    d = m.setdefault("disk", {"bytes": None})
    d["computed_bytes"] = computed[m["id"]]
    d["computed_note"] = "computed by the planner's weight inventory in the checkpoint's format, for what vLLM loads (MTP layer and its embedding/head copies excluded); not a measured file size"
out = {"about": "Bundled model catalog. 'config' holds config.json fields exactly as planner.md section 2 quotes them (fed to the same parser as a downloaded config.json). 'unconfirmed_fields' lists values planner.md marks UNCONFIRMED or does not quote. Counts in 'published' / 'computed' are what the tests compare against.", "models": models}
print(json.dumps(out, indent=1))
