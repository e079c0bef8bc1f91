// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "logs/FailureDiagnoser.h"
#include "logs/LogStream.h"

#include <QHash>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QSystemTrayIcon;
class QToolButton;

namespace ApoloDeploy {

class ApoloClient;
class DiagnosisCard;
class LaunchPhaseBar;
class LogFilterModel;
class LogLineDelegate;
class LogLineModel;

namespace Logs {
class LogFollower;
}
namespace Planner {
struct MemoryPlan;
}

// Live logs of a deployment: head, workers and the vLLM server merged with an origin column (or
// one at a time through the origin filter), virtualised over a capped ring buffer, batched into
// the view at most ten times a second. Above the lines: the launch phase with loading progress,
// the diagnosis card with the fix, and planned-against-measured memory.
//
// Follow mode stops when the user scrolls up; an "N new lines" pill brings them back. Search
// (next/previous, highlighted), filters by level, origin and regex, wrap and timestamps
// (remembered), copy, Save full log (everything since the job started, from the spill file).
class LogPane final : public QWidget
{
    Q_OBJECT

public:
    explicit LogPane(QWidget *parent = nullptr);
    ~LogPane() override;

    // The platform client the streams use; without one, followJob() only records the job.
    void setClient(ApoloClient *client);
    // Follows a job; the most recently followed job drives the phase bar (call it last for the
    // serving worker). Several jobs are merged; pick one in the origin filter to see it alone.
    void followJob(const QString &jobId, const QString &sourceLabel);
    void unfollowJob(const QString &jobId);
    void clear();
    // The plan the deployment was launched with, compared with what vLLM measured at startup.
    void setMemoryPlan(const Planner::MemoryPlan &plan);

    Logs::LogFollower *follower() const { return m_follower; }
    LogLineModel *lineModel() const { return m_lines; }
    LogFilterModel *filterModel() const { return m_filter; }
    bool isFollowing() const { return m_following; }
    int newLinesWhilePaused() const { return m_newWhilePaused; }

Q_SIGNALS:
    void serverReady(const QString &jobId);
    void jobFailed(const QString &jobId, const ApoloDeploy::Logs::Diagnosis &diagnosis);

private:
    void buildUi();
    void onLinesFlushed(int added, qint64 dropped);
    void onScrolled(int value);
    void setFollowing(bool following);
    void refreshStatus();
    void findNext(bool backwards);
    void applyFilters();
    void updateViewModel();
    void copySelection();
    void saveFullLog();
    void notify(const QString &title, const QString &message, bool failure);
    void updateOriginChoices(const QString &origin);
    QString labelOf(const QString &jobId) const;

    Logs::LogFollower *m_follower = nullptr;
    LogLineModel *m_lines = nullptr;
    LogFilterModel *m_filter = nullptr;
    LogLineDelegate *m_delegate = nullptr;
    QListView *m_view = nullptr;
    LaunchPhaseBar *m_phaseBar = nullptr;
    DiagnosisCard *m_diagnosisCard = nullptr;
    QLabel *m_memoryLabel = nullptr;
    QLabel *m_statusLabel = nullptr;
    QLabel *m_bannerLabel = nullptr;
    QLineEdit *m_searchEdit = nullptr;
    QLineEdit *m_regexEdit = nullptr;
    QComboBox *m_levelCombo = nullptr;
    QComboBox *m_originCombo = nullptr;
    QCheckBox *m_wrapCheck = nullptr;
    QCheckBox *m_timestampsCheck = nullptr;
    QToolButton *m_followButton = nullptr;
    QPushButton *m_newLinesPill = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
    QTimer m_statusTimer;
    QString m_primaryJob;
    QHash<QString, QString> m_labels;       // job id -> label
    QHash<QString, bool> m_notifiedReady;   // job id -> serverReady sent
    QHash<QString, QString> m_notifiedFail; // job id -> failure kind announced
    std::unique_ptr<Planner::MemoryPlan> m_plan;
    int m_newWhilePaused = 0;
    bool m_following = true;
    bool m_autoScrolling = false;
};

} // namespace ApoloDeploy
