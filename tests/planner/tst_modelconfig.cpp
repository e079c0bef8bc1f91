// SPDX-License-Identifier: GPL-3.0-or-later
// config.json / quantization_config / safetensors index parsing: values and clear errors.

#include "planner/ModelConfig.h"

#include <QJsonArray>
#include <QTest>

using namespace ApoloDeploy::Planner;

class TestModelConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deepseekV2Lite_withoutQLoraRank_usesPlainQProj()
    {
        // DeepSeek-V2-Lite style: q_lora_rank null, MLA latent, first dense layer, shared experts.
        const QByteArray json = R"({"model_type": "deepseek_v2", "vocab_size": 102400, "hidden_size": 2048,
            "intermediate_size": 10944, "moe_intermediate_size": 1408, "num_hidden_layers": 27,
            "num_attention_heads": 16, "num_key_value_heads": 16, "n_routed_experts": 64, "n_shared_experts": 2,
            "num_experts_per_tok": 6, "first_k_dense_replace": 1, "q_lora_rank": null, "kv_lora_rank": 512,
            "qk_nope_head_dim": 128, "qk_rope_head_dim": 64, "v_head_dim": 128, "max_position_embeddings": 163840,
            "topk_method": "greedy", "torch_dtype": "bfloat16"})";
        const ModelConfigResult result = parseModelConfig(json);
        QVERIFY2(result.config, qPrintable(result.error));
        QCOMPARE(result.config->qLoraRank, 0);
        QVERIFY(result.config->isMla());
        QVERIFY(!result.config->routerScoreCorrectionBias);
        QVERIFY(!result.config->isMoeLayer(0));
        QVERIFY(result.config->isMoeLayer(1));
        QVERIFY(!result.config->checkpointQuant.isQuantized());
    }

    void deepseekV3_derivedLengthUsesYarn()
    {
        const QByteArray json = R"({"model_type": "deepseek_v3", "vocab_size": 129280, "hidden_size": 7168,
            "intermediate_size": 18432, "moe_intermediate_size": 2048, "num_hidden_layers": 61,
            "num_attention_heads": 128, "n_routed_experts": 256, "num_experts_per_tok": 8, "q_lora_rank": 1536,
            "kv_lora_rank": 512, "qk_nope_head_dim": 128, "qk_rope_head_dim": 64, "v_head_dim": 128,
            "max_position_embeddings": 163840, "topk_method": "noaux_tc", "num_nextn_predict_layers": 1,
            "rope_scaling": {"type": "yarn", "factor": 40, "original_max_position_embeddings": 4096},
            "quantization_config": {"quant_method": "fp8", "weight_block_size": [128, 128]}})";
        const ModelConfigResult result = parseModelConfig(json);
        QVERIFY2(result.config, qPrintable(result.error));
        QCOMPARE(result.config->derivedMaxModelLen(), 163840);
        QCOMPARE(result.config->checkpointQuant.method, QuantScheme::Method::Fp8);
        QCOMPARE(result.config->checkpointQuant.fp8BlockRows, 128);
        QVERIFY(result.config->routerScoreCorrectionBias);
        QCOMPARE(result.config->numNextnPredictLayers, 1);
    }

    void errors_nameTheMissingField()
    {
        const ModelConfigResult result = parseModelConfig(R"({"model_type": "llama", "vocab_size": 32000})");
        QVERIFY(!result.config);
        QCOMPARE(result.error, QStringLiteral("config.json: missing field \"hidden_size\""));
        const ModelConfigResult mla = parseModelConfig(R"({"model_type": "deepseek_v3", "vocab_size": 1,
            "hidden_size": 8, "intermediate_size": 8, "num_hidden_layers": 1, "num_attention_heads": 1,
            "max_position_embeddings": 8})");
        QCOMPARE(mla.error, QStringLiteral("config.json: missing field \"kv_lora_rank\""));
    }

    void errors_unsupportedArchitectureListsSupportedOnes()
    {
        const ModelConfigResult result = parseModelConfig(R"({"model_type": "gpt_oss"})");
        QVERIFY(!result.config);
        QVERIFY(result.error.startsWith(QLatin1String("unsupported architecture gpt_oss")));
        for (const char *name :
             {"llama", "mistral", "qwen2", "qwen3", "mixtral", "qwen2_moe", "qwen3_moe", "deepseek_v2", "deepseek_v3"})
            QVERIFY2(result.error.contains(QLatin1String(name)), name);
    }

    void errors_badJsonAndBadValues()
    {
        QVERIFY(parseModelConfig("{not json").error.contains(QLatin1String("not valid JSON")));
        QVERIFY(parseModelConfig("[]").error.contains(QLatin1String("JSON object")));
        const ModelConfigResult negative =
            parseModelConfig(R"({"model_type": "llama", "vocab_size": -3, "hidden_size": 8,
            "intermediate_size": 8, "num_hidden_layers": 1, "num_attention_heads": 1, "max_position_embeddings": 8})");
        QCOMPARE(negative.error, QStringLiteral("config.json: field \"vocab_size\" must be a positive integer"));
        const ModelConfigResult heads = parseModelConfig(R"({"model_type": "llama", "vocab_size": 3, "hidden_size": 8,
            "intermediate_size": 8, "num_hidden_layers": 1, "num_attention_heads": 4, "num_key_value_heads": 3,
            "max_position_embeddings": 8})");
        QVERIFY(heads.error.contains(QLatin1String("num_key_value_heads (3)")));
    }

    void quantizationConfig_awqGptqCompressedTensors()
    {
        const QuantSchemeResult awq = parseQuantizationConfig(
            QJsonObject{{QStringLiteral("quant_method"), QStringLiteral("awq")},
                        {QStringLiteral("bits"), 4},
                        {QStringLiteral("group_size"), 64},
                        {QStringLiteral("zero_point"), true},
                        {QStringLiteral("modules_to_not_convert"), QJsonArray{QStringLiteral("gate")}}},
            QStringLiteral("float16"));
        QVERIFY(awq.scheme);
        QCOMPARE(awq.scheme->groupSize, 64);
        QVERIFY(!awq.scheme->quantizes(QStringLiteral("block_sparse_moe.gate")));
        // AutoAWQ GEMM layout: 4 bits + (16-bit scale + 4-bit zero) per 64 inputs = 4.3125 bits/weight.
        QCOMPARE(awq.scheme->linearBytes(2048, 7168), 2048LL * 7168 * 43125 / 80000);
        const QuantSchemeResult gptq =
            parseQuantizationConfig(QJsonObject{{QStringLiteral("quant_method"), QStringLiteral("gptq")},
                                                {QStringLiteral("bits"), 4},
                                                {QStringLiteral("group_size"), -1}},
                                    QStringLiteral("float16"));
        QVERIFY(gptq.scheme);
        QCOMPARE(gptq.scheme->groupSize, 0);
        const QuantSchemeResult compressed = parseQuantizationConfig(
            QJsonObject{
                {QStringLiteral("quant_method"), QStringLiteral("compressed-tensors")},
                {QStringLiteral("config_groups"),
                 QJsonObject{{QStringLiteral("group_0"),
                              QJsonObject{{QStringLiteral("weights"),
                                           QJsonObject{{QStringLiteral("num_bits"), 4},
                                                       {QStringLiteral("group_size"), 128},
                                                       {QStringLiteral("symmetric"), true},
                                                       {QStringLiteral("type"), QStringLiteral("int")}}}}}}},
                {QStringLiteral("ignore"), QJsonArray{QStringLiteral("lm_head"), QStringLiteral("re:.*mlp.gate$")}}},
            QStringLiteral("bfloat16"));
        QVERIFY(compressed.scheme);
        QCOMPARE(compressed.scheme->method, QuantScheme::Method::CompressedTensors);
        QVERIFY(!compressed.scheme->quantizes(QStringLiteral("mlp.gate")));
        QVERIFY(compressed.scheme->quantizes(QStringLiteral("mlp.experts.gate_proj")));
        QVERIFY(parseQuantizationConfig(QJsonObject{{QStringLiteral("quant_method"), QStringLiteral("hqq")}}, {})
                    .error.contains(QLatin1String("not supported")));
    }

    void fp8BlockBytes_includeOneFloatPerBlock()
    {
        QuantScheme fp8 = *parseQuantOption(QStringLiteral("fp8-block")).scheme;
        QCOMPARE(fp8.linearBytes(2048, 7168), 2048LL * 7168 + 16LL * 56 * 4);
        QVERIFY(!parseQuantOption(QStringLiteral("int3")).scheme);
        QCOMPARE(parseQuantOption(QStringLiteral("awq-g32")).scheme->groupSize, 32);
    }

    void safetensorsIndex_totalSize()
    {
        QCOMPARE(parseSafetensorsIndexTotalSize(R"({"metadata": {"total_size": 688586727753}, "weight_map": {}})"),
                 std::optional<qint64>(688586727753));
        QString error;
        QVERIFY(!parseSafetensorsIndexTotalSize(R"({"weight_map": {}})", &error));
        QVERIFY(error.contains(QLatin1String("total_size")));
    }
};

QTEST_GUILESS_MAIN(TestModelConfig)
#include "tst_modelconfig.moc"
