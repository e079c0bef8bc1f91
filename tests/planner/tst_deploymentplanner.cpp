// SPDX-License-Identifier: GPL-3.0-or-later
// Hardware resolution, recommendations (TP = GPUs per node, fewest nodes), flags, preset comparison.

#include "planner/DeploymentPlanner.h"
#include "planner/ModelCatalog.h"
#include "planner/PlanJson.h"
#include "planner/PresetComparison.h"
#include "planner/WeightInventory.h"

#include <QJsonArray>
#include <QTest>

using namespace ApoloDeploy::Planner;

namespace {

PlanInputs inputsFor(const QString &id)
{
    PlanInputs inputs;
    inputs.modelId = id;
    inputs.model = ModelCatalog::builtIn().find(id)->config;
    inputs.presets = builtInPresets();
    return inputs;
}

} // namespace

class TestDeploymentPlanner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void builtInPresets_mirrorTheSandbox()
    {
        const QList<PlannerPreset> presets = builtInPresets();
        QStringList names;
        for (const PlannerPreset &preset : presets) {
            names << preset.name;
            QVERIFY(preset.isExample);
        }
        QVERIFY(names.contains(QStringLiteral("cpu-small")));
        QVERIFY(names.contains(QStringLiteral("gpu-h100x1")));
        QVERIFY(names.contains(QStringLiteral("dgx")));
        QVERIFY(names.contains(QStringLiteral("gpu-h200x8")));
    }

    void flagship_dgxRecommendsTp8AndFlagsForTwoNodes()
    {
        PlanInputs inputs = inputsFor(QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ"));
        inputs.presetName = QStringLiteral("dgx");
        inputs.maxModelLen = 128000;
        inputs.concurrency = 8; // beyond one node's ~2 sequences
        const DeploymentPlan plan = buildDeploymentPlan(inputs);
        QVERIFY2(plan.isValid(), qPrintable(plan.error));
        QVERIFY(plan.recommended.found);
        QCOMPARE(plan.recommended.tensorParallel, 8);
        QCOMPARE(plan.recommended.nodes, 2);
        QCOMPARE(plan.recommended.pipelineParallel, 2);
        const QStringList flags = plan.recommended.flags;
        QVERIFY(flags.join(QLatin1Char(' '))
                    .contains(QLatin1String("--tensor-parallel-size 8 --pipeline-parallel-size 2")));
        QVERIFY(flags.contains(QStringLiteral("--trust-remote-code")));
        QVERIFY(flags.join(QLatin1Char(' ')).contains(QLatin1String("--max-model-len 128000")));
        QVERIFY(flags.join(QLatin1Char(' ')).contains(QLatin1String("--distributed-executor-backend ray")));
        QVERIFY(!flags.contains(QStringLiteral("--quantization"))); // the checkpoint's AWQ is auto-detected
        // Without --nodes the planned shape is the recommendation, priced as two dgx nodes.
        QCOMPARE(plan.request.nodes, 2);
        QVERIFY(plan.memory.fits());
        QCOMPARE(plan.cost->creditsPerHour.toString(), QStringLiteral("67.2"));
    }

    void explicitShape_isPlannedAsGiven()
    {
        PlanInputs inputs = inputsFor(QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ"));
        inputs.presetName = QStringLiteral("dgx");
        inputs.nodes = 1;
        inputs.maxModelLen = 128000;
        const DeploymentPlan plan = buildDeploymentPlan(inputs);
        QCOMPARE(plan.request.tensorParallel, 8);
        QCOMPARE(plan.request.pipelineParallel, 1);
        QCOMPARE(plan.memory.ranks.size(), 8);
        QVERIFY(plan.memory.fits());
        QCOMPARE(plan.recommended.nodes, 1); // one 128k request fits on one node
    }

    void gpuOverride_andUnknownGpuError()
    {
        PlanInputs inputs = inputsFor(QStringLiteral("meta-llama/Llama-3.1-8B"));
        inputs.gpuModel = QStringLiteral("nvidia-b300");
        DeploymentPlan plan = buildDeploymentPlan(inputs);
        QVERIFY(!plan.isValid());
        QVERIFY(plan.error.contains(QLatin1String("--gpu-mem-gib")));
        inputs.gpuMemoryOverrideBytes = 40 * kGiB;
        inputs.gpusPerNode = 1;
        plan = buildDeploymentPlan(inputs);
        QVERIFY2(plan.isValid(), qPrintable(plan.error));
        QCOMPARE(plan.gpu.visibleBytes, 40 * kGiB);
        QCOMPARE(plan.memory.ranks.first().budgetBytes, qint64(40 * kGiB * 0.9));
        QVERIFY(!plan.cost); // no preset, no price
        inputs.presetName = QStringLiteral("nope");
        QVERIFY(buildDeploymentPlan(inputs).error.contains(QLatin1String("dgx")));
    }

    void noHardware_picksFewestNodesThenCheapest()
    {
        // A 7B model fits one H100: the cheapest single-node preset.
        PlanInputs inputs = inputsFor(QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B"));
        inputs.maxModelLen = 32768;
        DeploymentPlan plan = buildDeploymentPlan(inputs);
        QVERIFY2(plan.isValid(), qPrintable(plan.error));
        QCOMPARE(plan.presetName, QStringLiteral("gpu-h100x1"));
        QVERIFY(plan.memory.fits());
        QVERIFY(!plan.presetChoice.contains(QLatin1String("cheaper")));

        // R1 needs 8 GPUs: one DGX node (cheaper than one H200 node), not a 7-stage pipeline of
        // single-GPU nodes, which is named as the cheaper alternative.
        inputs = inputsFor(QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ"));
        inputs.maxModelLen = 128000;
        plan = buildDeploymentPlan(inputs);
        QVERIFY2(plan.isValid(), qPrintable(plan.error));
        QCOMPARE(plan.presetName, QStringLiteral("dgx"));
        QCOMPARE(plan.request.nodes, 1);
        QCOMPARE(plan.request.tensorParallel, 8);
        QVERIFY2(plan.presetChoice.contains(QLatin1String("cheaper:")), qPrintable(plan.presetChoice));
        QVERIFY2(plan.presetChoice.contains(QLatin1String("gpu-h100x1")), qPrintable(plan.presetChoice));
    }

    void comparison_everyGpuPresetWithNodesAndPrice()
    {
        PlanInputs inputs = inputsFor(QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ"));
        inputs.maxModelLen = 128000;
        inputs.concurrency = 4;
        const WeightInventory inventory(inputs.model);
        const QList<PresetComparisonRow> rows = comparePresets(inputs, inventory);
        QCOMPARE(rows.size(), 3); // CPU presets are skipped
        for (const PresetComparisonRow &row : rows) {
            if (row.presetName == QLatin1String("gpu-h100x1")) {
                // One H100 per node: TP 1 and one pipeline stage per node; ~340 GiB need 5+ of them.
                QVERIFY(row.fits);
                QCOMPARE(row.tensorParallel, 1);
                QVERIFY(row.nodesNeeded >= 5);
                QCOMPARE(row.pipelineParallel, row.nodesNeeded);
            } else if (row.presetName == QLatin1String("dgx")) {
                QVERIFY(row.fits);
                QCOMPARE(row.nodesNeeded, 2);
                QCOMPARE(row.creditsPerHour.toString(), QStringLiteral("67.2"));
            } else {
                QCOMPARE(row.presetName, QStringLiteral("gpu-h200x8"));
                QVERIFY(row.fits);
                QCOMPARE(row.nodesNeeded, 1);
                QCOMPARE(row.maxContext, 163840);
            }
        }
        // The recommendation takes the fewest nodes (one H200 node) over a cheaper many-node shape...
        const PresetComparisonRow *recommended = recommendedFit(rows);
        QVERIFY(recommended);
        QCOMPARE(recommended->presetName, QStringLiteral("gpu-h200x8"));
        // ...which stays available as the cheapest fitting row.
        const PresetComparisonRow *cheapest = cheapestFit(rows);
        QVERIFY(cheapest && cheapest->fits);
        QCOMPARE(cheapest->presetName, QStringLiteral("gpu-h100x1"));
        for (const PresetComparisonRow &row : rows)
            QVERIFY(!row.fits || cheapest->creditsPerHour.units() <= row.creditsPerHour.units());
        QCOMPARE(comparisonToJson(rows).size(), 3);
    }

    void json_holdsTheContractFields()
    {
        PlanInputs inputs = inputsFor(QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ"));
        inputs.presetName = QStringLiteral("dgx");
        inputs.nodes = 2;
        inputs.maxModelLen = 128000;
        const QJsonObject json = planToJson(buildDeploymentPlan(inputs));
        for (const char *key :
             {"params_total", "params_active", "weight_bytes_total", "kv_bytes_per_token", "ranks", "fits", "verdict",
              "max_model_len_that_fits", "max_concurrency", "recommended", "credits_per_hour"})
            QVERIFY2(json.contains(QLatin1String(key)), key);
        const QJsonObject rank = json.value(QLatin1String("ranks")).toArray().first().toObject();
        for (const char *key : {"stage", "tp_rank", "layers", "weight_bytes", "activation_bytes", "overhead_bytes",
                                "kv_pool_bytes", "kv_bytes_per_token", "kv_tokens"})
            QVERIFY2(rank.contains(QLatin1String(key)), key);
        QCOMPARE(json.value(QLatin1String("verdict")).toString(), QStringLiteral("fits"));
        QCOMPARE(json.value(QLatin1String("kv_bytes_per_token")).toInteger(), 70272);
        QCOMPARE(json.value(QLatin1String("credits_per_hour")).toString(), QStringLiteral("67.2"));
        const QJsonObject recommended = json.value(QLatin1String("recommended")).toObject();
        for (const char *key : {"tp", "pp", "nodes", "flags"})
            QVERIFY2(recommended.contains(QLatin1String(key)), key);
    }
};

QTEST_GUILESS_MAIN(TestDeploymentPlanner)
#include "tst_deploymentplanner.moc"
