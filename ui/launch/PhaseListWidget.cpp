// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/launch/PhaseListWidget.h"

#include <QFontMetrics>

namespace ApoloDeploy {

PhaseListWidget::PhaseListWidget(QWidget *parent)
    : QListWidget(parent)
{
    setObjectName(QStringLiteral("phaseListWidget"));
    setAccessibleName(tr("Launch phases"));
    setSelectionMode(QAbstractItemView::NoSelection);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    configure(2, false);
}

void PhaseListWidget::configure(int nodes, bool openWebUi)
{
    m_phases.clear();
    if (nodes > 1)
        m_phases << LaunchPhase::CreatingHead << LaunchPhase::WaitingForHead;
    m_phases << LaunchPhase::CreatingNodes << LaunchPhase::WaitingForServer << LaunchPhase::LoadingModel
             << LaunchPhase::CheckingHealth;
    if (openWebUi)
        m_phases << LaunchPhase::StartingWeb;
    m_phases << LaunchPhase::Ready;
    clear();
    for (LaunchPhase phase : std::as_const(m_phases))
        addItem(QStringLiteral("○  ") + launchPhaseDisplayName(phase));
    m_lastActive = LaunchPhase::Pending;
    // Wide enough for the longest phase in bold, so no phase name is cut off.
    QFont bold = font();
    bold.setBold(true);
    int widest = 0;
    for (int row = 0; row < count(); ++row)
        widest = qMax(widest, QFontMetrics(bold).horizontalAdvance(item(row)->text()));
    setFixedWidth(widest + 2 * frameWidth() + 16);
}

void PhaseListWidget::setPhase(LaunchPhase phase)
{
    const bool failed = phase == LaunchPhase::Failed;
    if (!failed)
        m_lastActive = phase;
    for (int row = 0; row < m_phases.size(); ++row) {
        const LaunchPhase p = m_phases.at(row);
        QString mark = QStringLiteral("○  ");
        QFont font = item(row)->font();
        font.setBold(false);
        if (p < m_lastActive || (p == LaunchPhase::Ready && m_lastActive == LaunchPhase::Ready)) {
            mark = QStringLiteral("✔  ");
        } else if (p == m_lastActive) {
            mark = failed ? QStringLiteral("✖  ") : QStringLiteral("▶  ");
            font.setBold(true);
        }
        item(row)->setText(mark + launchPhaseDisplayName(p));
        item(row)->setFont(font);
        item(row)->setForeground(failed && p == m_lastActive ? QBrush(QColor(0xc6, 0x28, 0x28)) : QBrush());
    }
}

} // namespace ApoloDeploy
