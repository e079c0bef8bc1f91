// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;

namespace ApoloDeploy {

namespace Logs {
class LogClassifier;
}

// "Loading weights  45%  ETA 00:32" above the log: where the launch is, from the log itself.
class LaunchPhaseBar final : public QWidget
{
    Q_OBJECT

public:
    explicit LaunchPhaseBar(QWidget *parent = nullptr);

    // Shows the state of one job's log (label: the job's name).
    void showState(const QString &label, const Logs::LogClassifier &classifier);
    void reset();
    QString phaseText() const;
    int progressValue() const;

private:
    QLabel *m_phaseLabel;
    QProgressBar *m_progress;
    QLabel *m_detailLabel;
};

} // namespace ApoloDeploy
