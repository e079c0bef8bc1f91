// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QWidget>

#include <functional>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeView;

namespace ApoloDeploy {

class ApoloClient;
class CostMeterWidget;
class JobsModel;
class JobsMonitor;
class Teardown;
struct Job;

// The project's jobs grouped by deployment: status, reason, description, status history,
// run time, credits/h and credits spent; actions on a job (logs, open URL, kill, extend the
// life span) and on a deployment (teardown, cost meter with budget).
class JobsPane final : public QWidget
{
    Q_OBJECT

public:
    explicit JobsPane(QWidget *parent = nullptr);
    ~JobsPane() override;

    void setClient(ApoloClient *client);
    // For MainWindow::closeEvent: true when the window may close now. With active deployments
    // it asks (without blocking) whether to keep them running or tear them down, returns false,
    // and closes `window` itself once the user decided (and the teardown finished).
    bool confirmClose(QWidget *window);
    // Re-lists the jobs now rather than at the next poll (a job was just created elsewhere).
    void refresh();
    // A fresher state of one job (from the launch's own polling): shown without waiting for a poll.
    void updateJob(const Job &job);

Q_SIGNALS:
    void logsRequested(const QString &jobId, const QString &label);
    void statusMessage(const QString &message);

private:
    void onJobsChanged(const QList<Job> &jobs);
    void onSelectionChanged();
    void killSelected();
    void extendSelected();
    void confirmTearDown();
    void tearDownDeployment(const QString &deployment, std::function<void(bool)> done = {});
    void showTearDownFailure(const QString &message);
    QString selectedDeployment() const;
    const Job *selectedJob() const;

    QPointer<ApoloClient> m_client;
    JobsMonitor *m_monitor = nullptr;
    JobsModel *m_model;
    QTreeView *m_tree;
    QPlainTextEdit *m_details;
    CostMeterWidget *m_cost;
    QPushButton *m_logsButton, *m_openButton, *m_killButton, *m_extendButton, *m_tearDownButton, *m_refreshButton;
    QLabel *m_status;
    bool m_closeConfirmed = false;
};

} // namespace ApoloDeploy
