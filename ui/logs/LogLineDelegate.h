// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStyledItemDelegate>

namespace ApoloDeploy {

// Paints one log line as "time  origin  text ×N": the time and origin muted, warnings and errors
// coloured from the palette's own hues, the search term highlighted. One line high unless wrap
// is on, so the view can keep uniform row heights for 100k rows.
class LogLineDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit LogLineDelegate(QObject *parent = nullptr);

    void setShowTimestamps(bool show) { m_showTimestamps = show; }
    void setWrap(bool wrap) { m_wrap = wrap; }
    void setHighlight(const QString &term) { m_highlight = term; }
    QString highlight() const { return m_highlight; }

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    QString prefixText(const QModelIndex &index) const;

    QString m_highlight;
    bool m_showTimestamps = true;
    bool m_wrap = false;
};

} // namespace ApoloDeploy
