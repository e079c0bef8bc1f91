// SPDX-License-Identifier: GPL-3.0-or-later
// LogPane, continued: what the classifiers of the followed jobs say (phase, diagnosis, memory)
// and the notifications that follow from it.

#include "logs/LogFollower.h"
#include "planner/MemoryPlan.h"
#include "planner/StartupLogCalibration.h"
#include "ui/LogPane.h"
#include "ui/logs/DiagnosisCard.h"
#include "ui/logs/LaunchPhaseBar.h"

#include <QApplication>
#include <QLabel>
#include <QStyle>
#include <QSystemTrayIcon>

namespace ApoloDeploy {

using namespace Logs;

namespace {

// The startup numbers the planner calibrates against, from the classifier's metrics (the same
// lines Planner::parseStartupLog reads, without keeping the log text around).
Planner::MeasuredMemory measuredMemory(const LogClassifier &classifier)
{
    const QVariantMap m = classifier.metrics();
    const auto value = [&m](const char *key) { return m.value(QLatin1String(key)); };
    Planner::MeasuredMemory measured;
    if (value("weightsGiB").isValid())
        measured.modelLoadingGiB << value("weightsGiB").toDouble();
    if (value("budgetGiB").isValid() || value("totalGpuMemoryGiB").isValid()) {
        Planner::WorkerMemoryProfile profile;
        profile.totalGpuGiB = value("totalGpuMemoryGiB").toDouble();
        profile.gpuMemoryUtilization = value("gpuMemoryUtilization").toDouble();
        profile.budgetGiB = value("budgetGiB").toDouble();
        profile.weightsGiB = value("weightsGiB").toDouble();
        profile.nonTorchGiB = value("nonTorchGiB").toDouble();
        profile.activationGiB = value("activationPeakGiB").toDouble();
        profile.kvCacheGiB = value("kvCacheGiB").toDouble();
        measured.profiles << profile;
    } else if (value("kvCacheGiB").isValid()) {
        measured.availableKvCacheGiB << value("kvCacheGiB").toDouble();
    }
    if (value("cudaGraphGiB").isValid())
        measured.cudaGraphGiB << value("cudaGraphGiB").toDouble();
    if (value("gpuBlocks").isValid())
        measured.gpuBlocks = value("gpuBlocks").toLongLong();
    if (value("cpuBlocks").isValid())
        measured.cpuBlocks = value("cpuBlocks").toLongLong();
    if (m.contains(QStringLiteral("kvCacheTokens")) && !value("gpuBlocks").isValid())
        measured.kvCacheTokens = value("kvCacheTokens").toLongLong();
    if (value("tokensPerRequest").isValid())
        measured.concurrencyTokens = value("tokensPerRequest").toLongLong();
    if (value("maxConcurrency").isValid())
        measured.maxConcurrency = value("maxConcurrency").toDouble();
    return measured;
}

} // namespace

void LogPane::setMemoryPlan(const Planner::MemoryPlan &plan)
{
    m_plan = std::make_unique<Planner::MemoryPlan>(plan);
    refreshStatus();
}

void LogPane::refreshStatus()
{
    const LogStream *primary = m_follower->stream(m_primaryJob);
    if (primary)
        m_phaseBar->showState(labelOf(m_primaryJob), primary->classifier());

    // The card shows the primary job's failure, else any other job's, else a warning.
    std::optional<Diagnosis> shown;
    QString shownJob;
    for (LogStream *stream : m_follower->streams()) {
        const QString jobId = stream->options().jobId;
        const LogClassifier &classifier = stream->classifier();
        if (classifier.isReady() && !m_notifiedReady.value(jobId)) {
            m_notifiedReady.insert(jobId, true);
            notify(tr("%1 is ready").arg(labelOf(jobId)), tr("The model server accepts requests."), false);
            Q_EMIT serverReady(jobId);
        }
        std::optional<Diagnosis> failure = classifier.hasFatalFailure() ? classifier.failure() : std::nullopt;
        if (!failure && stream->jobDiagnosis() && stream->jobDiagnosis()->fatal)
            failure = stream->jobDiagnosis();
        if (failure) {
            if (m_notifiedFail.value(jobId) != failure->kind) {
                m_notifiedFail.insert(jobId, failure->kind);
                notify(tr("%1 failed").arg(labelOf(jobId)), failure->title + QLatin1Char('\n') + failure->hint, true);
                Q_EMIT jobFailed(jobId, *failure);
            }
            if (!shown || jobId == m_primaryJob) {
                shown = failure;
                shownJob = jobId;
            }
        } else if (!shown && !classifier.warnings().isEmpty() && !classifier.isReady()) {
            shown = classifier.warnings().constLast();
            shownJob = jobId;
        }
    }
    if (shown)
        m_diagnosisCard->showDiagnosis(labelOf(shownJob), *shown);
    else
        m_diagnosisCard->hide();

    if (m_plan && primary) {
        const Planner::MeasuredMemory measured = measuredMemory(primary->classifier());
        if (!measured.isEmpty()) {
            const Planner::CalibrationReport report = Planner::calibrate(*m_plan, measured);
            m_memoryLabel->setText(tr("Planned vs measured (per GPU):\n%1").arg(report.text().trimmed()));
            m_memoryLabel->show();
        }
    }
}

void LogPane::notify(const QString &title, const QString &message, bool failure)
{
    if (QSystemTrayIcon::isSystemTrayAvailable() && QSystemTrayIcon::supportsMessages()) {
        if (!m_tray) {
            QIcon icon = QApplication::windowIcon();
            if (icon.isNull())
                icon = style()->standardIcon(QStyle::SP_ComputerIcon);
            m_tray = new QSystemTrayIcon(icon, this);
            m_tray->setToolTip(QApplication::applicationDisplayName());
            m_tray->show();
        }
        m_tray->showMessage(title, message, failure ? QSystemTrayIcon::Critical : QSystemTrayIcon::Information, 10000);
        return;
    }
    // No tray (headless, some Wayland desktops): say it inside the window instead. A failure is
    // already on the diagnosis card, in the same words.
    if (failure)
        return;
    m_bannerLabel->setText(QStringLiteral("<b>%1</b> %2").arg(title.toHtmlEscaped(), message.toHtmlEscaped()));
    m_bannerLabel->show();
}

} // namespace ApoloDeploy
