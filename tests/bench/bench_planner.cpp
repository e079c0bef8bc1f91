// SPDX-License-Identifier: GPL-3.0-or-later
// The full preset comparison for the flagship model (what the GUI recomputes on every edit)
// against a trivial baseline in the same run: the same loop computing only parameter counts.

#include "planner/DeploymentPlanner.h"
#include "planner/ModelCatalog.h"
#include "planner/PresetComparison.h"
#include "planner/WeightInventory.h"

#include <QElapsedTimer>
#include <QTest>

using namespace ApoloDeploy::Planner;

class BenchPlanner : public QObject
{
    Q_OBJECT

private:
    static PlanInputs flagshipInputs()
    {
        PlanInputs inputs;
        inputs.modelId = QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ");
        inputs.model = ModelCatalog::builtIn().find(inputs.modelId)->config;
        inputs.presets = builtInPresets();
        inputs.maxModelLen = 128000;
        inputs.concurrency = 16; // forces the node search to walk several node counts
        return inputs;
    }

    // Median of `runs` timings of fn, in microseconds.
    template <typename Fn> static double medianMicros(int runs, Fn fn)
    {
        QList<qint64> samples;
        for (int i = 0; i < runs; ++i) {
            QElapsedTimer timer;
            timer.start();
            fn();
            samples << timer.nsecsElapsed();
        }
        std::sort(samples.begin(), samples.end());
        return double(samples.at(runs / 2)) / 1000.0;
    }

private Q_SLOTS:
    void presetComparison_flagship_wellUnderAFrame()
    {
        const PlanInputs inputs = flagshipInputs();
        volatile qint64 sink = 0;
        constexpr int runs = 51;
        // Baseline: per preset, build the inventory and read the parameter counts only.
        const double baseline = medianMicros(runs, [&] {
            for (const PlannerPreset &preset : inputs.presets) {
                if (preset.hasGpus())
                    sink = sink + WeightInventory(inputs.model).counts().total;
            }
        });
        // Work: the whole table plus the detailed plan, as PlannerPane::recompute() does.
        const double work = medianMicros(runs, [&] {
            const WeightInventory inventory(inputs.model);
            const QList<PresetComparisonRow> rows = comparePresets(inputs, inventory);
            PlanInputs detailed = inputs;
            detailed.presetName = QStringLiteral("dgx");
            const DeploymentPlan plan = buildDeploymentPlan(detailed, inventory);
            sink = sink + rows.size() + plan.memory.capacityTokens;
        });
        qInfo("bench_planner: preset comparison + plan %.1f us, baseline (param counts) %.1f us, ratio %.1fx", work,
              baseline, work / qMax(baseline, 0.001));
        QVERIFY2(work < 16000.0, qPrintable(QStringLiteral("%1 us").arg(work)));
        Q_UNUSED(sink)
    }
};

QTEST_GUILESS_MAIN(BenchPlanner)
#include "bench_planner.moc"
