// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/LogPane.h"

#include "core/Settings.h"
#include "logs/LogFollower.h"
#include "models/LogFilterModel.h"
#include "models/LogLineModel.h"
#include "planner/StartupLogCalibration.h"
#include "ui/logs/DiagnosisCard.h"
#include "ui/logs/LaunchPhaseBar.h"
#include "ui/logs/LogLineDelegate.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QScrollBar>
#include <QShortcut>
#include <QSystemTrayIcon>
#include <QToolButton>
#include <QVBoxLayout>

namespace ApoloDeploy {

using namespace Logs;

LogPane::LogPane(QWidget *parent)
    : QWidget(parent)
    , m_follower(new LogFollower(nullptr, this))
    , m_lines(new LogLineModel(this))
    , m_filter(new LogFilterModel(this))
    , m_delegate(new LogLineDelegate(this))
{
    setObjectName(QStringLiteral("logPane"));
    m_lines->setCap(Settings::instance().value(Settings::Key::LogViewCap).toInt());
    m_filter->setSourceModel(m_lines);
    buildUi();
    connect(m_follower, &LogFollower::linesReceived, m_lines, &LogLineModel::appendLines);
    connect(m_lines, &LogLineModel::linesFlushed, this, &LogPane::onLinesFlushed);
    connect(m_filter, &LogFilterModel::filtersChanged, this, &LogPane::updateViewModel);
    connect(m_follower, &LogFollower::streamStateChanged, this,
            [this](const QString &jobId, LogStream::State state, const QString &detail) {
                if (state == LogStream::State::Reconnecting || state == LogStream::State::Failed)
                    m_statusLabel->setText(tr("%1: %2").arg(labelOf(jobId), detail));
                refreshStatus();
            });
    // Phase, diagnosis and notifications follow the classifier at the view's own pace.
    m_statusTimer.setInterval(250);
    connect(&m_statusTimer, &QTimer::timeout, this, &LogPane::refreshStatus);
    m_statusTimer.start();
}

LogPane::~LogPane() = default;

void LogPane::buildUi()
{
    m_searchEdit = new QLineEdit(this);
    m_searchEdit->setObjectName(QStringLiteral("searchLineEdit"));
    m_searchEdit->setPlaceholderText(tr("Find (Enter: next, Shift+Enter: previous)"));
    m_searchEdit->setAccessibleName(tr("Find in log"));
    m_searchEdit->setClearButtonEnabled(true);
    auto *previous = new QToolButton(this);
    previous->setObjectName(QStringLiteral("findPreviousToolButton"));
    previous->setText(tr("Previous"));
    auto *next = new QToolButton(this);
    next->setObjectName(QStringLiteral("findNextToolButton"));
    next->setText(tr("Next"));
    m_levelCombo = new QComboBox(this);
    m_levelCombo->setObjectName(QStringLiteral("levelComboBox"));
    m_levelCombo->setAccessibleName(tr("Minimum level"));
    m_levelCombo->addItem(tr("All levels"), int(LogLevel::Unknown));
    m_levelCombo->addItem(tr("Warnings and errors"), int(LogLevel::Warning));
    m_levelCombo->addItem(tr("Errors only"), int(LogLevel::Error));
    m_originCombo = new QComboBox(this);
    m_originCombo->setObjectName(QStringLiteral("originComboBox"));
    m_originCombo->setAccessibleName(tr("Show lines from"));
    m_originCombo->addItem(tr("All jobs"), QString());
    m_regexEdit = new QLineEdit(this);
    m_regexEdit->setObjectName(QStringLiteral("filterLineEdit"));
    m_regexEdit->setPlaceholderText(tr("Filter (regular expression)"));
    m_regexEdit->setAccessibleName(tr("Filter lines by regular expression"));
    m_regexEdit->setClearButtonEnabled(true);
    m_wrapCheck = new QCheckBox(tr("Wrap"), this);
    m_wrapCheck->setObjectName(QStringLiteral("wrapCheckBox"));
    m_timestampsCheck = new QCheckBox(tr("Timestamps"), this);
    m_timestampsCheck->setObjectName(QStringLiteral("timestampsCheckBox"));
    m_followButton = new QToolButton(this);
    m_followButton->setObjectName(QStringLiteral("followToolButton"));
    m_followButton->setText(tr("Follow"));
    m_followButton->setCheckable(true);
    m_followButton->setChecked(true);
    auto *save = new QToolButton(this);
    save->setObjectName(QStringLiteral("saveLogToolButton"));
    save->setText(tr("Save full log…"));

    auto *tools = new QHBoxLayout;
    tools->addWidget(m_searchEdit, 2);
    tools->addWidget(previous);
    tools->addWidget(next);
    tools->addWidget(m_levelCombo);
    tools->addWidget(m_originCombo);
    tools->addWidget(m_regexEdit, 1);
    tools->addWidget(m_wrapCheck);
    tools->addWidget(m_timestampsCheck);
    tools->addWidget(m_followButton);
    tools->addWidget(save);

    m_phaseBar = new LaunchPhaseBar(this);
    m_diagnosisCard = new DiagnosisCard(this);
    m_memoryLabel = new QLabel(this);
    m_memoryLabel->setObjectName(QStringLiteral("memoryCalibrationLabel"));
    m_memoryLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_memoryLabel->hide();
    m_bannerLabel = new QLabel(this);
    m_bannerLabel->setObjectName(QStringLiteral("notificationBannerLabel"));
    m_bannerLabel->setWordWrap(true);
    m_bannerLabel->hide();

    m_view = new QListView(this);
    m_view->setObjectName(QStringLiteral("logListView"));
    m_view->setAccessibleName(tr("Log lines"));
    // Without a filter the view shows the lines model itself: QListView lays out every row through
    // index() on each update, and through a QSortFilterProxyModel each of those is a mapping lookup.
    m_view->setModel(m_lines);
    m_view->setItemDelegate(m_delegate);
    m_view->setUniformItemSizes(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);

    m_newLinesPill = new QPushButton(m_view);
    m_newLinesPill->setObjectName(QStringLiteral("newLinesPushButton"));
    m_newLinesPill->setAccessibleName(tr("Jump to the newest lines"));
    m_newLinesPill->hide();
    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(QStringLiteral("logStatusLabel"));

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(tools);
    layout->addWidget(m_phaseBar);
    layout->addWidget(m_diagnosisCard);
    layout->addWidget(m_memoryLabel);
    layout->addWidget(m_bannerLabel);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_statusLabel);

    Settings &settings = Settings::instance();
    m_wrapCheck->setChecked(settings.value(Settings::Key::LogWrap).toBool());
    m_timestampsCheck->setChecked(settings.value(Settings::Key::LogTimestamps).toBool());
    const auto applyWrap = [this](bool wrap) {
        m_delegate->setWrap(wrap);
        m_view->setWordWrap(wrap);
        // Wrapped rows have different heights: lay them out in batches so 100k rows never freeze.
        m_view->setUniformItemSizes(!wrap);
        m_view->setLayoutMode(wrap ? QListView::Batched : QListView::SinglePass);
        m_view->setHorizontalScrollBarPolicy(wrap ? Qt::ScrollBarAlwaysOff : Qt::ScrollBarAsNeeded);
        m_view->doItemsLayout();
    };
    applyWrap(m_wrapCheck->isChecked());
    m_delegate->setShowTimestamps(m_timestampsCheck->isChecked());
    connect(m_wrapCheck, &QCheckBox::toggled, this, [applyWrap](bool on) {
        applyWrap(on);
        Settings::instance().setValue(Settings::Key::LogWrap, on);
    });
    connect(m_timestampsCheck, &QCheckBox::toggled, this, [this](bool on) {
        m_delegate->setShowTimestamps(on);
        m_view->viewport()->update();
        Settings::instance().setValue(Settings::Key::LogTimestamps, on);
    });
    connect(m_followButton, &QToolButton::toggled, this, &LogPane::setFollowing);
    connect(m_newLinesPill, &QPushButton::clicked, this, [this] { setFollowing(true); });
    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this, &LogPane::onScrolled);
    // The range also changes when the view gets shorter (the diagnosis card appears): a
    // following view stays on the newest line.
    connect(m_view->verticalScrollBar(), &QScrollBar::rangeChanged, this, [this] {
        if (!m_following)
            return;
        m_autoScrolling = true;
        m_view->scrollToBottom();
        m_autoScrolling = false;
    });
    connect(m_searchEdit, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_delegate->setHighlight(text);
        m_view->viewport()->update();
    });
    connect(m_searchEdit, &QLineEdit::returnPressed, this,
            [this] { findNext(QApplication::keyboardModifiers() & Qt::ShiftModifier); });
    connect(next, &QToolButton::clicked, this, [this] { findNext(false); });
    connect(previous, &QToolButton::clicked, this, [this] { findNext(true); });
    connect(m_levelCombo, &QComboBox::currentIndexChanged, this, &LogPane::applyFilters);
    connect(m_originCombo, &QComboBox::currentIndexChanged, this, &LogPane::applyFilters);
    connect(m_regexEdit, &QLineEdit::textChanged, this, &LogPane::applyFilters);
    connect(save, &QToolButton::clicked, this, &LogPane::saveFullLog);
    connect(m_diagnosisCard, &DiagnosisCard::showLineRequested, this, [this](qint64 number) {
        const QAbstractItemModel *shown = m_view->model();
        for (int row = shown->rowCount() - 1; row >= 0; --row) {
            const QModelIndex index = shown->index(row, 0);
            if (index.data(LogLineModel::LineNumberRole).toLongLong() == number &&
                index.data(LogLineModel::JobRole).toString() == labelOf(m_primaryJob)) {
                setFollowing(false);
                m_view->setCurrentIndex(index);
                m_view->scrollTo(index, QAbstractItemView::PositionAtCenter);
                return;
            }
        }
        m_statusLabel->setText(tr("Line %1 is no longer in the view; Save full log has it.").arg(number));
    });
    auto *copy = new QShortcut(QKeySequence::Copy, m_view);
    connect(copy, &QShortcut::activated, this, &LogPane::copySelection);
    auto *find = new QShortcut(QKeySequence::Find, this);
    connect(find, &QShortcut::activated, this, [this] {
        m_searchEdit->setFocus();
        m_searchEdit->selectAll();
    });
}

void LogPane::setClient(ApoloClient *client)
{
    m_follower->setClient(client);
}

QString LogPane::labelOf(const QString &jobId) const
{
    return m_labels.value(jobId, jobId);
}

void LogPane::followJob(const QString &jobId, const QString &sourceLabel)
{
    const QString label = sourceLabel.isEmpty() ? jobId : sourceLabel;
    m_labels.insert(jobId, label);
    m_primaryJob = jobId;
    updateOriginChoices(label);
    m_follower->follow(jobId, label);
    refreshStatus();
}

void LogPane::unfollowJob(const QString &jobId)
{
    m_follower->unfollow(jobId);
    if (m_primaryJob == jobId)
        m_primaryJob = m_labels.isEmpty()                ? QString()
                       : m_follower->streams().isEmpty() ? QString()
                                                         : m_follower->streams().constLast()->options().jobId;
}

void LogPane::clear()
{
    m_follower->unfollowAll();
    m_lines->clear();
    m_labels.clear();
    m_notifiedReady.clear();
    m_notifiedFail.clear();
    m_primaryJob.clear();
    m_phaseBar->reset();
    m_diagnosisCard->hide();
    m_bannerLabel->hide();
    while (m_originCombo->count() > 1)
        m_originCombo->removeItem(1);
}

void LogPane::updateOriginChoices(const QString &origin)
{
    if (m_originCombo->findData(origin) < 0)
        m_originCombo->addItem(origin, origin);
}

void LogPane::applyFilters()
{
    m_filter->setMinimumLevel(LogLevel(m_levelCombo->currentData().toInt()));
    const QString origin = m_originCombo->currentData().toString();
    m_filter->setOrigins(origin.isEmpty() ? QSet<QString>() : QSet<QString>{origin});
    m_filter->setTextPattern(m_regexEdit->text());
    m_regexEdit->setToolTip(m_filter->patternError());
    m_regexEdit->setStyleSheet(m_filter->patternError().isEmpty() ? QString() : QStringLiteral("color: #b3261e;"));
    if (m_following)
        m_view->scrollToBottom();
}

void LogPane::updateViewModel()
{
    QAbstractItemModel *wanted = m_filter->isActive() ? static_cast<QAbstractItemModel *>(m_filter) : m_lines;
    if (m_view->model() == wanted)
        return;
    QItemSelectionModel *previous = m_view->selectionModel(); // setModel() does not delete it
    m_view->setModel(wanted);
    delete previous;
    if (m_following) {
        m_autoScrolling = true;
        m_view->scrollToBottom();
        m_autoScrolling = false;
    }
}

void LogPane::onLinesFlushed(int added, qint64 dropped)
{
    m_statusLabel->setText(dropped > 0 ? tr("%L1 lines shown; buffer truncated: the oldest %L2 lines were dropped "
                                            "(Save full log has everything)")
                                             .arg(m_lines->rowCount())
                                             .arg(dropped)
                                       : tr("%L1 lines").arg(m_lines->rowCount()));
    if (m_following) {
        m_autoScrolling = true;
        m_view->scrollToBottom();
        m_autoScrolling = false;
        return;
    }
    m_newWhilePaused += added;
    m_newLinesPill->setText(tr("%Ln new line(s) ↓", nullptr, m_newWhilePaused));
    m_newLinesPill->adjustSize();
    m_newLinesPill->move((m_view->width() - m_newLinesPill->width()) / 2,
                         m_view->height() - m_newLinesPill->height() - 12);
    m_newLinesPill->show();
    m_newLinesPill->raise();
}

void LogPane::onScrolled(int value)
{
    if (m_autoScrolling)
        return;
    const bool atBottom = value >= m_view->verticalScrollBar()->maximum();
    if (atBottom != m_following)
        setFollowing(atBottom);
}

void LogPane::setFollowing(bool following)
{
    m_following = following;
    const QSignalBlocker blocker(m_followButton);
    m_followButton->setChecked(following);
    if (following) {
        m_newWhilePaused = 0;
        m_newLinesPill->hide();
        m_autoScrolling = true;
        m_view->scrollToBottom();
        m_autoScrolling = false;
    }
}

void LogPane::findNext(bool backwards)
{
    const QString term = m_searchEdit->text();
    if (term.isEmpty())
        return;
    m_lines->flush();
    const QAbstractItemModel *shown = m_view->model();
    const int rows = shown->rowCount();
    const int start = m_view->currentIndex().isValid() ? m_view->currentIndex().row() : (backwards ? rows : -1);
    for (int step = 1; step <= rows; ++step) {
        const int row = ((backwards ? start - step : start + step) % rows + rows) % rows;
        const QModelIndex index = shown->index(row, 0);
        if (index.data(LogLineModel::TextRole).toString().contains(term, Qt::CaseInsensitive)) {
            setFollowing(false);
            m_view->setCurrentIndex(index);
            m_view->scrollTo(index, QAbstractItemView::PositionAtCenter);
            m_statusLabel->setText(tr("Match on line %1").arg(index.data(LogLineModel::LineNumberRole).toLongLong()));
            return;
        }
    }
    m_statusLabel->setText(tr("\"%1\" is not in the lines shown.").arg(term));
}

void LogPane::copySelection()
{
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    QStringList text;
    for (const QModelIndex &index : std::as_const(rows))
        text << LogLineModel::formatLine(
            m_lines->lineAt(index.model() == m_filter ? m_filter->mapToSource(index).row() : index.row()),
            m_timestampsCheck->isChecked());
    if (!text.isEmpty())
        QGuiApplication::clipboard()->setText(text.join(QLatin1Char('\n')));
}

void LogPane::saveFullLog()
{
    const QString origin = m_originCombo->currentData().toString();
    LogStream *stream = nullptr;
    for (LogStream *candidate : m_follower->streams()) {
        if ((origin.isEmpty() && candidate->options().jobId == m_primaryJob) || candidate->options().label == origin)
            stream = candidate;
    }
    if (!stream) {
        m_statusLabel->setText(tr("No job is followed: nothing to save."));
        return;
    }
    // Non-modal dialog: the log keeps streaming while the user picks a file.
    auto *dialog = new QFileDialog(this, tr("Save the full log of %1").arg(stream->options().label));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->selectFile(stream->options().label + QStringLiteral(".log"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QPointer<LogStream> target(stream);
    connect(dialog, &QFileDialog::fileSelected, this, [this, target](const QString &file) {
        QString error;
        if (!target)
            error = tr("The job is no longer followed.");
        else if (target->saveFullLog(file, m_timestampsCheck->isChecked(), &error))
            m_statusLabel->setText(tr("Saved %L1 lines to %2").arg(target->linesKept()).arg(file));
        if (!error.isEmpty())
            m_statusLabel->setText(error);
    });
    dialog->open();
}

} // namespace ApoloDeploy
