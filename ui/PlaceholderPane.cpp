// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/PlaceholderPane.h"

#include "ui/Theme.h"

#include <QEvent>
#include <QLabel>
#include <QVBoxLayout>

namespace ApoloDeploy {

namespace {
constexpr int iconSize = 48;
constexpr int maximumTextWidth = 420;
} // namespace

PlaceholderPane::PlaceholderPane(IconId icon, const QString &title, const QString &description, QWidget *parent)
    : QWidget(parent)
    , m_iconId(icon)
    , m_iconLabel(new QLabel(this))
    , m_titleLabel(new QLabel(title, this))
    , m_descriptionLabel(new QLabel(description, this))
{
    setObjectName(QStringLiteral("placeholderPane"));
    setAccessibleName(tr("%1 (not available yet)").arg(title));
    setAccessibleDescription(description);

    m_iconLabel->setObjectName(QStringLiteral("iconLabel"));
    m_iconLabel->setAlignment(Qt::AlignCenter);
    m_titleLabel->setObjectName(QStringLiteral("titleLabel"));
    m_titleLabel->setAlignment(Qt::AlignCenter);
    QFont titleFont = m_titleLabel->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    titleFont.setBold(true);
    m_titleLabel->setFont(titleFont);
    m_descriptionLabel->setObjectName(QStringLiteral("descriptionLabel"));
    m_descriptionLabel->setAlignment(Qt::AlignCenter);
    m_descriptionLabel->setWordWrap(true);
    m_descriptionLabel->setMaximumWidth(maximumTextWidth);
    m_descriptionLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->addStretch(1);
    layout->addWidget(m_iconLabel, 0, Qt::AlignHCenter);
    layout->addWidget(m_titleLabel, 0, Qt::AlignHCenter);
    layout->addWidget(m_descriptionLabel, 0, Qt::AlignHCenter);
    layout->addStretch(1);
    applyPalette();
}

QString PlaceholderPane::title() const
{
    return m_titleLabel->text();
}

QString PlaceholderPane::description() const
{
    return m_descriptionLabel->text();
}

void PlaceholderPane::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

void PlaceholderPane::applyPalette()
{
    QPalette muted = palette();
    muted.setColor(QPalette::WindowText, Theme::mutedText(palette()));
    // Setting a palette on the children (not on this) avoids a PaletteChange loop here.
    m_descriptionLabel->setPalette(muted);
    m_iconLabel->setPixmap(IconProvider::icon(m_iconId, muted).pixmap(iconSize, iconSize));
}

} // namespace ApoloDeploy
