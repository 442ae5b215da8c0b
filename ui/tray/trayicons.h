// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tray/traystate.h"

#include <QColor>
#include <QIcon>
#include <QPixmap>

namespace codalab::ui {

/// The tray's icons, one per TrayState::Kind, drawn with QPainter so they stay sharp at every size a
/// panel asks for (16–24 px in trays, 48 px in notifications). Each state differs in shape and glyph, not
/// only in colour: a green disc with a tick (available), a blue disc with the number of runs (running), an
/// amber disc with two bars (paused), a violet disc with a moon (snoozed), a teal rounded square with an
/// arrow down to a line (draining), a grey ring with a slash (offline), a red triangle with "!" (error).
///
/// Usage: `tray->setIcon(TrayIcons::icon(state.kind(), state.runCount()));`
class TrayIcons
{
public:
    TrayIcons() = delete;

    /// A QIcon holding pixmaps from 16 to 128 px. `runCount` is drawn on the Running icon (9+ above 9).
    static QIcon icon(TrayState::Kind kind, int runCount = 0);
    /// One square pixmap of `size` device-independent pixels.
    static QPixmap pixmap(TrayState::Kind kind, int runCount, int size, qreal devicePixelRatio = 1.0);
    /// The state's main colour (for legends next to the icon).
    static QColor color(TrayState::Kind kind);
};

} // namespace codalab::ui
