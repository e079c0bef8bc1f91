// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/Theme.h"

namespace ApoloDeploy::Theme {

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QColor sandboxBadgeBackground(const QPalette &palette)
{
    return isDark(palette) ? QColor(0xf5, 0x9e, 0x0b) : QColor(0xb4, 0x53, 0x09);
}

QColor sandboxBadgeForeground(const QPalette &palette)
{
    return isDark(palette) ? QColor(0x1c, 0x19, 0x17) : QColor(Qt::white);
}

QColor mutedText(const QPalette &palette)
{
    const QColor text = palette.color(QPalette::WindowText);
    const QColor window = palette.color(QPalette::Window);
    constexpr double textWeight = 0.6;
    return QColor::fromRgbF(float(text.redF() * textWeight + window.redF() * (1 - textWeight)),
                            float(text.greenF() * textWeight + window.greenF() * (1 - textWeight)),
                            float(text.blueF() * textWeight + window.blueF() * (1 - textWeight)));
}

} // namespace ApoloDeploy::Theme
