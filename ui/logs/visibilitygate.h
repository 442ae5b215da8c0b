// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QPointer>

class QWidget;

namespace codalab::ui {

/// Whether work for a widget is worth doing: someone can see it. Polls and timers stop while the page is
/// hidden and resume, at once, when it is shown again.
///
/// Usage: VisibilityGate gate(view); connect changed() to a slot that starts or stops the work as
/// isActive() says. isActive() follows the widget's visibility, or with setScope() an ancestor's (a view
/// in a tab behind another stays active while its page shows). changed() comes on every show or hide of
/// the widget or the scope, also when isActive() stays the same (a tab brought to the front).
class VisibilityGate : public QObject
{
    Q_OBJECT
public:
    explicit VisibilityGate(QWidget *widget);

    /// Null or the widget itself: the widget's own visibility.
    void setScope(QWidget *scope);
    bool isActive() const;
    /// Whether the widget itself is visible (not only its scope).
    bool isWidgetVisible() const;

Q_SIGNALS:
    void changed();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QWidget *m_widget;
    QPointer<QWidget> m_scope;
};

} // namespace codalab::ui
