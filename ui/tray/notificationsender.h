// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDBusConnection>
#include <QIcon>
#include <QObject>
#include <QPointer>

class QDBusServiceWatcher;
class QSystemTrayIcon;

namespace codalab::ui {

/// Shows a desktop notification the way this session can: through the freedesktop notification service
/// (org.freedesktop.Notifications `Notify` on the session bus) when one runs, else as the tray icon's own
/// balloon (QSystemTrayIcon::showMessage), else it says the window should show it (sentNowhere()). A
/// notification that went nowhere at all was the bug: with no notification daemon, nothing was shown.
///
/// Usage: construct over the tray icon (and the bus; the session bus by default); send(). path() and
/// pathText() say which way they go (Settings shows it); pathChanged() when a service comes or goes.
class NotificationSender : public QObject
{
    Q_OBJECT
public:
    enum class Path { Service, TrayBalloon, Window };
    static constexpr auto Service = "org.freedesktop.Notifications";

    explicit NotificationSender(QSystemTrayIcon *tray, QDBusConnection bus = QDBusConnection::sessionBus(),
        QObject *parent = nullptr);

    Path path() const;
    /// One sentence for the Settings dialog: which path, and why.
    QString pathText() const;
    /// Whether the service's presence has been asked yet (path() guesses without a service until then).
    bool isKnown() const { return m_known; }
    void send(const QString &title, const QString &body, const QIcon &icon);

Q_SIGNALS:
    void pathChanged();
    /// Neither a service nor a tray to show it: the window should (status bar).
    void sentNowhere(const QString &title, const QString &body);
    /// A notification went out through the service, with the id it gave.
    void sentToService(uint id);

private:
    void setServiceUp(bool up);
    /// The tray icon is shown and can show a balloon.
    bool trayShows() const;
    void showInTray(const QString &title, const QString &body, const QIcon &icon);

    QPointer<QSystemTrayIcon> m_tray;
    QDBusConnection m_bus;
    QDBusServiceWatcher *m_watcher;
    bool m_serviceUp = false;
    bool m_known = false;
};

} // namespace codalab::ui
