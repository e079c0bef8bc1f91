// SPDX-License-Identifier: GPL-3.0-or-later
#include "planner/ModelConfig.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace ApoloDeploy::Planner {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Planner", text);
}

struct ArchitectureName
{
    Architecture architecture;
    const char *modelType;
};

constexpr ArchitectureName kArchitectures[] = {
    {Architecture::Llama, "llama"},
    {Architecture::Mistral, "mistral"},
    {Architecture::Qwen2, "qwen2"},
    {Architecture::Qwen3, "qwen3"},
    {Architecture::Mixtral, "mixtral"},
    {Architecture::Qwen2Moe, "qwen2_moe"},
    {Architecture::Qwen3Moe, "qwen3_moe"},
    {Architecture::DeepseekV2, "deepseek_v2"},
    {Architecture::DeepseekV3, "deepseek_v3"},
};

// Reads the fields of one config object and remembers the first missing or malformed one, so the
// parser reads top to bottom and reports "missing field X" instead of nesting checks.
class FieldReader
{
public:
    explicit FieldReader(const QJsonObject &object)
        : m_object(object)
    {}

    qint64 required(const char *name)
    {
        const QJsonValue value = m_object.value(QLatin1String(name));
        if (value.isUndefined() || value.isNull()) {
            fail(tr("config.json: missing field \"%1\"").arg(QLatin1String(name)));
            return 0;
        }
        return positive(name, value);
    }

    qint64 optional(const char *name, qint64 fallback)
    {
        const QJsonValue value = m_object.value(QLatin1String(name));
        if (value.isUndefined() || value.isNull())
            return fallback;
        return positive(name, value, true);
    }

    bool flag(const char *name, bool fallback) const { return m_object.value(QLatin1String(name)).toBool(fallback); }
    const QString &error() const { return m_error; }

private:
    qint64 positive(const char *name, const QJsonValue &value, bool zeroAllowed = false)
    {
        const double number = value.toDouble(-1);
        if (!value.isDouble() || number < (zeroAllowed ? 0 : 1) || number != double(qint64(number))) {
            fail(tr("config.json: field \"%1\" must be a %2 integer")
                     .arg(QLatin1String(name), zeroAllowed ? tr("non-negative") : tr("positive")));
            return 0;
        }
        return qint64(number);
    }

    void fail(const QString &message)
    {
        if (m_error.isEmpty())
            m_error = message;
    }

    QJsonObject m_object;
    QString m_error;
};

} // namespace

QString architectureName(Architecture architecture)
{
    for (const ArchitectureName &entry : kArchitectures) {
        if (entry.architecture == architecture)
            return QString::fromLatin1(entry.modelType);
    }
    return {};
}

QString supportedArchitectureNames()
{
    QStringList names;
    for (const ArchitectureName &entry : kArchitectures)
        names << QString::fromLatin1(entry.modelType);
    return names.join(QLatin1String(", "));
}

bool ModelConfig::isMoeLayer(int layerIndex) const
{
    if (numExperts <= 0)
        return false;
    if (architecture == Architecture::DeepseekV2 || architecture == Architecture::DeepseekV3)
        return layerIndex >= firstKDenseReplace && layerIndex % qMax(1, moeLayerFreq) == 0;
    if (architecture == Architecture::Qwen2Moe || architecture == Architecture::Qwen3Moe)
        return !mlpOnlyLayers.contains(layerIndex) && (layerIndex + 1) % qMax(1, moeLayerFreq) == 0;
    return true; // Mixtral: every layer
}

qint64 ModelConfig::derivedMaxModelLen() const
{
    // vLLM's _get_and_verify_max_len: YaRN scales the original window; "llama3" (and the other
    // long-context types) already report the extended length in max_position_embeddings.
    if (ropeScalingType == QLatin1String("yarn") && ropeOriginalMaxPosition > 0)
        return qint64(double(ropeOriginalMaxPosition) * ropeScalingFactor);
    if ((ropeScalingType == QLatin1String("linear") || ropeScalingType == QLatin1String("dynamic")) &&
        ropeScalingFactor > 1.0)
        return qint64(double(maxPositionEmbeddings) * ropeScalingFactor);
    return maxPositionEmbeddings;
}

ModelConfigResult parseModelConfig(const QByteArray &configJson)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(configJson, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return {
            std::nullopt,
            tr("config.json is not valid JSON: %1 at byte %2").arg(parseError.errorString()).arg(parseError.offset)};
    if (!document.isObject())
        return {std::nullopt, tr("config.json must hold a JSON object")};
    const QJsonObject object = document.object();

    ModelConfig config;
    config.modelType = object.value(QLatin1String("model_type")).toString();
    if (config.modelType.isEmpty())
        return {std::nullopt, tr("config.json: missing field \"model_type\"")};
    bool known = false;
    for (const ArchitectureName &entry : kArchitectures) {
        if (config.modelType == QLatin1String(entry.modelType)) {
            config.architecture = entry.architecture;
            known = true;
        }
    }
    if (!known)
        return {std::nullopt, tr("unsupported architecture %1: the planner supports %2")
                                  .arg(config.modelType, supportedArchitectureNames())};
    for (const QJsonValue &name : object.value(QLatin1String("architectures")).toArray())
        config.architectures << name.toString();

    FieldReader fields(object);
    const Architecture arch = config.architecture;
    const bool deepseek = arch == Architecture::DeepseekV2 || arch == Architecture::DeepseekV3;
    config.vocabSize = fields.required("vocab_size");
    config.hiddenSize = fields.required("hidden_size");
    config.intermediateSize = fields.required("intermediate_size");
    config.numHiddenLayers = int(fields.required("num_hidden_layers"));
    config.numAttentionHeads = int(fields.required("num_attention_heads"));
    config.numKeyValueHeads = int(fields.optional("num_key_value_heads", config.numAttentionHeads));
    if (config.numKeyValueHeads == 0)
        config.numKeyValueHeads = config.numAttentionHeads;
    config.maxPositionEmbeddings = fields.required("max_position_embeddings");
    config.tieWordEmbeddings = fields.flag("tie_word_embeddings", false);
    config.attentionBias =
        arch == Architecture::Qwen2 || arch == Architecture::Qwen2Moe || fields.flag("attention_bias", false);
    config.mlpBias = fields.flag("mlp_bias", false);
    config.torchDtype =
        object.value(QLatin1String("torch_dtype")).toString(object.value(QLatin1String("dtype")).toString());
    if (config.numAttentionHeads > 0)
        config.headDim = fields.optional("head_dim", config.hiddenSize / config.numAttentionHeads);
    if (config.headDim == 0 && config.numAttentionHeads > 0)
        config.headDim = config.hiddenSize / config.numAttentionHeads;

    const QJsonObject rope = object.value(QLatin1String("rope_scaling")).toObject();
    if (!rope.isEmpty()) {
        config.ropeScalingType =
            rope.value(QLatin1String("rope_type")).toString(rope.value(QLatin1String("type")).toString());
        config.ropeScalingFactor = rope.value(QLatin1String("factor")).toDouble(1.0);
        config.ropeOriginalMaxPosition = rope.value(QLatin1String("original_max_position_embeddings")).toInteger(0);
    }

    switch (arch) {
    case Architecture::Mixtral:
        config.numExperts = int(fields.required("num_local_experts"));
        config.numExpertsPerToken = int(fields.required("num_experts_per_tok"));
        config.moeIntermediateSize = config.intermediateSize;
        break;
    case Architecture::Qwen2Moe:
    case Architecture::Qwen3Moe:
        config.numExperts = int(fields.required("num_experts"));
        config.numExpertsPerToken = int(fields.required("num_experts_per_tok"));
        config.moeIntermediateSize = fields.required("moe_intermediate_size");
        config.moeLayerFreq = int(fields.optional("decoder_sparse_step", 1));
        if (arch == Architecture::Qwen2Moe)
            config.sharedExpertIntermediateSize = fields.optional("shared_expert_intermediate_size", 0);
        for (const QJsonValue &layer : object.value(QLatin1String("mlp_only_layers")).toArray())
            config.mlpOnlyLayers << layer.toInt();
        break;
    default: break;
    }
    if (deepseek) {
        config.numExperts = int(fields.optional("n_routed_experts", 0));
        if (config.numExperts > 0) {
            config.numExpertsPerToken = int(fields.required("num_experts_per_tok"));
            config.moeIntermediateSize = fields.required("moe_intermediate_size");
        }
        config.numSharedExperts = int(fields.optional("n_shared_experts", 0));
        config.firstKDenseReplace = int(fields.optional("first_k_dense_replace", 0));
        config.moeLayerFreq = int(fields.optional("moe_layer_freq", 1));
        config.qLoraRank = fields.optional("q_lora_rank", 0);
        config.kvLoraRank = fields.required("kv_lora_rank");
        config.qkNopeHeadDim = fields.required("qk_nope_head_dim");
        config.qkRopeHeadDim = fields.required("qk_rope_head_dim");
        config.vHeadDim = fields.required("v_head_dim");
        config.numNextnPredictLayers = int(fields.optional("num_nextn_predict_layers", 0));
        // V3's noaux_tc routing adds a learnt per-expert bias to the gate (gate.e_score_correction_bias).
        config.routerScoreCorrectionBias =
            object.value(QLatin1String("topk_method")).toString() == QLatin1String("noaux_tc");
    }
    if (!fields.error().isEmpty())
        return {std::nullopt, fields.error()};
    if (config.numExpertsPerToken > config.numExperts)
        return {std::nullopt, tr("config.json: num_experts_per_tok (%1) exceeds the number of experts (%2)")
                                  .arg(config.numExpertsPerToken)
                                  .arg(config.numExperts)};
    if (config.numKeyValueHeads > config.numAttentionHeads || config.numAttentionHeads % config.numKeyValueHeads != 0)
        return {std::nullopt, tr("config.json: num_attention_heads (%1) is not a multiple of num_key_value_heads (%2)")
                                  .arg(config.numAttentionHeads)
                                  .arg(config.numKeyValueHeads)};

    const int elementBytes = dtypeBytes(config.torchDtype) > 0 ? dtypeBytes(config.torchDtype) : 2;
    const QJsonObject quantization = object.value(QLatin1String("quantization_config")).toObject();
    if (quantization.isEmpty()) {
        config.checkpointQuant = QuantScheme::unquantized(elementBytes);
    } else {
        QuantSchemeResult quant = parseQuantizationConfig(quantization, config.torchDtype);
        if (!quant.scheme)
            return {std::nullopt, quant.error};
        config.checkpointQuant = *quant.scheme;
    }
    return {config, {}};
}

std::optional<qint64> parseSafetensorsIndexTotalSize(const QByteArray &indexJson, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(indexJson, &parseError);
    const QJsonValue total =
        document.object().value(QLatin1String("metadata")).toObject().value(QLatin1String("total_size"));
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        if (error)
            *error = tr("model.safetensors.index.json is not valid JSON: %1").arg(parseError.errorString());
        return std::nullopt;
    }
    // Some writers store the size as a string.
    const qint64 bytes = total.isString() ? total.toString().toLongLong() : qint64(total.toDouble(-1));
    if (bytes <= 0) {
        if (error)
            *error = tr("model.safetensors.index.json: missing field \"metadata.total_size\"");
        return std::nullopt;
    }
    return bytes;
}

} // namespace ApoloDeploy::Planner
