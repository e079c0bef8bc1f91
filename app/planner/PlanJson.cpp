// SPDX-License-Identifier: GPL-3.0-or-later
#include "planner/PlanJson.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QLocale>
#include <QTextStream>

namespace ApoloDeploy::Planner {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Planner", text);
}

QJsonArray stringArray(const QStringList &list)
{
    QJsonArray array;
    for (const QString &item : list)
        array.append(item);
    return array;
}

QString padded(const QString &text, int width)
{
    return text.rightJustified(width);
}

} // namespace

QString formatGiB(qint64 bytes)
{
    return QString::number(double(bytes) / double(kGiB), 'f', 2) + QLatin1String(" GiB");
}

QJsonObject planToJson(const DeploymentPlan &plan)
{
    QJsonObject json;
    json.insert(QLatin1String("model"), plan.modelId);
    if (!plan.isValid()) {
        json.insert(QLatin1String("error"), plan.error);
        json.insert(QLatin1String("fits"), false);
        return json;
    }
    const MemoryPlan &memory = plan.memory;
    const PlanRequest &request = plan.request;
    json.insert(QLatin1String("params_total"), memory.params.total);
    json.insert(QLatin1String("params_active"), memory.params.active);
    json.insert(QLatin1String("params_mtp_module"), memory.params.mtpModule);
    json.insert(QLatin1String("weights_format"), request.weights.label());
    json.insert(QLatin1String("weight_bytes_total"), memory.weightBytesTotal);
    json.insert(QLatin1String("kv_bytes_per_token"), memory.kvBytesPerToken);
    if (plan.checkpointBytes)
        json.insert(QLatin1String("checkpoint_bytes"), *plan.checkpointBytes);
    json.insert(QLatin1String("gpu"), QJsonObject{{QLatin1String("model"), plan.gpu.model},
                                                  {QLatin1String("visible_bytes"), plan.gpu.visibleBytes},
                                                  {QLatin1String("source"), plan.gpu.source}});
    json.insert(QLatin1String("preset"), plan.presetName);
    if (!plan.presetChoice.isEmpty())
        json.insert(QLatin1String("preset_choice"), plan.presetChoice);
    json.insert(QLatin1String("preset_is_example"), plan.presetIsExample);
    json.insert(QLatin1String("tp"), request.tensorParallel);
    json.insert(QLatin1String("pp"), request.pipelineParallel);
    json.insert(QLatin1String("nodes"), request.nodes);
    json.insert(QLatin1String("gpus_per_node"), request.gpusPerNode);
    json.insert(QLatin1String("gpu_memory_utilization"), request.gpuMemoryUtilization);
    json.insert(QLatin1String("kv_cache_dtype"),
                request.kvCacheDtype == KvCacheDtype::Fp8 ? QStringLiteral("fp8") : QStringLiteral("auto"));
    json.insert(QLatin1String("enforce_eager"), request.enforceEager);
    json.insert(QLatin1String("block_size"), memory.blockSize);
    json.insert(QLatin1String("max_model_len"), memory.maxModelLen);
    json.insert(QLatin1String("derived_max_model_len"), memory.derivedMaxModelLen);
    QJsonArray ranks;
    for (const RankPlan &rank : memory.ranks) {
        ranks.append(QJsonObject{
            {QLatin1String("stage"), rank.stage},
            {QLatin1String("tp_rank"), rank.tpRank},
            {QLatin1String("layers"), rank.layers()},
            {QLatin1String("first_layer"), rank.firstLayer},
            {QLatin1String("budget_bytes"), rank.budgetBytes},
            {QLatin1String("weight_bytes"), rank.weightBytes},
            {QLatin1String("activation_bytes"), rank.activationBytes},
            {QLatin1String("overhead_bytes"), rank.overheadBytes()},
            {QLatin1String("non_torch_bytes"), rank.nonTorchBytes},
            {QLatin1String("cuda_graph_bytes"), rank.cudaGraphBytes},
            {QLatin1String("kv_pool_bytes"), rank.kvPoolBytes},
            {QLatin1String("kv_bytes_per_token"), rank.kvBytesPerToken},
            {QLatin1String("kv_blocks"), rank.kvBlocks},
            {QLatin1String("kv_tokens"), rank.kvTokens},
        });
    }
    json.insert(QLatin1String("ranks"), ranks);
    json.insert(QLatin1String("kv_capacity_tokens"), memory.capacityTokens);
    json.insert(QLatin1String("fits"), memory.fits());
    json.insert(QLatin1String("verdict"), verdictCode(memory.verdict));
    json.insert(QLatin1String("verdict_text"), memory.verdictText);
    json.insert(QLatin1String("max_model_len_that_fits"), memory.maxModelLenThatFits);
    json.insert(QLatin1String("max_concurrency"), memory.maxConcurrency);
    json.insert(QLatin1String("meets_concurrency"), memory.meetsConcurrency);
    QJsonArray issues;
    for (const PlanIssue &issue : memory.issues) {
        issues.append(QJsonObject{{QLatin1String("severity"), issue.severity == PlanIssue::Severity::Error
                                                                  ? QStringLiteral("error")
                                                                  : QStringLiteral("warning")},
                                  {QLatin1String("code"), issue.code},
                                  {QLatin1String("message"), issue.message}});
    }
    json.insert(QLatin1String("issues"), issues);
    const Recommendation &recommended = plan.recommended;
    json.insert(QLatin1String("recommended"), QJsonObject{{QLatin1String("found"), recommended.found},
                                                          {QLatin1String("tp"), recommended.tensorParallel},
                                                          {QLatin1String("pp"), recommended.pipelineParallel},
                                                          {QLatin1String("nodes"), recommended.nodes},
                                                          {QLatin1String("max_model_len"), recommended.maxModelLen},
                                                          {QLatin1String("flags"), stringArray(recommended.flags)},
                                                          {QLatin1String("env"), stringArray(recommended.environment)},
                                                          {QLatin1String("summary"), recommended.summary}});
    if (plan.cost && plan.cost->isValid()) {
        const CostEstimate &cost = *plan.cost;
        json.insert(QLatin1String("credits_per_hour"), cost.creditsPerHour.toString());
        QJsonObject costJson{{QLatin1String("credits_per_hour"), cost.creditsPerHour.toString()},
                             {QLatin1String("credits_per_day"), cost.creditsPerDay.toString()},
                             {QLatin1String("credits_per_month"), cost.creditsPerMonth.toString()}};
        if (cost.hasLifeSpan)
            costJson.insert(QLatin1String("credits_for_life_span"), cost.creditsForLifeSpan.toString());
        if (cost.hasPerTokenCost)
            costJson.insert(QLatin1String("credits_per_million_output_tokens"),
                            cost.creditsPerMillionOutputTokens.toString(6));
        if (cost.hasCurrency) {
            costJson.insert(QLatin1String("currency_per_hour"), cost.inCurrency(cost.creditsPerHour).toString(4));
            costJson.insert(QLatin1String("currency_per_month"), cost.inCurrency(cost.creditsPerMonth).toString(2));
        }
        json.insert(QLatin1String("cost"), costJson);
    } else if (plan.cost) {
        json.insert(QLatin1String("cost_error"), plan.cost->error);
    }
    return json;
}

QJsonArray comparisonToJson(const QList<PresetComparisonRow> &rows)
{
    QJsonArray array;
    for (const PresetComparisonRow &row : rows) {
        array.append(
            QJsonObject{{QLatin1String("preset"), row.presetName},
                        {QLatin1String("gpu"), row.gpuModel},
                        {QLatin1String("gpus_per_node"), row.gpuCount},
                        {QLatin1String("example"), row.isExample},
                        {QLatin1String("fits"), row.fits},
                        {QLatin1String("nodes_needed"), row.nodesNeeded},
                        {QLatin1String("tp"), row.tensorParallel},
                        {QLatin1String("pp"), row.pipelineParallel},
                        {QLatin1String("max_context"), row.maxContext},
                        {QLatin1String("max_concurrency"), row.maxConcurrency},
                        {QLatin1String("credits_per_hour"), row.hasPrice ? row.creditsPerHour.toString() : QString()},
                        {QLatin1String("note"), row.note}});
    }
    return array;
}

QString planToText(const DeploymentPlan &plan)
{
    QString text;
    QTextStream out(&text);
    const QLocale c(QLocale::English); // "1,209,408" like vLLM V1's own log lines
    if (!plan.isValid()) {
        out << tr("Cannot plan %1: %2").arg(plan.modelId, plan.error) << '\n';
        return text;
    }
    const MemoryPlan &memory = plan.memory;
    const PlanRequest &request = plan.request;
    out << tr("Model      %1 (%2)").arg(plan.modelId, request.weights.label()) << '\n'
        << tr("Parameters %1 total, %2 active; weights %3")
               .arg(c.toString(memory.params.total), c.toString(memory.params.active),
                    formatGiB(memory.weightBytesTotal))
        << '\n'
        << (plan.checkpointBytes
                ? tr("Checkpoint %1 on disk (safetensors index)\n").arg(formatGiB(*plan.checkpointBytes))
                : QString())
        << tr("KV cache   %1 bytes/token (all layers, one copy), block size %2")
               .arg(c.toString(memory.kvBytesPerToken))
               .arg(memory.blockSize)
        << '\n'
        << tr("Hardware   %1 x %2 GPUs %3 (%4 visible each)%5")
               .arg(request.nodes)
               .arg(request.gpusPerNode)
               .arg(plan.gpu.model, formatGiB(plan.gpu.visibleBytes))
               .arg(plan.presetName.isEmpty()
                        ? QString()
                        : tr(", preset %1%2").arg(plan.presetName, plan.presetIsExample ? tr(" (example)") : QString()))
        << '\n'
        << (plan.presetChoice.isEmpty() ? QString() : tr("Preset     %1").arg(plan.presetChoice) + u'\n')
        << tr("Shape      TP %1 x PP %2, max-model-len %3, gpu-memory-utilization %4")
               .arg(request.tensorParallel)
               .arg(request.pipelineParallel)
               .arg(memory.maxModelLen)
               .arg(request.gpuMemoryUtilization)
        << "\n\n";
    out << tr("stage  tp  layers     budget    weights activation  overheads    KV pool  KV B/token   KV tokens")
        << '\n';
    for (const RankPlan &rank : memory.ranks) {
        if (rank.tpRank != 0 || memory.verdict == Verdict::Invalid) // no numbers for a shape vLLM refuses
            continue;                                               // ranks of a stage are identical
        out << padded(QString::number(rank.stage), 5)
            << padded(QStringLiteral("0-%1").arg(request.tensorParallel - 1), 4)
            << padded(QString::number(rank.layers()), 8) << padded(formatGiB(rank.budgetBytes), 11)
            << padded(formatGiB(rank.weightBytes), 11) << padded(formatGiB(rank.activationBytes), 11)
            << padded(formatGiB(rank.overheadBytes()), 11) << padded(formatGiB(rank.kvPoolBytes), 11)
            << padded(c.toString(rank.kvBytesPerToken), 12) << padded(c.toString(rank.kvTokens), 12) << '\n';
    }
    out << '\n' << tr("Verdict    %1").arg(memory.verdictText) << '\n';
    if (memory.verdict != Verdict::Invalid)
        out << tr("           largest max-model-len that fits: %1; max concurrency at %2: %3x")
                   .arg(memory.maxModelLenThatFits)
                   .arg(memory.maxModelLen)
                   .arg(QString::number(memory.maxConcurrency, 'f', 2))
            << '\n';
    for (const PlanIssue &issue : memory.issues)
        out << (issue.severity == PlanIssue::Severity::Error ? tr("error:   ") : tr("warning: ")) << issue.message
            << '\n';
    out << '\n'
        << tr("Recommended %1").arg(plan.recommended.summary) << '\n'
        << tr("  vllm serve MODEL %1").arg(plan.recommended.flags.join(QLatin1Char(' '))) << '\n';
    for (const QString &variable : plan.recommended.environment)
        out << tr("  env %1").arg(variable) << '\n';
    if (plan.cost) {
        const CostEstimate &cost = *plan.cost;
        if (!cost.isValid()) {
            out << tr("Cost       %1").arg(cost.error) << '\n';
        } else {
            out << tr("Cost       %1 credits/h, %2 credits/day, %3 credits/month (730 h)")
                       .arg(cost.creditsPerHour.toString(), cost.creditsPerDay.toString(),
                            cost.creditsPerMonth.toString())
                << '\n';
            if (cost.hasLifeSpan)
                out << tr("           %1 credits for the planned life span").arg(cost.creditsForLifeSpan.toString())
                    << '\n';
            if (cost.hasPerTokenCost)
                out << tr("           %1 credits per million output tokens")
                           .arg(cost.creditsPerMillionOutputTokens.toString(4))
                    << '\n';
            if (cost.hasCurrency)
                out << tr("           %1 per hour, %2 per month in your currency")
                           .arg(cost.inCurrency(cost.creditsPerHour).toString(2),
                                cost.inCurrency(cost.creditsPerMonth).toString(2))
                    << '\n';
        }
    }
    return text;
}

QString comparisonToText(const QList<PresetComparisonRow> &rows)
{
    QString text;
    QTextStream out(&text);
    out << tr("preset          GPUs/node  fits  nodes  TPxPP   max context  concurrency  credits/h") << '\n';
    for (const PresetComparisonRow &row : rows) {
        out << row.presetName.leftJustified(16) << padded(QString::number(row.gpuCount), 9)
            << padded(row.fits ? tr("yes") : tr("no"), 6)
            << padded(row.fits ? QString::number(row.nodesNeeded) : tr("-"), 7)
            << padded(QStringLiteral("%1x%2").arg(row.tensorParallel).arg(row.pipelineParallel), 7)
            << padded(QString::number(row.maxContext), 14) << padded(QString::number(row.maxConcurrency, 'f', 2), 13)
            << padded(row.hasPrice ? row.creditsPerHour.toString() : tr("?"), 11)
            << (row.isExample ? tr("  (example)") : QString()) << '\n';
    }
    return text;
}

} // namespace ApoloDeploy::Planner
