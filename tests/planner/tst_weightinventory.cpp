// SPDX-License-Identifier: GPL-3.0-or-later
// Parameter counts and checkpoint bytes of the whole bundled catalog against planner.md §2/§3.

#include "planner/ModelCatalog.h"
#include "planner/WeightInventory.h"

#include <QTest>

#include <cmath>

using namespace ApoloDeploy::Planner;

namespace {

// Published counts are rounded ("1.78B", "14.8B"): allow 0.1 % or half a unit of the last
// published digit, whichever is larger.
double publishedTolerance(double published)
{
    const QString digits = QString::number(published, 'g', 15).remove(QLatin1Char('.')).section(QLatin1Char('e'), 0, 0);
    QString significant = digits;
    while (significant.endsWith(QLatin1Char('0')))
        significant.chop(1);
    const double halfUnit = 0.5 * std::pow(10.0, std::floor(std::log10(published)) - (significant.size() - 1));
    return qMax(0.001, halfUnit / published);
}

bool within(double actual, double expected, double tolerance)
{
    return std::abs(actual - expected) <= expected * tolerance;
}

WeightInventory inventoryOf(const QString &id)
{
    const std::optional<CatalogModel> model = ModelCatalog::builtIn().find(id);
    Q_ASSERT(model);
    return WeightInventory(model->config);
}

} // namespace

class TestWeightInventory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void catalog_loadsEveryRequiredModel()
    {
        const QStringList required = {QStringLiteral("deepseek-ai/DeepSeek-R1"),
                                      QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ"),
                                      QStringLiteral("deepseek-ai/DeepSeek-V3"),
                                      QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B"),
                                      QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B"),
                                      QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Qwen-14B"),
                                      QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Qwen-32B"),
                                      QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Llama-8B"),
                                      QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Llama-70B"),
                                      QStringLiteral("meta-llama/Llama-3.1-8B"),
                                      QStringLiteral("meta-llama/Llama-3.1-70B"),
                                      QStringLiteral("meta-llama/Llama-3.1-405B"),
                                      QStringLiteral("Qwen/Qwen2.5-72B-Instruct"),
                                      QStringLiteral("mistralai/Mixtral-8x7B-v0.1"),
                                      QStringLiteral("Qwen/Qwen3-30B-A3B"),
                                      QStringLiteral("Qwen/Qwen3-235B-A22B")};
        for (const QString &id : required)
            QVERIFY2(ModelCatalog::builtIn().find(id).has_value(), qPrintable(id));
    }

    void totals_matchPublishedCountsWithinATenthOfAPercent_data()
    {
        QTest::addColumn<QString>("id");
        for (const CatalogModel &model : ModelCatalog::builtIn().models())
            QTest::newRow(qPrintable(model.id)) << model.id;
    }

    void totals_matchPublishedCountsWithinATenthOfAPercent()
    {
        QFETCH(QString, id);
        const CatalogModel model = *ModelCatalog::builtIn().find(id);
        const ParameterCounts counts = WeightInventory(model.config).counts();
        const double expected = model.computedTotal > 0 ? model.computedTotal : model.publishedTotal;
        QVERIFY2(within(double(counts.total), expected, publishedTolerance(expected)),
                 qPrintable(QStringLiteral("%1: %2 vs %3").arg(id).arg(counts.total).arg(expected, 0, 'f', 0)));
    }

    void active_matchesPublishedMoeCounts_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<double>("expectedWithoutRouter");
        QTest::addColumn<double>("tolerance");
        // planner.md §4.1 sums activated parameters without the router gates; we count them as
        // active (every token uses them) and subtract them here to compare like with like.
        QTest::newRow("DeepSeek-R1") << QStringLiteral("deepseek-ai/DeepSeek-R1") << 37.45e9 << 0.001;
        QTest::newRow("Mixtral") << QStringLiteral("mistralai/Mixtral-8x7B-v0.1") << 12.88e9 << 0.001;
        QTest::newRow("Qwen3-30B-A3B") << QStringLiteral("Qwen/Qwen3-30B-A3B") << 3.34e9 << 0.001;
        // "22.1" has three significant digits: half a unit of the last digit is 0.23 %.
        QTest::newRow("Qwen3-235B-A22B") << QStringLiteral("Qwen/Qwen3-235B-A22B") << 22.1e9 << 0.0023;
    }

    void active_matchesPublishedMoeCounts()
    {
        QFETCH(QString, id);
        QFETCH(double, expectedWithoutRouter);
        QFETCH(double, tolerance);
        const ParameterCounts counts = inventoryOf(id).counts();
        const double active = double(counts.active - counts.router);
        QVERIFY2(within(active, expectedWithoutRouter, tolerance), qPrintable(QString::number(active, 'f', 0)));
        QVERIFY(counts.router > 0);
    }

    void deepseek_mtpModuleIsCountedApartAndNotLoaded()
    {
        const ParameterCounts counts = inventoryOf(QStringLiteral("deepseek-ai/DeepSeek-R1")).counts();
        QVERIFY2(within(double(counts.mtpModule), 11.61e9, 0.001), qPrintable(QString::number(counts.mtpModule)));
        QVERIFY(within(double(counts.total), 671.03e9, 0.001)); // MTP not included
        QCOMPARE(counts.embedding, 129280LL * 7168);
        QCOMPARE(counts.lmHead, 129280LL * 7168);
    }

    void deepseek_attentionAndLayerSizesMatchPlannerMd()
    {
        const WeightInventory inventory = inventoryOf(QStringLiteral("deepseek-ai/DeepSeek-R1"));
        qint64 attention = 0;
        qint64 dense = 0;
        qint64 moe = 0;
        for (const TensorGroup &tensor : inventory.layer(0)) {
            dense += tensor.params();
            if (tensor.module.startsWith(QLatin1String("self_attn")))
                attention += tensor.params();
        }
        for (const TensorGroup &tensor : inventory.layer(3))
            moe += tensor.params();
        QVERIFY2(within(double(attention), 187.11e6, 0.001), qPrintable(QString::number(attention)));
        QVERIFY2(within(double(dense), 583.5e6, 0.001), qPrintable(QString::number(dense)));
        QVERIFY2(within(double(moe), 11.507e9, 0.001), qPrintable(QString::number(moe)));
    }

    void catalog_checkpointBytesAreConsistent()
    {
        // Every catalog checkpoint: bytes in its own format lie between 0.5 and 4.01 bytes per parameter.
        for (const CatalogModel &model : ModelCatalog::builtIn().models()) {
            const WeightInventory inventory(model.config);
            const qint64 bytes = inventory.totalBytes(model.config.checkpointQuant);
            qInfo("%s: %lld params, %lld active, %lld checkpoint bytes (%s)", qPrintable(model.id),
                  inventory.counts().total, inventory.counts().active, bytes,
                  qPrintable(model.config.checkpointQuant.label()));
            QVERIFY(bytes > inventory.counts().total / 2 && bytes < inventory.counts().total * 401 / 100);
        }
    }

    void tiedEmbeddings_areCountedOnce()
    {
        ModelConfig config =
            ModelCatalog::builtIn().find(QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B"))->config;
        const qint64 untied = WeightInventory(config).counts().total;
        config.tieWordEmbeddings = true;
        QCOMPARE(WeightInventory(config).counts().total, untied - 151936LL * 1536);
    }

    void checkpointBytes_matchPlannerMdSizes()
    {
        // planner.md §3: R1 FP8 (without the MTP copy) ~671B x 1 B + bf16 embed/head; AWQ g64 ~365 GB.
        const WeightInventory fp8 = inventoryOf(QStringLiteral("deepseek-ai/DeepSeek-R1"));
        const qint64 fp8Bytes = fp8.totalBytes(fp8.config().checkpointQuant);
        QVERIFY2(fp8Bytes > 672e9 && fp8Bytes < 676e9, qPrintable(QString::number(fp8Bytes)));
        const WeightInventory awq = inventoryOf(QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ"));
        const qint64 awqBytes = awq.totalBytes(awq.config().checkpointQuant);
        QVERIFY2(within(double(awqBytes), 365e9, 0.01), qPrintable(QString::number(awqBytes)));
        const WeightInventory llama = inventoryOf(QStringLiteral("meta-llama/Llama-3.1-8B"));
        QCOMPARE(llama.totalBytes(QuantScheme::unquantized(2)), llama.counts().total * 2);
    }
};

QTEST_GUILESS_MAIN(TestWeightInventory)
#include "tst_weightinventory.moc"
