// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/JobsPane.h"

#include "apolo/ApoloClient.h"
#include "deploy/CostMeter.h"
#include "deploy/DeploymentState.h"
#include "deploy/JobsMonitor.h"
#include "deploy/Teardown.h"
#include "models/JobsModel.h"
#include "ui/jobs/CostMeterWidget.h"

#include <QDesktopServices>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTreeView>
#include <QVBoxLayout>

#include <memory>

namespace ApoloDeploy {

namespace {

QPushButton *button(const char *objectName, const QString &text)
{
    auto *b = new QPushButton(text);
    b->setObjectName(QString::fromLatin1(objectName));
    return b;
}

// The job's identity, endpoint and its status history as a timeline.
QString describeJob(const Job &job)
{
    QStringList lines;
    lines << QStringLiteral("%1  (%2)").arg(job.name, job.id);
    if (!job.description.isEmpty())
        lines << job.description;
    lines << JobsPane::tr("Image: %1").arg(job.container.image);
    lines << JobsPane::tr("Preset: %1   Run time: %2   Restarts: %3")
                 .arg(job.presetName, JobsModel::formatRunTime(job.runTimeSeconds()))
                 .arg(job.history.restarts);
    if (job.maxRunTimeMinutes)
        lines << JobsPane::tr("Life span: %1").arg(JobsModel::formatRunTime(*job.maxRunTimeMinutes * 60.0));
    if (job.preferredHttpUrl().isValid())
        lines << JobsPane::tr("URL: %1").arg(job.preferredHttpUrl().toString());
    if (!job.internalHostnameNamed.isEmpty())
        lines << JobsPane::tr("Internal hostname: %1").arg(job.internalHostnameNamed);
    lines << QString() << JobsPane::tr("History:");
    for (const JobStatusItem &item : job.statuses) {
        QString line =
            QStringLiteral("  %1  %2").arg(item.transitionTime.toLocalTime().toString(Qt::ISODate), item.statusText);
        if (!item.reason.isEmpty())
            line += QLatin1Char(' ') + item.reason;
        if (!item.description.isEmpty())
            line += QStringLiteral(" (") + item.description + QLatin1Char(')');
        if (item.exitCode)
            line += JobsPane::tr(", exit code %1").arg(*item.exitCode);
        lines << line;
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace

JobsPane::JobsPane(QWidget *parent)
    : QWidget(parent)
    , m_model(new JobsModel(this))
    , m_tree(new QTreeView)
    , m_details(new QPlainTextEdit)
    , m_cost(new CostMeterWidget)
    , m_logsButton(button("logsPushButton", tr("&Logs")))
    , m_openButton(button("openUrlPushButton", tr("&Open URL")))
    , m_killButton(button("killPushButton", tr("&Kill")))
    , m_extendButton(button("extendPushButton", tr("&Extend life span…")))
    , m_tearDownButton(button("tearDownDeploymentPushButton", tr("&Tear down deployment")))
    , m_refreshButton(button("refreshPushButton", tr("&Refresh")))
    , m_status(new QLabel)
{
    setObjectName(QStringLiteral("jobsPane"));
    m_tree->setObjectName(QStringLiteral("jobsTreeView"));
    m_tree->setAccessibleName(tr("Jobs by deployment"));
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_tree->header()->setStretchLastSection(true);
    m_details->setObjectName(QStringLiteral("jobDetailsPlainTextEdit"));
    m_details->setAccessibleName(tr("Job details and status history"));
    m_details->setReadOnly(true);
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_status->setObjectName(QStringLiteral("jobsStatusLabel"));

    auto *actions = new QHBoxLayout;
    for (QPushButton *b : {m_logsButton, m_openButton, m_killButton, m_extendButton, m_tearDownButton})
        actions->addWidget(b);
    actions->addStretch();
    actions->addWidget(m_status);
    actions->addWidget(m_refreshButton);

    auto *bottom = new QSplitter;
    bottom->addWidget(m_details);
    bottom->addWidget(m_cost);
    bottom->setStretchFactor(0, 3);
    bottom->setStretchFactor(1, 1);
    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->setObjectName(QStringLiteral("jobsSplitter"));
    splitter->addWidget(m_tree);
    splitter->addWidget(bottom);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(actions);
    layout->addWidget(splitter, 1);

    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, &JobsPane::onSelectionChanged);
    connect(m_logsButton, &QPushButton::clicked, this, [this] {
        if (const Job *job = selectedJob())
            Q_EMIT logsRequested(job->id, job->name.isEmpty() ? job->id : job->name);
    });
    connect(m_openButton, &QPushButton::clicked, this, [this] {
        if (const Job *job = selectedJob(); job && job->preferredHttpUrl().isValid())
            QDesktopServices::openUrl(job->preferredHttpUrl());
    });
    connect(m_killButton, &QPushButton::clicked, this, &JobsPane::killSelected);
    connect(m_extendButton, &QPushButton::clicked, this, &JobsPane::extendSelected);
    connect(m_tearDownButton, &QPushButton::clicked, this, &JobsPane::confirmTearDown);
    connect(m_cost, &CostMeterWidget::tearDownRequested, this, [this](const QString &d) { tearDownDeployment(d); });
    connect(m_refreshButton, &QPushButton::clicked, this, &JobsPane::refresh);
    onSelectionChanged();
}

JobsPane::~JobsPane() = default;

void JobsPane::refresh()
{
    if (m_monitor)
        m_monitor->refreshNow();
}

void JobsPane::updateJob(const Job &job)
{
    if (m_monitor)
        m_monitor->updateJob(job);
}

void JobsPane::setClient(ApoloClient *client)
{
    m_client = client;
    delete m_monitor;
    m_monitor = nullptr;
    if (!client) {
        m_model->setJobs({});
        return;
    }
    m_monitor = new JobsMonitor(client, this);
    connect(m_monitor, &JobsMonitor::jobsChanged, this, &JobsPane::onJobsChanged);
    connect(m_monitor, &JobsMonitor::refreshFailed, this,
            [this](const QString &message) { m_status->setText(tr("Refresh failed: %1").arg(message)); });
    connect(m_monitor, &JobsMonitor::actionFinished, this,
            [this](bool, const QString &message) { Q_EMIT statusMessage(message); });
    m_monitor->start();
}

void JobsPane::onJobsChanged(const QList<Job> &jobs)
{
    const QString keepDeployment = selectedDeployment();
    const Job *keepJob = selectedJob();
    const QString keepJobId = keepJob ? keepJob->id : QString();
    m_model->setJobs(jobs);
    m_tree->expandAll();
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QModelIndex group = m_model->index(row, 0);
        if (keepJobId.isEmpty() && group.data(JobsModel::DeploymentRole).toString() == keepDeployment)
            m_tree->setCurrentIndex(group);
        for (int child = 0; child < m_model->rowCount(group); ++child) {
            const QModelIndex index = m_model->index(child, 0, group);
            if (!keepJobId.isEmpty() && index.data(JobsModel::JobIdRole).toString() == keepJobId)
                m_tree->setCurrentIndex(index);
        }
    }
    // With nothing chosen yet, show the first deployment so its cost meter is not empty.
    if (!m_tree->currentIndex().isValid() && m_model->rowCount() > 0)
        m_tree->setCurrentIndex(m_model->index(0, 0));
    m_status->setText(tr("Updated %1").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss"))));
    onSelectionChanged();
}

QString JobsPane::selectedDeployment() const
{
    return m_tree->currentIndex().data(JobsModel::DeploymentRole).toString();
}

const Job *JobsPane::selectedJob() const
{
    return m_model->job(m_tree->currentIndex().siblingAtColumn(0));
}

void JobsPane::onSelectionChanged()
{
    const Job *job = selectedJob();
    const QString deployment = selectedDeployment();
    m_details->setPlainText(job ? describeJob(*job) : QString());
    m_cost->setJobs(deployment, m_model->jobsOfDeployment(deployment));
    const bool active = job && isActive(job->status);
    m_logsButton->setEnabled(job);
    m_openButton->setEnabled(job && job->preferredHttpUrl().isValid());
    m_killButton->setEnabled(active && m_client);
    m_extendButton->setEnabled(active && m_client);
    m_tearDownButton->setEnabled(!deployment.isEmpty() && m_client);
}

void JobsPane::killSelected()
{
    const Job *job = selectedJob();
    if (!job || !m_monitor)
        return;
    const QString id = job->id;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Kill job"), tr("Kill %1 (%2)?").arg(job->name, id),
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("killMessageBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::accepted, this, [this, id] {
        if (m_monitor)
            m_monitor->killJob(id);
    });
    box->open();
}

void JobsPane::extendSelected()
{
    const Job *job = selectedJob();
    if (!job || !m_monitor)
        return;
    const QString id = job->id;
    auto *dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("extendInputDialog"));
    dialog->setWindowTitle(tr("Extend life span"));
    dialog->setLabelText(tr("Add hours to %1's life span:").arg(job->name));
    dialog->setInputMode(QInputDialog::IntInput);
    dialog->setIntRange(1, 24 * 30);
    dialog->setIntValue(24);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QInputDialog::intValueSelected, this, [this, id](int hours) {
        if (m_monitor)
            m_monitor->extendLifeSpan(id, hours * 60);
    });
    dialog->open();
}

void JobsPane::confirmTearDown()
{
    const QString deployment = selectedDeployment();
    if (deployment.isEmpty() || !m_client)
        return;
    const int jobs = int(m_model->jobsOfDeployment(deployment).size());
    auto *box = new QMessageBox(QMessageBox::Question, tr("Tear down %1").arg(deployment),
                                tr("Kill every job of %1 (%n job(s) listed)?", nullptr, jobs).arg(deployment),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("tearDownMessageBox"));
    box->setInformativeText(tr("The model stops answering, and launching it again loads the weights again."));
    box->addButton(tr("Tear down"), QMessageBox::DestructiveRole);
    box->addButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, box, deployment](QAbstractButton *clicked) {
        if (box->buttonRole(clicked) == QMessageBox::DestructiveRole)
            tearDownDeployment(deployment);
    });
    box->open();
}

void JobsPane::showTearDownFailure(const QString &message)
{
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Teardown incomplete"), message, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("tearDownFailedMessageBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void JobsPane::tearDownDeployment(const QString &deployment, std::function<void(bool)> done)
{
    if (deployment.isEmpty() || !m_client)
        return;
    auto *teardown = new Teardown(m_client, this);
    const std::optional<DeploymentState> saved = DeploymentStore::load(deployment);
    connect(teardown, &Teardown::progress, this, [this](const QString &message) { m_status->setText(message); });
    connect(teardown, &Teardown::finished, this, [this, teardown, deployment, done](bool ok, const QString &message) {
        if (ok)
            DeploymentStore::remove(deployment);
        m_status->setText(message);
        Q_EMIT statusMessage(message);
        if (!ok && !done)
            showTearDownFailure(message);
        teardown->deleteLater();
        if (m_monitor)
            m_monitor->refreshNow();
        if (done)
            done(ok);
    });
    teardown->start(deployment, saved ? saved->jobIds() : QStringList());
}

bool JobsPane::confirmClose(QWidget *window)
{
    if (m_closeConfirmed || !m_monitor)
        return true;
    const QStringList active = m_monitor->activeDeployments().keys();
    if (active.isEmpty())
        return true;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Deployments are running"),
                                tr("%n deployment(s) still run and cost credits: %1.", nullptr, int(active.size()))
                                    .arg(active.join(QStringLiteral(", "))),
                                QMessageBox::NoButton, window);
    box->setObjectName(QStringLiteral("quitMessageBox"));
    box->setInformativeText(tr("Keep them running after the console quits, or tear them down first?"));
    QPushButton *keep = box->addButton(tr("Keep running and quit"), QMessageBox::AcceptRole);
    QPushButton *tear = box->addButton(tr("Tear down and quit"), QMessageBox::DestructiveRole);
    box->addButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPointer<QWidget> target(window);
    connect(box, &QMessageBox::buttonClicked, this, [this, keep, tear, active, target](QAbstractButton *clicked) {
        if (clicked == keep) {
            m_closeConfirmed = true;
            if (target)
                target->close();
        } else if (clicked == tear) {
            // Quit only once the platform agrees nothing is left; otherwise stay and say what is.
            auto remaining = std::make_shared<int>(int(active.size()));
            auto allStopped = std::make_shared<bool>(true);
            m_status->setText(tr("Tearing down before quitting…"));
            for (const QString &deployment : active)
                tearDownDeployment(deployment, [this, remaining, allStopped, target](bool ok) {
                    *allStopped = *allStopped && ok;
                    if (--*remaining > 0)
                        return;
                    if (!*allStopped) {
                        showTearDownFailure(tr("Some jobs are still active, so the console stays open. Try again, or "
                                               "kill them with 'apolo kill'."));
                        return;
                    }
                    m_closeConfirmed = true;
                    if (target)
                        target->close();
                });
        }
    });
    box->open();
    return false;
}

} // namespace ApoloDeploy
