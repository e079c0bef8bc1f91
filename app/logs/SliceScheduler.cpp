// SPDX-License-Identifier: GPL-3.0-or-later
#include "logs/SliceScheduler.h"

#include <QCoreApplication>
#include <QPointer>
#include <QThread>

namespace ApoloDeploy::Logs {

SliceScheduler *SliceScheduler::instance()
{
    static QPointer<SliceScheduler> scheduler;
    Q_ASSERT_X(!QCoreApplication::instance() || QThread::currentThread() == QCoreApplication::instance()->thread(),
               "SliceScheduler", "log streams live in the GUI thread");
    if (!scheduler)
        scheduler = new SliceScheduler(QCoreApplication::instance());
    return scheduler;
}

SliceScheduler::SliceScheduler(QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(0);
    connect(&m_timer, &QTimer::timeout, this, &SliceScheduler::runTurn);
}

void SliceScheduler::request(const QObject *owner, Work work)
{
    // Also during the owner's own call in runTurn(): then it stays queued for the next turn.
    if (!m_order.contains(owner))
        m_order.append(owner);
    m_work.insert(owner, std::move(work));
    if (!m_timer.isActive())
        m_timer.start();
}

void SliceScheduler::cancel(const QObject *owner)
{
    m_work.remove(owner);
    m_order.removeAll(owner);
}

void SliceScheduler::runTurn()
{
    const QDeadlineTimer deadline(budgetMs, Qt::PreciseTimer);
    const QList<const QObject *> order = std::exchange(m_order, {});
    QList<const QObject *> waited; // got no time this turn: first in the next
    QList<const QObject *> again;
    for (const QObject *owner : order) {
        const auto it = m_work.constFind(owner);
        if (it == m_work.constEnd())
            continue; // cancelled by an earlier one's work
        if (deadline.hasExpired()) {
            waited.append(owner);
            continue;
        }
        const Work work = *it; // the call may cancel or replace it
        const bool more = work(deadline);
        if (!m_work.contains(owner) || m_order.contains(owner))
            continue; // cancelled, or requested again during the call (already queued)
        if (more)
            again.append(owner);
        else
            m_work.remove(owner);
    }
    m_order = waited + again + m_order;
    if (!m_order.isEmpty() && !m_timer.isActive())
        m_timer.start();
}

} // namespace ApoloDeploy::Logs
