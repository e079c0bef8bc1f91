// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/IconProvider.h"

#include <QFile>
#include <QIconEngine>
#include <QPainter>
#include <QSvgRenderer>

// Q_INIT_RESOURCE must be used outside any namespace.
static void initIconResources()
{
    Q_INIT_RESOURCE(icons);
}

namespace ApoloDeploy {

namespace {

// Renders tinted SVG data per icon mode; no pixmap cache is needed for a handful of icons.
class TintedSvgIconEngine final : public QIconEngine
{
public:
    TintedSvgIconEngine(QByteArray svg, const QPalette &palette)
        : m_svg(std::move(svg))
        , m_normal(palette.color(QPalette::Active, QPalette::WindowText))
        , m_disabled(palette.color(QPalette::Disabled, QPalette::WindowText))
        , m_selected(palette.color(QPalette::Active, QPalette::HighlightedText))
    {}

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State) override
    {
        QSvgRenderer renderer(tinted(mode));
        renderer.render(painter, rect);
    }

    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        QImage image(size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        QPainter painter(&image);
        paint(&painter, QRect(QPoint(), size), mode, state);
        painter.end();
        return QPixmap::fromImage(image);
    }

    QIconEngine *clone() const override { return new TintedSvgIconEngine(*this); }
    QString key() const override { return QStringLiteral("ApoloDeployTintedSvg"); }
    bool isNull() override { return m_svg.isEmpty(); }

private:
    QByteArray tinted(QIcon::Mode mode) const
    {
        const QColor color = mode == QIcon::Disabled ? m_disabled : mode == QIcon::Selected ? m_selected : m_normal;
        QByteArray svg = m_svg;
        return svg.replace("currentColor", color.name(QColor::HexRgb).toLatin1());
    }

    QByteArray m_svg;
    QColor m_normal;
    QColor m_disabled;
    QColor m_selected;
};

} // namespace

QString IconProvider::resourcePath(IconId id)
{
    switch (id) {
    case IconId::Plan: return QStringLiteral(":/icons/icons/plan.svg");
    case IconId::Launch: return QStringLiteral(":/icons/icons/launch.svg");
    case IconId::Jobs: return QStringLiteral(":/icons/icons/jobs.svg");
    case IconId::Logs: return QStringLiteral(":/icons/icons/logs.svg");
    case IconId::Chat: return QStringLiteral(":/icons/icons/chat.svg");
    case IconId::Stop: return QStringLiteral(":/icons/icons/stop.svg");
    case IconId::Refresh: return QStringLiteral(":/icons/icons/refresh.svg");
    case IconId::Copy: return QStringLiteral(":/icons/icons/copy.svg");
    }
    Q_UNREACHABLE();
}

void IconProvider::ensureResourcesLoaded()
{
    static const bool loaded = [] {
        initIconResources();
        return true;
    }();
    Q_UNUSED(loaded);
}

QIcon IconProvider::applicationIcon()
{
    ensureResourcesLoaded();
    return QIcon(QStringLiteral(":/icons/app.svg"));
}

QIcon IconProvider::icon(IconId id, const QPalette &palette)
{
    ensureResourcesLoaded();
    QFile file(resourcePath(id));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QIcon(new TintedSvgIconEngine(file.readAll(), palette));
}

} // namespace ApoloDeploy
