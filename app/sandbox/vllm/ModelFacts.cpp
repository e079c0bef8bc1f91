// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/vllm/ModelFacts.h"

#include <QList>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace ApoloDeploy::Sandbox {

namespace {

constexpr double kBytesPerGiB = 1024.0 * 1024.0 * 1024.0;

double bf16GiB(double paramsBillions)
{
    return paramsBillions * 1e9 * 2.0 / kBytesPerGiB;
}

ModelFacts dense(const char *repo, const char *arch, const char *type, int layers, int hidden, int heads, int kvHeads,
                 int vocab, int maxPos, double params, int shards)
{
    ModelFacts f;
    f.repoId = QString::fromLatin1(repo);
    f.architecture = QString::fromLatin1(arch);
    f.modelType = QString::fromLatin1(type);
    f.numLayers = layers;
    f.hiddenSize = hidden;
    f.numHeads = heads;
    f.numKvHeads = kvHeads;
    f.headDim = 128;
    f.vocabSize = vocab;
    f.maxPositionEmbeddings = maxPos;
    f.paramsBillions = params;
    f.loadedWeightGiB = bf16GiB(params);
    f.checkpointDtype = QStringLiteral("bfloat16");
    f.shardCount = shards;
    return f;
}

ModelFacts deepSeekV3(const char *repo, bool reasoning, bool awq)
{
    ModelFacts f;
    f.repoId = QString::fromLatin1(repo);
    f.architecture = QStringLiteral("DeepseekV3ForCausalLM");
    f.modelType = QStringLiteral("deepseek_v3");
    f.numLayers = 61;
    f.hiddenSize = 7168;
    f.numHeads = 128;
    f.numKvHeads = 128;
    f.headDim = 192; // qk_nope 128 + qk_rope 64
    f.vocabSize = 129280;
    f.maxPositionEmbeddings = 163840;
    f.kvLoraRank = 512;
    f.qkRopeHeadDim = 64;
    f.numExperts = 256;
    f.paramsBillions = 671.03;
    if (awq) {
        // 4-bit AWQ (group 64) with fp16 embeddings/head/gates: ~365 GB on disk, MTP dropped
        // (planner.md §3, computed; UNCONFIRMED against the real shard sizes).
        f.loadedWeightGiB = 340.0;
        f.checkpointDtype = QStringLiteral("float16");
        f.quantMethod = QStringLiteral("awq");
        f.shardCount = 74;
    } else {
        // Block-FP8 linears plus bf16 embed/head; vLLM skips the MTP layer 61.
        f.loadedWeightGiB = 627.0;
        f.checkpointDtype = QStringLiteral("bfloat16");
        f.quantMethod = QStringLiteral("fp8");
        f.shardCount = 163;
    }
    f.reasoning = reasoning;
    f.templatePrefillsThink = reasoning;
    f.needsTrustRemoteCode = true;
    return f;
}

ModelFacts reasoningDistill(ModelFacts f)
{
    f.reasoning = true;
    f.templatePrefillsThink = true;
    return f;
}

const QList<ModelFacts> &catalog()
{
    static const QList<ModelFacts> models = [] {
        QList<ModelFacts> list;
        list << deepSeekV3("deepseek-ai/DeepSeek-R1", true, false)
             << deepSeekV3("deepseek-ai/DeepSeek-V3", false, false)
             << deepSeekV3("cognitivecomputations/DeepSeek-R1-AWQ", true, true)
             << deepSeekV3("cognitivecomputations/DeepSeek-V3-AWQ", false, true);
        const char *llama = "LlamaForCausalLM";
        const char *qwen = "Qwen2ForCausalLM";
        ModelFacts l8 =
            dense("meta-llama/Llama-3.1-8B-Instruct", llama, "llama", 32, 4096, 32, 8, 128256, 131072, 8.03, 4);
        ModelFacts l70 =
            dense("meta-llama/Llama-3.1-70B-Instruct", llama, "llama", 80, 8192, 64, 8, 128256, 131072, 70.55, 30);
        ModelFacts l405 = dense("meta-llama/Llama-3.1-405B-Instruct", llama, "llama", 126, 16384, 128, 8, 128256,
                                131072, 405.85, 191);
        l8.gated = l70.gated = l405.gated = true;
        ModelFacts l33 = l70;
        l33.repoId = QStringLiteral("meta-llama/Llama-3.3-70B-Instruct");
        list << l8 << l70 << l405 << l33;
        list << dense("Qwen/Qwen2.5-72B-Instruct", qwen, "qwen2", 80, 8192, 64, 8, 152064, 32768, 72.71, 37);
        list << reasoningDistill(dense("deepseek-ai/DeepSeek-R1-Distill-Llama-70B", llama, "llama", 80, 8192, 64, 8,
                                       128256, 131072, 70.55, 17));
        list << reasoningDistill(dense("deepseek-ai/DeepSeek-R1-Distill-Llama-8B", llama, "llama", 32, 4096, 32, 8,
                                       128256, 131072, 8.03, 2));
        list << reasoningDistill(dense("deepseek-ai/DeepSeek-R1-Distill-Qwen-32B", qwen, "qwen2", 64, 5120, 40, 8,
                                       152064, 131072, 32.76, 8));
        list << reasoningDistill(dense("deepseek-ai/DeepSeek-R1-Distill-Qwen-14B", qwen, "qwen2", 48, 5120, 40, 8,
                                       152064, 131072, 14.77, 4));
        list << reasoningDistill(
            dense("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", qwen, "qwen2", 28, 3584, 28, 4, 152064, 131072, 7.62, 2));
        list << reasoningDistill(dense("deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B", qwen, "qwen2", 28, 1536, 12, 2,
                                       151936, 131072, 1.78, 1));
        list << reasoningDistill(dense("Qwen/QwQ-32B", qwen, "qwen2", 64, 5120, 40, 8, 152064, 40960, 32.76, 14));
        ModelFacts mixtral = dense("mistralai/Mixtral-8x7B-Instruct-v0.1", "MixtralForCausalLM", "mixtral", 32, 4096,
                                   32, 8, 32000, 32768, 46.70, 19);
        mixtral.numExperts = 8;
        list << mixtral;
        return list;
    }();
    return models;
}

QString lastComponent(const QString &model)
{
    QString trimmed = model;
    while (trimmed.endsWith(QLatin1Char('/')))
        trimmed.chop(1);
    return trimmed.section(QLatin1Char('/'), -1);
}

// A dense decoder shaped like the Llama family member of the same size, so TP validation and KV
// sizing behave plausibly for models the sandbox has no config for.
std::optional<ModelFacts> estimateFromName(const QString &model)
{
    static const QRegularExpression sizePattern(QStringLiteral("(?:^|[-_.])(\\d+(?:\\.\\d+)?)[bB](?:$|[-_.])"));
    const QRegularExpressionMatch match = sizePattern.match(lastComponent(model));
    if (!match.hasMatch())
        return std::nullopt;
    const double params = match.captured(1).toDouble();
    if (params <= 0)
        return std::nullopt;
    struct Shape
    {
        double upTo;
        int layers, hidden, heads, kvHeads;
    };
    static const Shape shapes[] = {{2.5, 28, 2048, 16, 8}, {10, 32, 4096, 32, 8}, {20, 40, 5120, 40, 8},
                                   {40, 64, 5120, 40, 8},  {90, 80, 8192, 64, 8}, {1e9, 126, 16384, 128, 8}};
    const Shape *shape =
        std::find_if(std::begin(shapes), std::end(shapes), [&](const Shape &s) { return params <= s.upTo; });
    ModelFacts f = dense("", "LlamaForCausalLM", "llama", shape->layers, shape->hidden, shape->heads, shape->kvHeads,
                         32000, 32768, params, std::max(1, int(std::ceil(bf16GiB(params) / 4.6))));
    f.repoId = model;
    f.estimated = true;
    static const QRegularExpression reasoningPattern(QStringLiteral("r1|qwq|think"),
                                                     QRegularExpression::CaseInsensitiveOption);
    f.reasoning = reasoningPattern.match(lastComponent(model)).hasMatch();
    f.templatePrefillsThink = f.reasoning;
    return f;
}

} // namespace

qint64 ModelFacts::kvBytesPerTokenPerLayer(int tensorParallel, int dtypeBytes) const
{
    if (isMla())
        return qint64(kvLoraRank + qkRopeHeadDim) * dtypeBytes;
    const int kvHeadsPerGpu = std::max(1, numKvHeads / std::max(1, tensorParallel));
    return 2LL * kvHeadsPerGpu * headDim * dtypeBytes;
}

std::optional<ModelFacts> ModelFacts::lookup(const QString &model)
{
    const QString name = lastComponent(model);
    for (const ModelFacts &facts : catalog()) {
        if (lastComponent(facts.repoId).compare(name, Qt::CaseInsensitive) == 0) {
            ModelFacts found = facts;
            found.repoId = model;
            return found;
        }
    }
    return estimateFromName(model);
}

} // namespace ApoloDeploy::Sandbox
