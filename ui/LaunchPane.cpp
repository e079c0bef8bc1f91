// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/LaunchPane.h"

#include "apolo/ApoloClient.h"
#include "deploy/DeploymentFlow.h"
#include "deploy/DeploymentName.h"
#include "deploy/DeploymentState.h"
#include "deploy/DeploymentValidator.h"
#include "deploy/JobPreview.h"
#include "deploy/LaunchSequence.h"
#include "deploy/PlanFitRule.h"
#include "deploy/Teardown.h"
#include "flow/FlowChecker.h"
#include "planner/DeploymentPlanner.h"
#include "ui/launch/DeploymentForm.h"
#include "ui/launch/PhaseListWidget.h"

#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace ApoloDeploy {

namespace {

QPlainTextEdit *readOnlyText(const char *objectName, const QString &accessibleName)
{
    auto *edit = new QPlainTextEdit;
    edit->setObjectName(QString::fromLatin1(objectName));
    edit->setAccessibleName(accessibleName);
    edit->setReadOnly(true);
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return edit;
}

QPushButton *button(const char *objectName, const QString &text)
{
    auto *b = new QPushButton(text);
    b->setObjectName(QString::fromLatin1(objectName));
    return b;
}

} // namespace

LaunchPane::LaunchPane(QWidget *parent)
    : QWidget(parent)
    , m_form(new DeploymentForm)
    , m_tabs(new QTabWidget)
    , m_apoloRunPreview(readOnlyText("apoloRunPlainTextEdit", tr("apolo run preview")))
    , m_flowPreview(readOnlyText("flowPlainTextEdit", tr("live.yml preview")))
    , m_progress(readOnlyText("progressPlainTextEdit", tr("Launch progress")))
    , m_phases(new PhaseListWidget)
    , m_summary(new QLabel)
    , m_outcome(new QLabel)
    , m_launchButton(button("launchPushButton", tr("&Launch")))
    , m_tearDownButton(button("tearDownPushButton", tr("&Tear down")))
    , m_importButton(button("importPushButton", tr("&Import live.yml…")))
    , m_saveFlowButton(button("saveFlowPushButton", tr("&Save live.yml…")))
    , m_previewTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("launchPane"));
    m_form->setObjectName(QStringLiteral("deploymentForm"));
    m_summary->setObjectName(QStringLiteral("summaryLabel"));
    m_summary->setWordWrap(true);
    m_outcome->setObjectName(QStringLiteral("outcomeLabel"));
    m_outcome->setAccessibleName(tr("Launch outcome"));
    m_outcome->setWordWrap(true);
    m_outcome->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_outcome->setOpenExternalLinks(false); // the endpoint wants the token: chat from the Chat pane
    m_outcome->setVisible(false);
    m_progress->setMaximumBlockCount(2000);                   // bounded: the log pane keeps the full server log
    m_progress->setLineWrapMode(QPlainTextEdit::WidgetWidth); // sentences, not log lines
    m_tabs->setObjectName(QStringLiteral("previewTabWidget"));

    auto *formScroll = new QScrollArea;
    formScroll->setObjectName(QStringLiteral("formScrollArea"));
    formScroll->setWidgetResizable(true);
    formScroll->setWidget(m_form);
    // The form never scrolls sideways: the area is as wide as the form needs.
    formScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    formScroll->setMinimumWidth(m_form->minimumSizeHint().width() +
                                formScroll->verticalScrollBar()->sizeHint().width() + 2 * formScroll->frameWidth());

    auto *progressPage = new QWidget;
    auto *progressLayout = new QHBoxLayout(progressPage);
    progressLayout->addWidget(m_phases);
    progressLayout->addWidget(m_progress, 1);
    m_tabs->addTab(progressPage, tr("Progress"));
    m_tabs->addTab(m_apoloRunPreview, tr("apolo run"));
    m_tabs->addTab(m_flowPreview, tr("live.yml"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_importButton);
    buttons->addWidget(m_saveFlowButton);
    buttons->addStretch();
    buttons->addWidget(m_tearDownButton);
    buttons->addWidget(m_launchButton);

    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_summary);
    rightLayout->addWidget(m_outcome);
    rightLayout->addWidget(m_tabs, 1);
    rightLayout->addLayout(buttons);

    auto *splitter = new QSplitter;
    splitter->setObjectName(QStringLiteral("launchSplitter"));
    splitter->addWidget(formScroll);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    m_previewTimer->setSingleShot(true);
    m_previewTimer->setInterval(150); // typing stays fluid: the preview follows after a pause
    connect(m_previewTimer, &QTimer::timeout, this, &LaunchPane::revalidate);
    connect(m_form, &DeploymentForm::changed, m_previewTimer, qOverload<>(&QTimer::start));
    connect(m_launchButton, &QPushButton::clicked, this, &LaunchPane::launch);
    connect(m_tearDownButton, &QPushButton::clicked, this, &LaunchPane::tearDown);
    connect(m_saveFlowButton, &QPushButton::clicked, this, &LaunchPane::saveFlow);
    connect(m_importButton, &QPushButton::clicked, this, &LaunchPane::chooseFlowToImport);
    revalidate();
}

LaunchPane::~LaunchPane() = default;

void LaunchPane::setClient(ApoloClient *client)
{
    m_client = client;
    QStringList presets;
    if (client && client->currentCluster()) {
        for (const Preset &preset : client->currentCluster()->presets)
            presets << preset.name;
    }
    m_form->setPresets(presets);
    revalidate();
}

void LaunchPane::setDeployment(const Deployment &deployment)
{
    m_form->setDeployment(deployment);
    revalidate();
}

Deployment LaunchPane::deployment() const
{
    return m_form->deployment();
}

bool LaunchPane::isLaunching() const
{
    return m_sequence && m_sequence->isRunning();
}

void LaunchPane::usePlan(const Planner::DeploymentPlan &plan)
{
    if (!plan.isValid())
        return;
    Deployment d = m_form->deployment();
    d.model = plan.modelId;
    if (!plan.presetName.isEmpty())
        d.preset = plan.presetName;
    d.tensorParallel = plan.request.tensorParallel;
    d.pipelineParallel = plan.request.pipelineParallel;
    d.maxModelLen = int(plan.request.maxModelLen);
    d.gpuMemoryUtilization = plan.request.gpuMemoryUtilization;
    d.enforceEager = plan.request.enforceEager;
    d.kvCacheDtype =
        plan.request.kvCacheDtype == Planner::KvCacheDtype::Fp8 ? QStringLiteral("fp8") : QStringLiteral("auto");
    for (const QString &pair : plan.recommended.environment) {
        const qsizetype equals = pair.indexOf(QLatin1Char('='));
        if (equals > 0)
            d.extraEnv.insert(pair.left(equals), pair.mid(equals + 1));
    }
    if (d.name.isEmpty())
        d.name = suggestDeploymentName(plan.modelId);
    setDeployment(d);
    Q_EMIT statusMessage(tr("The form now holds the plan for %1.").arg(plan.modelId));
}

void LaunchPane::revalidate()
{
    const Deployment d = m_form->deployment();
    DeploymentValidator validator;
    const Cluster *cluster = m_client ? m_client->currentCluster() : nullptr;
    if (cluster) {
        if (const Preset *preset = cluster->preset(d.preset))
            validator.setPresetFacts({preset->gpuCount(), true});
    }
    // What vLLM would refuse (TP vs heads, weights and KV cache per GPU) shows next to the field.
    PlanFitRule(PlanFitRule::presetsOf(cluster)).installIn(validator);
    const QList<ValidationIssue> issues = validator.validate(d);
    m_form->showIssues(issues);
    m_valid = !DeploymentValidator::hasErrors(issues);
    updatePreview();
    updateButtons();
}

void LaunchPane::updatePreview()
{
    const Deployment d = m_form->deployment();
    m_apoloRunPreview->setPlainText(JobPreview::script(d));
    m_flowPreview->setPlainText(QString::fromUtf8(DeploymentFlow::exportYaml(d)));
    QString summary = tr("<b>%1</b>: %2 on %3 node(s) × %4 GPU(s) (%5 GPUs), preset %6.")
                          .arg(d.name.toHtmlEscaped(), d.model.toHtmlEscaped())
                          .arg(d.nodeCount())
                          .arg(d.tensorParallel)
                          .arg(d.totalGpus())
                          .arg(d.preset.toHtmlEscaped());
    if (m_client && m_client->currentCluster()) {
        if (const Preset *preset = m_client->currentCluster()->preset(d.preset))
            summary +=
                QLatin1Char(' ') +
                tr("About %1 credits/h.").arg(preset->creditsPerHourValue().scaled(d.nodeCount(), 1).toString(2));
    }
    m_summary->setText(summary);
    m_phases->configure(d.nodeCount(), d.openWebUi);
}

void LaunchPane::updateButtons()
{
    const bool busy = isLaunching() || (m_teardown && m_teardown->isRunning());
    m_launchButton->setEnabled(m_valid && m_client && !busy);
    m_launchButton->setToolTip(!m_client  ? tr("Sign in (or use the sandbox) to launch.")
                               : !m_valid ? tr("Fix the fields marked in red first.")
                                          : QString());
    m_tearDownButton->setEnabled(m_client && !(m_teardown && m_teardown->isRunning()) && m_sequence);
    m_form->setEnabled(!busy);
    m_importButton->setEnabled(!busy);
}

void LaunchPane::attachSequence(LaunchSequence *sequence)
{
    m_sequence = sequence;
    sequence->setOptions(m_launchOptions);
    connect(sequence, &LaunchSequence::phaseChanged, this, [this](LaunchPhase phase) {
        m_phases->setPhase(phase);
        appendProgress(QStringLiteral("[%1]").arg(launchPhaseDisplayName(phase)));
        updateButtons();
    });
    connect(sequence, &LaunchSequence::progress, this, &LaunchPane::appendProgress);
    connect(sequence, &LaunchSequence::jobUpdated, this, [this](const Job &job) {
        Q_EMIT launchJobUpdated(job);
        if (m_announcedJobs.contains(job.id))
            return;
        m_announcedJobs << job.id;
        Q_EMIT launchJobCreated(job.id, job.name);
        if (job.tags.contains(QStringLiteral("role:server")))
            Q_EMIT serverJobCreated(job.id);
    });
    connect(sequence, &LaunchSequence::ready, this, [this](const QUrl &endpoint) {
        updateButtons();
        const QString api = endpoint.toString(QUrl::StripTrailingSlash) + QStringLiteral("/v1");
        showOutcome(
            tr("<b>Ready</b> at <tt>%1</tt>, model <tt>%2</tt>.")
                .arg(api.toHtmlEscaped(), m_sequence->state().deployment.effectiveServedModelName().toHtmlEscaped()),
            false);
        Q_EMIT ready(endpoint, m_sequence->state().deployment.effectiveServedModelName());
        Q_EMIT statusMessage(tr("%1 is ready.").arg(m_sequence->state().deployment.name));
    });
    connect(sequence, &LaunchSequence::failed, this, [this](const QString &reason, const QString &hint) {
        updateButtons();
        showOutcome(tr("<b>Failed:</b> %1").arg(reason.toHtmlEscaped()) +
                        (hint.isEmpty() ? QString() : QStringLiteral("<br>") + hint.toHtmlEscaped()),
                    true);
        appendProgress(tr("FAILED: %1").arg(reason));
        if (!hint.isEmpty())
            appendProgress(tr("Hint: %1").arg(hint));
        // Never leave a half-created deployment silently: ask what to do with its jobs.
        auto *box = new QMessageBox(QMessageBox::Warning, tr("Launch failed"), reason, QMessageBox::NoButton, this);
        box->setObjectName(QStringLiteral("launchFailedMessageBox"));
        box->setInformativeText(hint.isEmpty()
                                    ? tr("Tear down the jobs that were created?")
                                    : hint + QStringLiteral("\n\n") + tr("Tear down the jobs that were created?"));
        QPushButton *tear = box->addButton(tr("Tear down"), QMessageBox::DestructiveRole);
        box->addButton(tr("Keep the jobs"), QMessageBox::RejectRole);
        box->setAttribute(Qt::WA_DeleteOnClose);
        connect(box, &QMessageBox::buttonClicked, this, [this, tear](QAbstractButton *clicked) {
            if (clicked == tear)
                tearDown();
        });
        box->open();
    });
}

void LaunchPane::showOutcome(const QString &html, bool failure)
{
    m_outcome->setText(html);
    m_outcome->setStyleSheet(failure ? QStringLiteral("color: #c62828;") : QStringLiteral("color: #1b7f3b;"));
    m_outcome->setVisible(!html.isEmpty());
}

void LaunchPane::launch()
{
    if (!m_client || !m_valid)
        return;
    const Deployment d = m_form->deployment();
    delete m_sequence;
    m_progress->clear();
    showOutcome(QString(), false);
    m_phases->configure(d.nodeCount(), d.openWebUi);
    attachSequence(new LaunchSequence(m_client, this));
    m_tabs->setCurrentIndex(0);
    m_sequence->start(d);
    updateButtons();
}

void LaunchPane::resumeSavedLaunch()
{
    if (!m_client || isLaunching())
        return;
    std::optional<DeploymentState> newest;
    for (const QString &name : DeploymentStore::names()) {
        const std::optional<DeploymentState> state = DeploymentStore::load(name);
        if (state && isLaunchActive(state->phase) && (!newest || state->updatedAt > newest->updatedAt))
            newest = state;
    }
    if (!newest)
        return;
    m_form->setDeployment(newest->deployment);
    m_phases->configure(newest->deployment.nodeCount(), newest->deployment.openWebUi);
    attachSequence(new LaunchSequence(m_client, this));
    m_sequence->resume(*newest);
    updateButtons();
}

void LaunchPane::tearDown()
{
    if (!m_client)
        return;
    const QString name = m_sequence ? m_sequence->state().deployment.name : m_form->deployment().name;
    const QStringList ids = m_sequence ? m_sequence->state().jobIds() : QStringList();
    if (m_sequence)
        m_sequence->stop();
    if (!m_teardown) {
        m_teardown = new Teardown(m_client, this);
        connect(m_teardown, &Teardown::progress, this, &LaunchPane::appendProgress);
        connect(m_teardown, &Teardown::finished, this, [this](bool ok, const QString &message) {
            if (ok)
                DeploymentStore::remove(m_teardown->deploymentName());
            showOutcome(message.toHtmlEscaped(), !ok);
            Q_EMIT statusMessage(message);
            updateButtons();
        });
    }
    m_teardown->start(name, ids);
    updateButtons();
}

void LaunchPane::saveFlow()
{
    auto *dialog = new QFileDialog(this, tr("Save live.yml"), QString(), tr("apolo-flow files (*.yml *.yaml)"));
    dialog->setObjectName(QStringLiteral("saveFlowFileDialog"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->selectFile(QStringLiteral("live.yml"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QByteArray yaml = DeploymentFlow::exportYaml(m_form->deployment());
    connect(dialog, &QFileDialog::fileSelected, this, [this, yaml](const QString &path) {
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(yaml) != yaml.size() || !file.commit())
            Q_EMIT statusMessage(tr("Could not write %1: %2").arg(path, file.errorString()));
        else
            Q_EMIT statusMessage(tr("Saved %1.").arg(path));
    });
    dialog->open();
}

void LaunchPane::chooseFlowToImport()
{
    auto *dialog = new QFileDialog(this, tr("Import live.yml"), QString(), tr("apolo-flow files (*.yml *.yaml)"));
    dialog->setObjectName(QStringLiteral("importFlowFileDialog"));
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, &LaunchPane::importFlow);
    dialog->open();
}

void LaunchPane::importFlow(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        Q_EMIT statusMessage(tr("Could not read %1: %2").arg(path, file.errorString()));
        return;
    }
    const FlowReadResult read = FlowChecker::readAndCheck(file.readAll());
    DeploymentFlow::ImportOptions options;
    options.projectId = DeploymentFlow::projectIdForPath(path);
    options.referenceMaxModelLen = m_form->deployment().maxModelLen;
    const DeploymentFlow::ImportResult imported = DeploymentFlow::fromLiveFlow(read.flow, options);
    m_progress->setPlainText(FlowChecker::format(read.issues + imported.issues, QFileInfo(path).fileName()));
    m_tabs->setCurrentIndex(0);
    if (imported.recognised) {
        setDeployment(imported.deployment);
        Q_EMIT statusMessage(
            tr("Imported %1 from %2; see the notes under Progress.").arg(imported.deployment.model, path));
    } else {
        Q_EMIT statusMessage(
            tr("%1 is not a Ray + vLLM deployment; run its jobs with 'apolo-deploy flow run'.").arg(path));
    }
}

void LaunchPane::appendProgress(const QString &line)
{
    m_progress->appendPlainText(line);
}

} // namespace ApoloDeploy
