// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QIcon>
#include <QPalette>

namespace ApoloDeploy {

enum class IconId { Plan, Launch, Jobs, Logs, Chat, Stop, Refresh, Copy };

// The app's monochrome action icons (resources/icons/*.svg, drawn in currentColor). They are
// rendered from the SVG at whatever size and device pixel ratio is asked for, so they stay sharp
// on high-DPI screens, and tinted from the palette so they follow light and dark themes.
// Icons are snapshots of the palette: rebuild them on QEvent::PaletteChange.
class IconProvider final
{
public:
    static QIcon icon(IconId id, const QPalette &palette);
    static QString resourcePath(IconId id);
    // The icons live in a static library, whose resource initialiser the linker would drop unless
    // something references it. Idempotent; icon() calls it.
    static void ensureResourcesLoaded();
    // The multi-colour application icon.
    static QIcon applicationIcon();
};

} // namespace ApoloDeploy
