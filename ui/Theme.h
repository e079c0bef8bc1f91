// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QPalette>

namespace ApoloDeploy::Theme {

// Light or dark comes from the palette, never from hard-coded colours. QStyleHints::colorScheme()
// is Qt 6.5+, so on 6.4 the lightness of the window colour decides (KeePassXC's isDarkTheme).
// Callers re-read it on QEvent::PaletteChange.
bool isDark(const QPalette &palette);

// The "Sandbox" badge must stand out in both themes: amber with dark text on dark themes, a
// deeper amber with white text on light ones.
QColor sandboxBadgeBackground(const QPalette &palette);
QColor sandboxBadgeForeground(const QPalette &palette);

// Secondary text (placeholders, hints): the text colour blended towards the background.
QColor mutedText(const QPalette &palette);

} // namespace ApoloDeploy::Theme
