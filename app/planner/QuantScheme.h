// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace ApoloDeploy::Planner {

// How the linear weights of a checkpoint are stored, with the exact tensor layout of each format
// so that bytes include scales, zeros and index tensors (planner.md §3).
struct QuantScheme
{
    enum class Method {
        Unquantized,       // bf16/fp16/fp32 everywhere
        Fp8,               // e4m3 weights + fp32 scales per 128x128 block, per channel or per tensor
        Awq,               // AutoAWQ GEMM: packed int4, fp16 scales, packed zeros per group
        Gptq,              // AutoGPTQ: as AWQ plus an int32 g_idx per input channel
        CompressedTensors, // pack-quantized W4A16/W8A16: packed weights + scales (+ zeros if asymmetric)
        Int8,              // int8 weights + one fp32 scale per output channel
    };

    Method method = Method::Unquantized;
    int unquantizedBytes = 2; // element size of everything that is not quantized (2 = bf16/fp16)
    int bits = 16;
    int groupSize = 0;    // input channels per scale group, 0 = one group per row
    int fp8BlockRows = 0; // weight_block_size; 0 = per channel/tensor scales
    int fp8BlockCols = 0;
    bool zeroPoint = true; // AWQ zero_point / compressed-tensors asymmetric
    // Module name fragments kept unquantized (modules_to_not_convert / ignore / ignored_layers).
    // A "re:" prefix is a regular expression on the module path.
    QStringList unquantizedModules;

    bool isQuantized() const { return method != Method::Unquantized; }
    // What vLLM's --quantization would be ("awq_marlin" is picked at runtime): empty when none.
    QString vllmMethod() const;
    // "AWQ int4 g64", "FP8 block 128x128", "BF16".
    QString label() const;
    // Stored bytes of one out x in linear weight in this format (weight + its scales/zeros/g_idx).
    qint64 linearBytes(qint64 outFeatures, qint64 inFeatures) const;
    // True when the module (e.g. "mlp.gate", "self_attn.q_a_proj") is stored in this format.
    bool quantizes(const QString &modulePath) const;

    static QuantScheme unquantized(int elementBytes);
};

struct QuantSchemeResult
{
    std::optional<QuantScheme> scheme;
    QString error;
};

// config.json's quantization_config; torchDtype decides the width of unquantized tensors.
QuantSchemeResult parseQuantizationConfig(const QJsonObject &quantizationConfig, const QString &torchDtype);
// The --quant option: bf16, fp16, fp8, fp8-block, int8, awq[-gN], gptq[-gN], w4a16[-gN].
QuantSchemeResult parseQuantOption(const QString &text);
// Element bytes of a torch_dtype string ("bfloat16" -> 2), 0 when unknown.
int dtypeBytes(const QString &torchDtype);

} // namespace ApoloDeploy::Planner
