// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/logs/LaunchPhaseBar.h"

#include "logs/LogClassifier.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>

namespace ApoloDeploy {

using namespace Logs;

LaunchPhaseBar::LaunchPhaseBar(QWidget *parent)
    : QWidget(parent)
    , m_phaseLabel(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_detailLabel(new QLabel(this))
{
    setObjectName(QStringLiteral("launchPhaseBar"));
    m_phaseLabel->setObjectName(QStringLiteral("phaseLabel"));
    m_progress->setObjectName(QStringLiteral("phaseProgressBar"));
    m_detailLabel->setObjectName(QStringLiteral("phaseDetailLabel"));
    m_progress->setAccessibleName(tr("Launch progress"));
    m_progress->setRange(0, 100);
    // Wide enough for "100%  ETA 12:34".
    m_progress->setMinimumWidth(180);
    m_progress->setMaximumWidth(260);
    m_progress->setTextVisible(true);
    m_detailLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_phaseLabel);
    layout->addWidget(m_progress);
    layout->addWidget(m_detailLabel, 1);
    reset();
}

void LaunchPhaseBar::reset()
{
    m_phaseLabel->setText(tr("Waiting for log output…"));
    m_progress->hide();
    m_detailLabel->clear();
}

QString LaunchPhaseBar::phaseText() const
{
    return m_phaseLabel->text();
}

int LaunchPhaseBar::progressValue() const
{
    return m_progress->isVisibleTo(this) ? m_progress->value() : -1;
}

void LaunchPhaseBar::showState(const QString &label, const LogClassifier &classifier)
{
    const auto phase = classifier.currentPhase();
    if (!phase) {
        m_phaseLabel->setText(tr("%1: no launch phase seen yet").arg(label));
        m_progress->hide();
        return;
    }
    QString state = phaseDisplayName(*phase);
    if (classifier.hasFatalFailure())
        state = tr("Failed during: %1").arg(state);
    m_phaseLabel->setText(QStringLiteral("<b>%1</b>: %2").arg(label.toHtmlEscaped(), state.toHtmlEscaped()));

    std::optional<int> percent;
    if (*phase == Phase::LoadingWeights)
        percent = classifier.loadingPercent();
    else if (*phase == Phase::CudaGraphs)
        percent = classifier.cudaGraphPercent();
    m_progress->setVisible(percent.has_value());
    if (percent) {
        m_progress->setValue(*percent);
        m_progress->setFormat(classifier.loadingEta().isEmpty() || *phase != Phase::LoadingWeights
                                  ? tr("%p%")
                                  : tr("%p%  ETA %1").arg(classifier.loadingEta()));
    }

    const QVariantMap metrics = classifier.metrics();
    QStringList details;
    // What is being launched, as the engine printed it.
    const QVariantMap &engine = classifier.engine();
    if (engine.contains(QStringLiteral("tensorParallelSize")))
        details << tr("TP %1 × PP %2")
                       .arg(engine.value(QStringLiteral("tensorParallelSize")).toInt())
                       .arg(qMax(1, engine.value(QStringLiteral("pipelineParallelSize")).toInt()));
    if (engine.value(QStringLiteral("maxModelLen")).toLongLong() > 0)
        details << tr("max-model-len %L1").arg(engine.value(QStringLiteral("maxModelLen")).toLongLong());
    if (*phase == Phase::LoadingWeights) {
        for (const PhaseRecord &record : classifier.phases()) {
            if (record.phase == Phase::LoadingWeights && record.values.contains(QStringLiteral("shardsTotal")))
                details << tr("%1 of %2 shards")
                               .arg(record.values.value(QStringLiteral("shardsDone")).toInt())
                               .arg(record.values.value(QStringLiteral("shardsTotal")).toInt());
        }
    }
    if (metrics.contains(QStringLiteral("weightsGiB")))
        details << tr("weights %1 GiB/GPU").arg(metrics.value(QStringLiteral("weightsGiB")).toDouble(), 0, 'f', 1);
    if (metrics.contains(QStringLiteral("kvCacheGiB")))
        details << tr("KV cache %1 GiB/GPU").arg(metrics.value(QStringLiteral("kvCacheGiB")).toDouble(), 0, 'f', 1);
    if (metrics.contains(QStringLiteral("kvCacheTokens")))
        details << tr("%L1 tokens").arg(metrics.value(QStringLiteral("kvCacheTokens")).toLongLong());
    if (metrics.contains(QStringLiteral("maxConcurrency")))
        details << tr("max concurrency %1x").arg(metrics.value(QStringLiteral("maxConcurrency")).toDouble(), 0, 'f', 2);
    if (!classifier.stats().isEmpty()) {
        const StatsSample &last = classifier.stats().constLast().sample;
        details << tr("%1 tok/s out, KV %2% used")
                       .arg(last.generationTokensPerSecond, 0, 'f', 1)
                       .arg(last.kvCacheUsagePercent, 0, 'f', 1);
    }
    m_detailLabel->setText(details.join(QStringLiteral(" · ")));
}

} // namespace ApoloDeploy
