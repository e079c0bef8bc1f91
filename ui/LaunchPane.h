// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "deploy/Deployment.h"
#include "deploy/LaunchSequence.h"
#include "planner/DeploymentPlanner.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTimer;

namespace ApoloDeploy {

class ApoloClient;
class DeploymentForm;
class PhaseListWidget;
class Teardown;

// The deployment form (filled by hand, from the planner's "Use this plan" or from a live.yml),
// inline validation, the preview (apolo run commands and live.yml), the Launch button and the
// launch's phases and progress. It drives a LaunchSequence (core) and never talks to the
// network itself.
class LaunchPane final : public QWidget
{
    Q_OBJECT

public:
    explicit LaunchPane(QWidget *parent = nullptr);
    ~LaunchPane() override;

    // The signed-in client; nullptr while signed out (Launch is then disabled).
    void setClient(ApoloClient *client);
    void setDeployment(const Deployment &deployment);
    // Poll intervals of the next launch (tests and the sandbox's sped-up clock use shorter ones).
    void setLaunchOptions(const LaunchSequence::Options &options) { m_launchOptions = options; }
    Deployment deployment() const;
    // Continues the most recent launch that an earlier run of the app left unfinished.
    void resumeSavedLaunch();
    bool isLaunching() const;

public Q_SLOTS:
    // Connect to PlannerPane::planAccepted.
    void usePlan(const ApoloDeploy::Planner::DeploymentPlan &plan);
    void importFlow(const QString &path);
    // File dialogs (opened window-modally, no nested loop) for File > Import / Export Flow.
    void chooseFlowToImport();
    void saveFlow();

Q_SIGNALS:
    void ready(const QUrl &endpoint, const QString &servedModelName);
    // The serving job exists: the log pane can follow it.
    void serverJobCreated(const QString &jobId);
    // Any job of the launch (Ray head, workers, server, Open WebUI) exists, with its job name.
    void launchJobCreated(const QString &jobId, const QString &jobName);
    // Every fresh state of a job of the launch (it polls them every few seconds).
    void launchJobUpdated(const ApoloDeploy::Job &job);
    void statusMessage(const QString &message);

private:
    void revalidate();
    void updatePreview();
    void launch();
    void tearDown();
    void attachSequence(LaunchSequence *sequence);
    void appendProgress(const QString &line);
    // The launch's end under the summary: green when ready, red with the hint when it failed.
    void showOutcome(const QString &html, bool failure);
    void updateButtons();

    QPointer<ApoloClient> m_client;
    DeploymentForm *m_form;
    QTabWidget *m_tabs;
    QPlainTextEdit *m_apoloRunPreview;
    QPlainTextEdit *m_flowPreview;
    QPlainTextEdit *m_progress;
    PhaseListWidget *m_phases;
    QLabel *m_summary;
    QLabel *m_outcome;
    QPushButton *m_launchButton;
    QPushButton *m_tearDownButton;
    QPushButton *m_importButton;
    QPushButton *m_saveFlowButton;
    QTimer *m_previewTimer;
    LaunchSequence *m_sequence = nullptr;
    LaunchSequence::Options m_launchOptions;
    Teardown *m_teardown = nullptr;
    QStringList m_announcedJobs;
    bool m_valid = false;
};

} // namespace ApoloDeploy
