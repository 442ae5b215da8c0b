// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QPoint>

class QAbstractButton;
class QAbstractScrollArea;
class QMenu;

namespace codalab::ui {

/// A list's right-click menu made of the page's buttons: the same actions, texts and enabled states, so the
/// menu never offers what the button would refuse. Opened with popup() (no nested event loop).
class ButtonMenu
{
public:
    ButtonMenu() = delete;

    /// Shows the menu of the visible `buttons` at `at` (in `view`'s viewport); returns it (it deletes itself
    /// when closed).
    static QMenu *popup(QAbstractScrollArea *view, const QPoint &at, const QList<QAbstractButton *> &buttons);
};

} // namespace codalab::ui
