// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/vllm/VllmOptionTable.h"

namespace ApoloDeploy::Sandbox {

namespace {

using Kind = VllmOption::Kind;

VllmOption opt(const char *flags, Kind kind, const char *defaultRepr, const char *choices = nullptr)
{
    VllmOption o;
    o.flags = QString::fromLatin1(flags).split(QLatin1Char(' '));
    o.dest = o.flags.first().mid(2).replace(QLatin1Char('-'), QLatin1Char('_'));
    o.kind = kind;
    o.defaultRepr = QString::fromLatin1(defaultRepr);
    if (choices)
        o.choices = QString::fromLatin1(choices).split(QLatin1Char(' '));
    return o;
}

} // namespace

const QList<VllmOption> &vllmServerOptions()
{
    static const QList<VllmOption> options = {
        // Frontend (vllm/entrypoints/openai/cli_args.py)
        opt("--host", Kind::String, "None"),
        opt("--port", Kind::Int, "8000"),
        opt("--uvicorn-log-level", Kind::Choice, "'info'", "debug info warning error critical trace"),
        opt("--allow-credentials", Kind::StoreTrue, "False"),
        opt("--allowed-origins", Kind::String, "['*']"),
        opt("--allowed-methods", Kind::String, "['*']"),
        opt("--allowed-headers", Kind::String, "['*']"),
        opt("--api-key", Kind::String, "None"),
        opt("--lora-modules", Kind::StringList, "None"),
        opt("--prompt-adapters", Kind::StringList, "None"),
        opt("--chat-template", Kind::String, "None"),
        opt("--chat-template-content-format", Kind::Choice, "'auto'", "auto string openai"),
        opt("--response-role", Kind::String, "'assistant'"),
        opt("--ssl-keyfile", Kind::String, "None"),
        opt("--ssl-certfile", Kind::String, "None"),
        opt("--ssl-ca-certs", Kind::String, "None"),
        opt("--ssl-cert-reqs", Kind::Int, "0"),
        opt("--root-path", Kind::String, "None"),
        opt("--middleware", Kind::String, "[]"),
        opt("--return-tokens-as-token-ids", Kind::StoreTrue, "False"),
        opt("--disable-frontend-multiprocessing", Kind::StoreTrue, "False"),
        opt("--enable-request-id-headers", Kind::StoreTrue, "False"),
        opt("--enable-auto-tool-choice", Kind::StoreTrue, "False"),
        opt("--enable-reasoning", Kind::StoreTrue, "False"),
        opt("--reasoning-parser", Kind::Choice, "None", "deepseek_r1"),
        opt("--tool-call-parser", Kind::String, "None"),
        opt("--tool-parser-plugin", Kind::String, "''"),
        // Engine (vllm/engine/arg_utils.py)
        opt("--model", Kind::String, "'facebook/opt-125m'"),
        opt("--task", Kind::Choice, "'auto'", "auto generate embedding embed classify score reward"),
        opt("--tokenizer", Kind::String, "None"),
        opt("--skip-tokenizer-init", Kind::StoreTrue, "False"),
        opt("--revision", Kind::String, "None"),
        opt("--code-revision", Kind::String, "None"),
        opt("--tokenizer-revision", Kind::String, "None"),
        opt("--tokenizer-mode", Kind::Choice, "'auto'", "auto slow mistral custom"),
        opt("--trust-remote-code", Kind::StoreTrue, "False"),
        opt("--allowed-local-media-path", Kind::String, "None"),
        opt("--download-dir", Kind::String, "None"),
        opt("--load-format", Kind::Choice, "'auto'",
            "auto pt safetensors npcache dummy tensorizer sharded_state gguf bitsandbytes mistral runai_streamer"),
        opt("--config-format", Kind::Choice, "<ConfigFormat.AUTO: 'auto'>", "auto hf mistral"),
        opt("--dtype", Kind::Choice, "'auto'", "auto half float16 bfloat16 float float32"),
        opt("--kv-cache-dtype", Kind::Choice, "'auto'", "auto fp8 fp8_e5m2 fp8_e4m3"),
        opt("--max-model-len", Kind::Int, "None"),
        opt("--guided-decoding-backend", Kind::String, "'xgrammar'"),
        opt("--logits-processor-pattern", Kind::String, "None"),
        opt("--model-impl", Kind::Choice, "'auto'", "auto vllm transformers"),
        opt("--distributed-executor-backend", Kind::Choice, "None", "ray mp uni external_launcher"),
        opt("--worker-use-ray", Kind::StoreTrue, "False"),
        opt("--pipeline-parallel-size -pp", Kind::Int, "1"),
        opt("--tensor-parallel-size -tp", Kind::Int, "1"),
        opt("--max-parallel-loading-workers", Kind::Int, "None"),
        opt("--ray-workers-use-nsight", Kind::StoreTrue, "False"),
        opt("--block-size", Kind::Choice, "None", "8 16 32 64 128"),
        opt("--enable-prefix-caching --no-enable-prefix-caching", Kind::BooleanOptional, "None"),
        opt("--disable-sliding-window", Kind::StoreTrue, "False"),
        opt("--use-v2-block-manager", Kind::StoreTrue, "True"),
        opt("--num-lookahead-slots", Kind::Int, "0"),
        opt("--seed", Kind::Int, "0"),
        opt("--swap-space", Kind::Float, "4"),
        opt("--cpu-offload-gb", Kind::Float, "0"),
        opt("--gpu-memory-utilization", Kind::Float, "0.9"),
        opt("--num-gpu-blocks-override", Kind::Int, "None"),
        opt("--max-num-batched-tokens", Kind::Int, "None"),
        opt("--max-num-seqs", Kind::Int, "None"),
        opt("--max-logprobs", Kind::Int, "20"),
        opt("--disable-log-stats", Kind::StoreTrue, "False"),
        opt("--quantization -q", Kind::Choice, "None",
            "aqlm awq deepspeedfp tpu_int8 fp8 ptpc_fp8 fbgemm_fp8 modelopt marlin gguf gptq_marlin_24 gptq_marlin "
            "awq_marlin gptq compressed-tensors bitsandbytes qqq hqq experts_int8 neuron_quant ipex quark moe_wna16 "
            "None"),
        opt("--rope-scaling", Kind::String, "None"),
        opt("--rope-theta", Kind::Float, "None"),
        opt("--hf-overrides", Kind::String, "None"),
        opt("--enforce-eager", Kind::StoreTrue, "False"),
        opt("--max-seq-len-to-capture", Kind::Int, "8192"),
        opt("--disable-custom-all-reduce", Kind::StoreTrue, "False"),
        opt("--tokenizer-pool-size", Kind::Int, "0"),
        opt("--tokenizer-pool-type", Kind::String, "'ray'"),
        opt("--tokenizer-pool-extra-config", Kind::String, "None"),
        opt("--limit-mm-per-prompt", Kind::String, "None"),
        opt("--mm-processor-kwargs", Kind::String, "None"),
        opt("--disable-mm-preprocessor-cache", Kind::StoreTrue, "False"),
        opt("--enable-lora", Kind::StoreTrue, "False"),
        opt("--enable-lora-bias", Kind::StoreTrue, "False"),
        opt("--max-loras", Kind::Int, "1"),
        opt("--max-lora-rank", Kind::Int, "16"),
        opt("--lora-extra-vocab-size", Kind::Int, "256"),
        opt("--lora-dtype", Kind::Choice, "'auto'", "auto float16 bfloat16"),
        opt("--long-lora-scaling-factors", Kind::String, "None"),
        opt("--max-cpu-loras", Kind::Int, "None"),
        opt("--fully-sharded-loras", Kind::StoreTrue, "False"),
        opt("--enable-prompt-adapter", Kind::StoreTrue, "False"),
        opt("--max-prompt-adapters", Kind::Int, "1"),
        opt("--max-prompt-adapter-token", Kind::Int, "0"),
        opt("--device", Kind::Choice, "'auto'", "auto cuda neuron cpu openvino tpu xpu hpu"),
        opt("--num-scheduler-steps", Kind::Int, "1"),
        opt("--multi-step-stream-outputs", Kind::OptionalBool, "True"),
        opt("--scheduler-delay-factor", Kind::Float, "0.0"),
        opt("--enable-chunked-prefill", Kind::OptionalBool, "None"),
        opt("--speculative-model", Kind::String, "None"),
        opt("--speculative-model-quantization", Kind::String, "None"),
        opt("--num-speculative-tokens", Kind::Int, "None"),
        opt("--speculative-disable-mqa-scorer", Kind::StoreTrue, "False"),
        opt("--speculative-draft-tensor-parallel-size -spec-draft-tp", Kind::Int, "None"),
        opt("--speculative-max-model-len", Kind::Int, "None"),
        opt("--speculative-disable-by-batch-size", Kind::Int, "None"),
        opt("--ngram-prompt-lookup-max", Kind::Int, "None"),
        opt("--ngram-prompt-lookup-min", Kind::Int, "None"),
        opt("--spec-decoding-acceptance-method", Kind::Choice, "'rejection_sampler'",
            "rejection_sampler typical_acceptance_sampler"),
        opt("--typical-acceptance-sampler-posterior-threshold", Kind::Float, "None"),
        opt("--typical-acceptance-sampler-posterior-alpha", Kind::Float, "None"),
        opt("--disable-logprobs-during-spec-decoding", Kind::OptionalBool, "None"),
        opt("--model-loader-extra-config", Kind::String, "None"),
        opt("--ignore-patterns", Kind::String, "[]"),
        opt("--preemption-mode", Kind::String, "None"),
        opt("--served-model-name", Kind::StringList, "None"),
        opt("--qlora-adapter-name-or-path", Kind::String, "None"),
        opt("--otlp-traces-endpoint", Kind::String, "None"),
        opt("--collect-detailed-traces", Kind::String, "None"),
        opt("--disable-async-output-proc", Kind::StoreTrue, "False"),
        opt("--scheduling-policy", Kind::Choice, "'fcfs'", "fcfs priority"),
        opt("--override-neuron-config", Kind::String, "None"),
        opt("--override-pooler-config", Kind::String, "None"),
        opt("--compilation-config -O", Kind::String, "None"),
        opt("--kv-transfer-config", Kind::String, "None"),
        opt("--worker-cls", Kind::String, "'auto'"),
        opt("--generation-config", Kind::String, "None"),
        opt("--override-generation-config", Kind::String, "None"),
        opt("--enable-sleep-mode", Kind::StoreTrue, "False"),
        opt("--calculate-kv-scales", Kind::StoreTrue, "False"),
        opt("--disable-log-requests", Kind::StoreTrue, "False"),
        opt("--max-log-len", Kind::Int, "None"),
        opt("--disable-fastapi-docs", Kind::StoreTrue, "False"),
        opt("--enable-prompt-tokens-details", Kind::StoreTrue, "False"),
    };
    return options;
}

} // namespace ApoloDeploy::Sandbox
