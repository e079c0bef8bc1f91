// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/logs/LogLineDelegate.h"

#include "logs/LogLine.h"
#include "models/LogLineModel.h"

#include <QApplication>
#include <QDateTime>
#include <QPainter>

namespace ApoloDeploy {

namespace {

constexpr int horizontalPadding = 4;
// Painting a megabyte-long line would stall the GUI; the view shows its start (the model keeps
// up to 64k characters, Save full log has all of it).
constexpr int maxPaintedChars = 4000;

QColor levelColor(Logs::LogLevel level, const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Window).lightness() < 128;
    switch (level) {
    case Logs::LogLevel::Warning: return dark ? QColor(0xE5, 0xC0, 0x7B) : QColor(0x9A, 0x67, 0x00);
    case Logs::LogLevel::Error:
    case Logs::LogLevel::Critical: return dark ? QColor(0xF2, 0x8B, 0x82) : QColor(0xB3, 0x26, 0x1E);
    case Logs::LogLevel::Debug: return palette.color(QPalette::PlaceholderText);
    default: return palette.color(QPalette::Text);
    }
}

} // namespace

LogLineDelegate::LogLineDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{}

QString LogLineDelegate::prefixText(const QModelIndex &index) const
{
    QString prefix;
    const qint64 ns = index.data(LogLineModel::TimestampRole).toLongLong();
    if (m_showTimestamps && ns > 0)
        prefix = QDateTime::fromMSecsSinceEpoch(ns / 1'000'000).toString(QStringLiteral("HH:mm:ss.zzz")) +
                 QStringLiteral("  ");
    const QString job = index.data(LogLineModel::JobRole).toString();
    const QString source = index.data(LogLineModel::SourceRole).toString();
    const QString origin = source.isEmpty() ? job : job.isEmpty() ? source : job + QStringLiteral(" · ") + source;
    if (!origin.isEmpty())
        prefix += origin + QStringLiteral("  ");
    return prefix;
}

void LogLineDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, widget);

    const bool selected = option.state & QStyle::State_Selected;
    const QPalette &palette = option.palette;
    const auto level = Logs::LogLevel(index.data(LogLineModel::LevelRole).toInt());
    QString text = index.data(LogLineModel::TextRole).toString().left(maxPaintedChars);
    const int repeat = index.data(LogLineModel::RepeatRole).toInt();
    if (repeat > 1)
        text += QStringLiteral("  ×%1").arg(repeat);

    painter->save();
    painter->setFont(option.font);
    QRect rect = option.rect.adjusted(horizontalPadding, 0, -horizontalPadding, 0);
    const QString prefix = prefixText(index);
    const QFontMetrics metrics(option.font);
    if (!prefix.isEmpty()) {
        painter->setPen(selected ? palette.color(QPalette::HighlightedText) : palette.color(QPalette::PlaceholderText));
        painter->drawText(rect, Qt::AlignLeft | Qt::AlignTop, prefix);
        rect.setLeft(rect.left() + metrics.horizontalAdvance(prefix));
    }
    // Search matches get the highlight colour behind them (single-line mode; wrapped lines are
    // found by next/previous just the same).
    if (!m_highlight.isEmpty() && !m_wrap) {
        qsizetype from = 0;
        while ((from = text.indexOf(m_highlight, from, Qt::CaseInsensitive)) >= 0) {
            const int x = rect.left() + metrics.horizontalAdvance(text.left(from));
            const int width = metrics.horizontalAdvance(text.mid(from, m_highlight.size()));
            if (x > rect.right())
                break;
            painter->fillRect(QRect(x, rect.top(), width, metrics.height()), QColor(255, 214, 0, 150));
            from += m_highlight.size();
        }
    }
    painter->setPen(selected ? palette.color(QPalette::HighlightedText) : levelColor(level, palette));
    const int flags = Qt::AlignLeft | Qt::AlignTop | (m_wrap ? Qt::TextWrapAnywhere : Qt::TextSingleLine);
    painter->drawText(rect, flags, text);
    painter->restore();
}

QSize LogLineDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QFontMetrics metrics(option.font);
    if (!m_wrap)
        return {metrics.horizontalAdvance(QLatin1Char('m')) * 200, metrics.height()};
    const int width = option.rect.width() > 0 ? option.rect.width() : 800;
    const QString text = prefixText(index) + index.data(LogLineModel::TextRole).toString().left(maxPaintedChars);
    const QRect bounds =
        metrics.boundingRect(QRect(0, 0, width - 2 * horizontalPadding, 100000), Qt::TextWrapAnywhere, text);
    return {width, qMax(metrics.height(), bounds.height())};
}

} // namespace ApoloDeploy
