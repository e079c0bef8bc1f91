// SPDX-License-Identifier: GPL-3.0-or-later
// The Plan pane: recomputes on each change, charts follow the plan, "Use this plan" emits it.
// With ADC_SCREENSHOT_DIR set it also saves planner.png (docs/screenshots).

#include "models/PresetComparisonModel.h"
#include "planner/PlannerPreset.h"
#include "ui/PlannerPane.h"
#include "ui/planner/PlannerInputsForm.h"
#include "ui/planner/RankMemoryChart.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

using namespace ApoloDeploy;
using namespace ApoloDeploy::Planner;

class TestPlannerPane : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void flagship_defaultPlanFitsAndChartsShowEveryRank()
    {
        PlannerPane pane(builtInPresets());
        pane.resize(1400, 900);
        pane.selectPreset(QStringLiteral("dgx"));
        auto *context = pane.findChild<QSpinBox *>(QStringLiteral("contextSpinBox"));
        auto *concurrency = pane.findChild<QSpinBox *>(QStringLiteral("concurrencySpinBox"));
        QVERIFY(context && concurrency);
        context->setValue(128000);
        concurrency->setValue(8);
        QTRY_COMPARE(pane.currentPlan().request.nodes, 2);
        QCOMPARE(pane.currentPlan().presetName, QStringLiteral("dgx"));
        QVERIFY(pane.currentPlan().memory.fits());
        QCOMPARE(pane.comparisonModel()->rowCount(), 3);
        auto *chart = pane.findChild<RankMemoryChart *>();
        QVERIFY(chart);
        QCOMPARE(chart->values().first().size(), 16);

        if (const QByteArray dir = qgetenv("ADC_SCREENSHOT_DIR"); !dir.isEmpty()) {
            pane.show();
            QVERIFY(QTest::qWaitForWindowExposed(&pane));
            QVERIFY(QDir().mkpath(QString::fromLocal8Bit(dir)));
            QVERIFY(pane.grab().save(QString::fromLocal8Bit(dir) + QLatin1String("/planner.png")));
        }
    }

    void change_recomputesAtOnce()
    {
        PlannerPane pane(builtInPresets());
        pane.selectPreset(QStringLiteral("dgx"));
        auto *eager = pane.findChild<QCheckBox *>(QStringLiteral("eagerCheckBox"));
        QVERIFY(eager);
        const qint64 before = pane.currentPlan().memory.ranks.first().kvPoolBytes;
        eager->setChecked(true);
        QTRY_VERIFY(pane.currentPlan().memory.ranks.first().kvPoolBytes > before);
        QCOMPARE(pane.currentPlan().memory.ranks.first().cudaGraphBytes, 0);
        auto *model = pane.findChild<QComboBox *>(QStringLiteral("modelComboBox"));
        model->setCurrentIndex(model->findData(QStringLiteral("meta-llama/Llama-3.1-8B")));
        QTRY_COMPARE(pane.currentPlan().modelId, QStringLiteral("meta-llama/Llama-3.1-8B"));
    }

    void usePlan_emitsThePlan()
    {
        PlannerPane pane(builtInPresets());
        QSignalSpy accepted(&pane, &PlannerPane::planAccepted);
        auto *button = pane.findChild<QPushButton *>(QStringLiteral("usePlanPushButton"));
        QVERIFY(button && button->isEnabled());
        button->click();
        QCOMPARE(accepted.count(), 1);
        const auto plan = accepted.first().first().value<DeploymentPlan>();
        QCOMPARE(plan.modelId, QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ"));
        QVERIFY(plan.memory.fits());
    }

    void addModel_badConfigExplainsAndKeepsThePlan()
    {
        PlannerPane pane(builtInPresets());
        QString error;
        QVERIFY(
            !pane.addModel(QStringLiteral("/tmp/x/config.json"), R"({"model_type": "gpt2"})", std::nullopt, &error));
        QVERIFY(error.contains(QLatin1String("unsupported architecture gpt2")));
        QVERIFY(pane.addModel(QStringLiteral("local/tiny"), R"({"model_type": "llama", "vocab_size": 32000,
            "hidden_size": 2048, "intermediate_size": 5632, "num_hidden_layers": 22, "num_attention_heads": 32,
            "num_key_value_heads": 4, "max_position_embeddings": 2048})",
                              std::nullopt, &error));
        QTRY_COMPARE(pane.currentPlan().modelId, QStringLiteral("local/tiny"));
    }
};

QTEST_MAIN(TestPlannerPane)
#include "tst_plannerpane.moc"
