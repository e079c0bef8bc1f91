// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/chat/MessageListView.h"

#include "core/Settings.h"
#include "ui/chat/MessageWidget.h"

#include <QAbstractItemModel>
#include <QScrollBar>
#include <QVBoxLayout>

namespace ApoloDeploy {

MessageListView::MessageListView(QWidget *parent)
    : QScrollArea(parent)
    , m_content(new QWidget)
    , m_layout(new QVBoxLayout(m_content))
{
    setObjectName(QStringLiteral("messageListView"));
    setAccessibleName(tr("Conversation"));
    setWidgetResizable(true);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_content->setObjectName(QStringLiteral("messageListContentWidget"));
    m_content->setBackgroundRole(QPalette::Base);
    m_content->setAutoFillBackground(true);
    m_layout->setContentsMargins(4, 4, 4, 4);
    m_layout->setSpacing(6);
    m_layout->addStretch(1);
    setWidget(m_content);
    m_renderTimer.setSingleShot(true);
    m_renderTimer.setInterval(Settings::instance().value(Settings::Key::ChatRenderIntervalMs).toInt());
    connect(&m_renderTimer, &QTimer::timeout, this, &MessageListView::renderDirty);
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, [this] { m_followBottom = isAtBottom(); });
    // The content grows after rendering: keep the bottom in view if the user was there.
    connect(verticalScrollBar(), &QScrollBar::rangeChanged, this, [this](int, int max) {
        if (m_followBottom)
            verticalScrollBar()->setValue(max);
    });
}

bool MessageListView::isAtBottom() const
{
    const QScrollBar *bar = verticalScrollBar();
    return bar->value() >= bar->maximum() - 24;
}

void MessageListView::setModel(QAbstractItemModel *model)
{
    if (m_model)
        m_model->disconnect(this);
    m_model = model;
    connect(model, &QAbstractItemModel::modelReset, this, &MessageListView::rebuild);
    connect(model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { insertRows(first, last); });
    connect(model, &QAbstractItemModel::rowsRemoved, this,
            [this](const QModelIndex &, int first, int last) { removeRows(first, last); });
    connect(model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                markDirty(topLeft.row(), bottomRight.row());
            });
    rebuild();
}

void MessageListView::rebuild()
{
    qDeleteAll(m_widgets);
    m_widgets.clear();
    m_dirtyRows.clear();
    m_followBottom = true;
    if (m_model && m_model->rowCount() > 0)
        insertRows(0, m_model->rowCount() - 1);
}

void MessageListView::insertRows(int first, int last)
{
    for (int row = first; row <= last; ++row) {
        auto *widget = new MessageWidget(m_content);
        connect(widget, &MessageWidget::regenerateRequested, this, &MessageListView::regenerateRequested);
        connect(widget, &MessageWidget::editRequested, this,
                [this, widget](const QString &text) { Q_EMIT editRequested(int(m_widgets.indexOf(widget)), text); });
        m_widgets.insert(row, widget);
        m_layout->insertWidget(row, widget);
    }
    m_followBottom = true;
    // The previous last answer loses its Regenerate button.
    for (int row = std::max(0, first - 2); row < m_widgets.size(); ++row)
        syncRow(row);
}

void MessageListView::removeRows(int first, int last)
{
    for (int row = last; row >= first; --row)
        delete m_widgets.takeAt(row);
    m_dirtyRows.removeIf([first](int row) { return row >= first; });
    for (int row = std::max(0, first - 2); row < m_widgets.size(); ++row)
        syncRow(row);
}

void MessageListView::markDirty(int first, int last)
{
    for (int row = first; row <= last; ++row) {
        if (!m_dirtyRows.contains(row))
            m_dirtyRows.append(row);
    }
    if (!m_renderTimer.isActive())
        m_renderTimer.start();
}

void MessageListView::syncRow(int row)
{
    if (!m_model || row < 0 || row >= m_widgets.size())
        return;
    const bool lastAnswer = row == m_widgets.size() - 1;
    m_widgets[row]->sync(m_model->index(row, 0), lastAnswer);
}

void MessageListView::renderDirty()
{
    QElapsedTimer clock;
    clock.start();
    const QList<int> rows = std::exchange(m_dirtyRows, {});
    for (int row : rows) {
        syncRow(row);
        if (row < m_widgets.size())
            m_widgets[row]->renderPending();
    }
    const qint64 elapsed = clock.nsecsElapsed();
    m_renderNs += elapsed;
    m_worstRenderNs = std::max(m_worstRenderNs, elapsed);
    ++m_renders;
}

void MessageListView::flush()
{
    m_renderTimer.stop();
    renderDirty();
}

} // namespace ApoloDeploy
