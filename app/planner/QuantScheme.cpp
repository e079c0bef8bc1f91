// SPDX-License-Identifier: GPL-3.0-or-later
#include "planner/QuantScheme.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QRegularExpression>

namespace ApoloDeploy::Planner {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Planner", text);
}

qint64 ceilDiv(qint64 a, qint64 b)
{
    return (a + b - 1) / b;
}

QStringList stringList(const QJsonValue &value)
{
    QStringList list;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &item : array)
        list << item.toString();
    return list;
}

QuantSchemeResult failure(const QString &error)
{
    return {std::nullopt, error};
}

} // namespace

int dtypeBytes(const QString &torchDtype)
{
    const QString dtype = torchDtype.toLower();
    if (dtype == QLatin1String("bfloat16") || dtype == QLatin1String("float16") || dtype == QLatin1String("half") ||
        dtype == QLatin1String("bf16") || dtype == QLatin1String("fp16"))
        return 2;
    if (dtype == QLatin1String("float32") || dtype == QLatin1String("float") || dtype == QLatin1String("fp32"))
        return 4;
    return 0;
}

QuantScheme QuantScheme::unquantized(int elementBytes)
{
    QuantScheme scheme;
    scheme.unquantizedBytes = elementBytes;
    scheme.bits = elementBytes * 8;
    return scheme;
}

QString QuantScheme::vllmMethod() const
{
    switch (method) {
    case Method::Unquantized: return {};
    case Method::Fp8: return QStringLiteral("fp8");
    case Method::Awq: return QStringLiteral("awq");
    case Method::Gptq: return QStringLiteral("gptq");
    case Method::CompressedTensors: return QStringLiteral("compressed-tensors");
    case Method::Int8: return QStringLiteral("compressed-tensors");
    }
    return {};
}

QString QuantScheme::label() const
{
    const QString group = groupSize > 0 ? QStringLiteral(" g%1").arg(groupSize) : QStringLiteral(" per-channel");
    switch (method) {
    case Method::Unquantized: return unquantizedBytes == 4 ? QStringLiteral("FP32") : QStringLiteral("BF16/FP16");
    case Method::Fp8:
        return fp8BlockRows > 0 ? QStringLiteral("FP8 block %1x%2").arg(fp8BlockRows).arg(fp8BlockCols)
                                : QStringLiteral("FP8 per-channel");
    case Method::Awq: return QStringLiteral("AWQ int%1").arg(bits) + group;
    case Method::Gptq: return QStringLiteral("GPTQ int%1").arg(bits) + group;
    case Method::CompressedTensors: return QStringLiteral("W%1A16").arg(bits) + group;
    case Method::Int8: return QStringLiteral("INT8 per-channel");
    }
    return {};
}

qint64 QuantScheme::linearBytes(qint64 outFeatures, qint64 inFeatures) const
{
    const qint64 elements = outFeatures * inFeatures;
    const qint64 groups = groupSize > 0 ? ceilDiv(inFeatures, groupSize) : 1;
    switch (method) {
    case Method::Unquantized: return elements * unquantizedBytes;
    case Method::Fp8:
        if (fp8BlockRows > 0) // weight_scale_inv: one fp32 per block
            return elements + ceilDiv(outFeatures, fp8BlockRows) * ceilDiv(inFeatures, fp8BlockCols) * 4;
        return elements + outFeatures * 4;
    case Method::Awq: // qweight + qzeros (packed like the weights) + fp16 scales
        return elements * bits / 8 + groups * outFeatures * bits / 8 + groups * outFeatures * 2;
    case Method::Gptq: // AutoGPTQ/GPTQModel always serialise g_idx (int32 per input channel)
        return elements * bits / 8 + groups * outFeatures * bits / 8 + groups * outFeatures * 2 + inFeatures * 4;
    case Method::CompressedTensors: // weight_packed + weight_scale (+ zero points) + weight_shape (2 x int64)
        return elements * bits / 8 + groups * outFeatures * 2 + (zeroPoint ? groups * outFeatures * bits / 8 : 0) + 16;
    case Method::Int8: return elements + outFeatures * 4;
    }
    return elements * unquantizedBytes;
}

bool QuantScheme::quantizes(const QString &modulePath) const
{
    if (!isQuantized())
        return false;
    for (const QString &pattern : unquantizedModules) {
        if (pattern.startsWith(QLatin1String("re:"))) {
            const QRegularExpression expression(pattern.mid(3));
            if (expression.isValid() && expression.match(modulePath).hasMatch())
                return false;
        } else if (!pattern.isEmpty() && modulePath.contains(pattern)) {
            return false; // vLLM's is_layer_skipped_* match by substring
        }
    }
    return true;
}

QuantSchemeResult parseQuantizationConfig(const QJsonObject &config, const QString &torchDtype)
{
    const int elementBytes = dtypeBytes(torchDtype) > 0 ? dtypeBytes(torchDtype) : 2;
    QuantScheme scheme = QuantScheme::unquantized(elementBytes);
    const QString method = config.value(QLatin1String("quant_method")).toString().toLower();
    if (method.isEmpty())
        return failure(tr("quantization_config: missing field \"quant_method\""));

    if (method == QLatin1String("fp8")) {
        scheme.method = QuantScheme::Method::Fp8;
        scheme.bits = 8;
        const QJsonArray block = config.value(QLatin1String("weight_block_size")).toArray();
        if (block.size() == 2) {
            scheme.fp8BlockRows = block.at(0).toInt();
            scheme.fp8BlockCols = block.at(1).toInt();
            if (scheme.fp8BlockRows <= 0 || scheme.fp8BlockCols <= 0)
                return failure(tr("quantization_config: weight_block_size must be two positive integers"));
        }
        scheme.unquantizedModules = stringList(config.value(QLatin1String("ignored_layers"))) +
                                    stringList(config.value(QLatin1String("modules_to_not_convert")));
        return {scheme, {}};
    }
    if (method == QLatin1String("awq") || method == QLatin1String("awq_marlin") || method == QLatin1String("gptq") ||
        method == QLatin1String("gptq_marlin")) {
        const bool awq = method.startsWith(QLatin1String("awq"));
        scheme.method = awq ? QuantScheme::Method::Awq : QuantScheme::Method::Gptq;
        scheme.bits = config.value(awq ? QLatin1String("w_bit") : QLatin1String("bits")).toInt(0);
        if (scheme.bits == 0)
            scheme.bits = config.value(QLatin1String("bits")).toInt(4);
        const int group = config.value(awq ? QLatin1String("q_group_size") : QLatin1String("group_size")).toInt(0);
        scheme.groupSize = group != 0 ? group : config.value(QLatin1String("group_size")).toInt(128);
        if (scheme.groupSize < 0) // GPTQ -1: one group per row
            scheme.groupSize = 0;
        scheme.zeroPoint = config.value(QLatin1String("zero_point")).toBool(true);
        scheme.unquantizedModules = stringList(config.value(QLatin1String("modules_to_not_convert")));
        if (scheme.bits != 4 && scheme.bits != 8)
            return failure(
                tr("quantization_config: %1 with %2 bits is not supported (4 or 8)").arg(method).arg(scheme.bits));
        return {scheme, {}};
    }
    if (method == QLatin1String("compressed-tensors")) {
        // The first config group describes the linear weights (W4A16, W8A16, W8A8 …).
        const QJsonObject groups = config.value(QLatin1String("config_groups")).toObject();
        if (groups.isEmpty())
            return failure(tr("quantization_config: compressed-tensors without config_groups"));
        const QJsonObject weights = groups.begin().value().toObject().value(QLatin1String("weights")).toObject();
        scheme.bits = weights.value(QLatin1String("num_bits")).toInt(8);
        scheme.groupSize = weights.value(QLatin1String("group_size")).toInt(0);
        scheme.zeroPoint = !weights.value(QLatin1String("symmetric")).toBool(true);
        const QString type = weights.value(QLatin1String("type")).toString();
        if (type == QLatin1String("float") && scheme.bits == 8)
            scheme.method = QuantScheme::Method::Fp8;
        else if (scheme.bits == 8 && scheme.groupSize == 0)
            scheme.method = QuantScheme::Method::Int8;
        else
            scheme.method = QuantScheme::Method::CompressedTensors;
        scheme.unquantizedModules = stringList(config.value(QLatin1String("ignore")));
        return {scheme, {}};
    }
    if (method == QLatin1String("bitsandbytes"))
        return failure(tr("quantization_config: bitsandbytes checkpoints are not planned yet; use --quant to "
                          "describe the weights (e.g. int8)"));
    return failure(tr("quantization_config: quant_method \"%1\" is not supported (fp8, awq, gptq, "
                      "compressed-tensors); use --quant to override")
                       .arg(method));
}

QuantSchemeResult parseQuantOption(const QString &text)
{
    const QString value = text.trimmed().toLower();
    static const QRegularExpression pattern(QStringLiteral("^(awq|gptq|w4a16|w8a16)(?:-g(\\d+))?$"));
    if (value == QLatin1String("bf16") || value == QLatin1String("fp16") || value == QLatin1String("auto"))
        return {QuantScheme::unquantized(2), {}};
    if (value == QLatin1String("fp32"))
        return {QuantScheme::unquantized(4), {}};
    QuantScheme scheme = QuantScheme::unquantized(2);
    if (value == QLatin1String("fp8") || value == QLatin1String("fp8-block")) {
        scheme.method = QuantScheme::Method::Fp8;
        scheme.bits = 8;
        if (value == QLatin1String("fp8-block"))
            scheme.fp8BlockRows = scheme.fp8BlockCols = 128;
        return {scheme, {}};
    }
    if (value == QLatin1String("int8")) {
        scheme.method = QuantScheme::Method::Int8;
        scheme.bits = 8;
        return {scheme, {}};
    }
    const QRegularExpressionMatch match = pattern.match(value);
    if (!match.hasMatch())
        return failure(
            tr("unknown quantization \"%1\": use bf16, fp16, fp32, fp8, fp8-block, int8, awq[-g32|-g64|-g128], "
               "gptq[-gN] or w4a16[-gN]")
                .arg(text));
    const QString kind = match.captured(1);
    scheme.groupSize = match.captured(2).isEmpty() ? 128 : match.captured(2).toInt();
    if (scheme.groupSize <= 0)
        return failure(tr("quantization group size must be positive, e.g. awq-g64"));
    scheme.bits = kind == QLatin1String("w8a16") ? 8 : 4;
    if (kind == QLatin1String("awq"))
        scheme.method = QuantScheme::Method::Awq;
    else if (kind == QLatin1String("gptq"))
        scheme.method = QuantScheme::Method::Gptq;
    else {
        scheme.method = QuantScheme::Method::CompressedTensors;
        scheme.zeroPoint = false;
    }
    return {scheme, {}};
}

} // namespace ApoloDeploy::Planner
