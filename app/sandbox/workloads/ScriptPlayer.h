// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandbox/vllm/LogScriptLine.h"

#include <QObject>
#include <QTimer>

#include <functional>

namespace ApoloDeploy::Sandbox {

// Prints a log script in real time: a line scheduled at simulated second s appears s / timeScale
// real seconds after play(); lines that fall due together go out as one write.
class ScriptPlayer final : public QObject
{
    Q_OBJECT

public:
    explicit ScriptPlayer(std::function<double()> timeScale, QObject *parent = nullptr);

    void play(const LogScript &script, double fromSeconds);
    void stop();
    bool isPlaying() const { return m_next < m_script.size(); }

Q_SIGNALS:
    void output(const QByteArray &bytes);
    void linePrinted(const LogScriptLine &line);
    void finished();

private:
    void emitDue();
    void scheduleNext();

    std::function<double()> m_timeScale;
    LogScript m_script;
    qsizetype m_next = 0;
    bool m_stopped = false;
    double m_origin = 0;
    qint64 m_startedMs = 0;
    QTimer m_timer;
};

} // namespace ApoloDeploy::Sandbox
