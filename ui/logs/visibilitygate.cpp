// SPDX-License-Identifier: GPL-3.0-or-later
#include "logs/visibilitygate.h"

#include <QEvent>
#include <QWidget>

namespace codalab::ui {

VisibilityGate::VisibilityGate(QWidget *widget)
    : QObject(widget)
    , m_widget(widget)
{
    m_widget->installEventFilter(this);
}

void VisibilityGate::setScope(QWidget *scope)
{
    if (m_scope) {
        m_scope->removeEventFilter(this);
    }
    m_scope = scope == m_widget ? nullptr : scope;
    if (m_scope) {
        m_scope->installEventFilter(this);
    }
    Q_EMIT changed();
}

bool VisibilityGate::isActive() const
{
    return m_scope ? m_scope->isVisible() : m_widget->isVisible();
}

bool VisibilityGate::isWidgetVisible() const
{
    return m_widget->isVisible();
}

bool VisibilityGate::eventFilter(QObject *watched, QEvent *event)
{
    // Qt marks a widget visible before its Show event and hidden before its Hide event, so isActive()
    // already tells the new state here.
    if ((watched == m_widget || watched == m_scope)
        && (event->type() == QEvent::Show || event->type() == QEvent::Hide)) {
        Q_EMIT changed();
    }
    return QObject::eventFilter(watched, event);
}

} // namespace codalab::ui
