// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/workloads/ScriptPlayer.h"

#include <QDateTime>
#include <QPointer>

#include <algorithm>
#include <cmath>

namespace ApoloDeploy::Sandbox {

ScriptPlayer::ScriptPlayer(std::function<double()> timeScale, QObject *parent)
    : QObject(parent)
    , m_timeScale(std::move(timeScale))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ScriptPlayer::emitDue);
}

void ScriptPlayer::play(const LogScript &script, double fromSeconds)
{
    m_script = script;
    m_next = 0;
    m_stopped = false;
    m_origin = fromSeconds;
    m_startedMs = QDateTime::currentMSecsSinceEpoch();
    scheduleNext();
}

void ScriptPlayer::stop()
{
    m_stopped = true;
    m_timer.stop();
    m_next = m_script.size();
}

void ScriptPlayer::scheduleNext()
{
    if (m_stopped)
        return;
    if (m_next >= m_script.size()) {
        Q_EMIT finished();
        return;
    }
    const double scale = std::max(1e-6, m_timeScale());
    const double dueMs = (m_script.at(m_next).atSeconds - m_origin) * 1000.0 / scale;
    const qint64 elapsedMs = QDateTime::currentMSecsSinceEpoch() - m_startedMs;
    m_timer.start(int(std::clamp(std::ceil(dueMs - elapsedMs), 0.0, 3600.0 * 1000.0)));
}

void ScriptPlayer::emitDue()
{
    const double scale = std::max(1e-6, m_timeScale());
    const double nowSeconds = m_origin + (QDateTime::currentMSecsSinceEpoch() - m_startedMs) * scale / 1000.0;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QByteArray batch;
    QList<LogScriptLine> printed;
    while (m_next < m_script.size() && m_script.at(m_next).atSeconds <= nowSeconds + 1e-9) {
        const LogScriptLine &line = m_script.at(m_next++);
        batch += line.render(now).toUtf8();
        printed << line;
    }
    // A slot may stop or delete the player (the container was killed mid-batch).
    const QPointer<ScriptPlayer> guard(this);
    if (!batch.isEmpty())
        Q_EMIT output(batch);
    for (const LogScriptLine &line : printed) {
        if (!guard || m_stopped)
            return;
        Q_EMIT linePrinted(line);
    }
    if (guard)
        scheduleNext();
}

} // namespace ApoloDeploy::Sandbox
