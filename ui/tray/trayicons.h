// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tray/traystate.h"

#include <QColor>
#include <QIcon>
#include <QPixmap>
#include <QString>

namespace codalab::ui {

/// The tray's icons, one per TrayState::Kind, made from the symbolic SVGs in resources/icons/tray
/// (`org.codalab.Desktop-<state>-symbolic.svg`, installed into the hicolor theme too). Each state differs in
/// shape and glyph, not only in colour: a disc with a tick (available), a disc with a play triangle or the
/// number of runs (running), a disc with two bars (paused), a disc with a moon (snoozed), a rounded square
/// with an arrow down to a line (draining), a ring with a slash (offline), a triangle with "!" (error).
///
/// Two styles. Colour (the default): the shape tinted with the state's colour(), the glyph cut out, and the
/// Running disc showing how many runs. Monochrome: the theme's icon by name (themeName()), which a tray
/// host recolours to the panel's text colour like its own icons, falling back to the grey SVG; no count.
///
/// Usage: `tray->setIcon(TrayIcons::icon(state.kind(), state.runCount(), style));`
class TrayIcons
{
public:
    enum class Style { Colour, Monochrome };

    TrayIcons() = delete;

    /// Colour: pixmaps from 16 to 128 px, with `runCount` on the Running icon (9+ above 9; none for 0).
    /// Monochrome: the themed icon (QIcon::name() is themeName() when the theme has it); `runCount` unused.
    static QIcon icon(TrayState::Kind kind, int runCount = 0, Style style = Style::Colour);
    /// One square pixmap of `size` device-independent pixels.
    static QPixmap pixmap(TrayState::Kind kind, int runCount, int size, qreal devicePixelRatio = 1.0,
        Style style = Style::Colour);
    /// The state's main colour (for legends next to the icon).
    static QColor color(TrayState::Kind kind);
    /// The icon's name in an icon theme: "org.codalab.Desktop-available-symbolic" for Idle, and so on.
    static QString themeName(TrayState::Kind kind);
    /// The state's SVG in the resources: ":/codalab/icons/tray/<themeName>.svg".
    static QString resourcePath(TrayState::Kind kind);
};

} // namespace codalab::ui
