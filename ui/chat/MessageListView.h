// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QPointer>
#include <QScrollArea>
#include <QTimer>

class QAbstractItemModel;
class QVBoxLayout;

namespace ApoloDeploy {

class MessageWidget;

// The conversation as a scrolling column of MessageWidgets bound to a ChatMessageModel.
// Model changes only mark rows dirty; a timer (Settings ChatRenderIntervalMs, ~80 ms) renders
// them, so thousands of deltas per second cost a dozen renders. Follows the bottom while the
// user is there, and stays put when they scrolled up to read.
class MessageListView final : public QScrollArea
{
    Q_OBJECT

public:
    explicit MessageListView(QWidget *parent = nullptr);

    void setModel(QAbstractItemModel *model);
    void setRenderIntervalMs(int ms) { m_renderTimer.setInterval(ms); }
    int count() const { return int(m_widgets.size()); }
    MessageWidget *messageAt(int row) const { return m_widgets.value(row); }
    // Time spent rendering so far (the benchmark reads it).
    qint64 renderNanoseconds() const { return m_renderNs; }
    qint64 worstRenderNanoseconds() const { return m_worstRenderNs; }
    int renderCount() const { return m_renders; }
    // Renders everything pending now (tests, benchmark end).
    void flush();

Q_SIGNALS:
    void regenerateRequested();
    void editRequested(int row, const QString &currentText);

private:
    void rebuild();
    void insertRows(int first, int last);
    void removeRows(int first, int last);
    void markDirty(int first, int last);
    void renderDirty();
    void syncRow(int row);
    bool isAtBottom() const;

    QPointer<QAbstractItemModel> m_model;
    QWidget *m_content;
    QVBoxLayout *m_layout;
    QList<MessageWidget *> m_widgets;
    QList<int> m_dirtyRows;
    QTimer m_renderTimer;
    bool m_followBottom = true;
    qint64 m_renderNs = 0;
    qint64 m_worstRenderNs = 0;
    int m_renders = 0;
};

} // namespace ApoloDeploy
