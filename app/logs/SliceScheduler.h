// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDeadlineTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

#include <functional>

namespace ApoloDeploy::Logs {

// One time budget per event-loop turn, shared by every log stream of the GUI thread. A stream
// that processed its backlog on its own zero-timer took a whole budget per turn, so a pane
// following head, worker and server stalled the event loop three budgets long; here they take
// turns within one. Work runs round-robin: whoever got no time in a turn goes first in the next.
class SliceScheduler final : public QObject
{
    Q_OBJECT

public:
    static constexpr int budgetMs = 8;
    // Returns true while work is left: it is called again on a later turn.
    using Work = std::function<bool(const QDeadlineTimer &deadline)>;

    // The application's scheduler (created on first use, deleted with the application).
    static SliceScheduler *instance();

    // Runs work on the next turns until it returns false. A second request from the same
    // owner replaces its work and keeps its place.
    void request(const QObject *owner, Work work);
    void cancel(const QObject *owner);
    bool isScheduled(const QObject *owner) const { return m_work.contains(owner); }

private:
    explicit SliceScheduler(QObject *parent);
    void runTurn();

    QHash<const QObject *, Work> m_work;
    QList<const QObject *> m_order; // who runs first in the next turn
    QTimer m_timer;
};

} // namespace ApoloDeploy::Logs
