// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/buttonmenu.h"

#include <QAbstractButton>
#include <QAbstractScrollArea>
#include <QMenu>

namespace codalab::ui {

QMenu *ButtonMenu::popup(QAbstractScrollArea *view, const QPoint &at, const QList<QAbstractButton *> &buttons)
{
    auto *menu = new QMenu(view);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    for (QAbstractButton *button : buttons) {
        if (button->isVisibleTo(button->window())) {
            QAction *action = menu->addAction(button->text(), button, &QAbstractButton::click);
            action->setEnabled(button->isEnabled());
            action->setToolTip(button->toolTip());
        }
    }
    menu->popup(view->viewport()->mapToGlobal(at));
    return menu;
}

} // namespace codalab::ui
