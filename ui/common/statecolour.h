// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QVariant>

namespace codalab::ui {

/// The colour a bundle's state is written in, the same on every page: what needs a look (failed, waiting)
/// stands out from what is done; an invalid QVariant (the palette's) for the rest.
class StateColour
{
public:
    StateColour() = delete;
    static QVariant of(const QString &state);
};

} // namespace codalab::ui
