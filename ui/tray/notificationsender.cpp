// SPDX-License-Identifier: GPL-3.0-or-later
#include "tray/notificationsender.h"

#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusServiceWatcher>
#include <QSystemTrayIcon>
#include <QVariantMap>

namespace codalab::ui {

namespace {

constexpr int ShowMs = 10000;

} // namespace

NotificationSender::NotificationSender(QSystemTrayIcon *tray, QDBusConnection bus, QObject *parent)
    : QObject(parent)
    , m_tray(tray)
    , m_bus(bus)
    , m_watcher(new QDBusServiceWatcher(QLatin1String(Service), bus,
          QDBusServiceWatcher::WatchForRegistration | QDBusServiceWatcher::WatchForUnregistration, this))
{
    connect(m_watcher, &QDBusServiceWatcher::serviceRegistered, this, [this] { setServiceUp(true); });
    connect(m_watcher, &QDBusServiceWatcher::serviceUnregistered, this, [this] { setServiceUp(false); });
    if (!m_bus.isConnected()) {
        m_known = true; // no session bus: no service either
        return;
    }
    // Asked, not waited for: the GUI thread never blocks on the bus.
    const QDBusMessage ask = QDBusMessage::createMethodCall(QStringLiteral("org.freedesktop.DBus"),
        QStringLiteral("/org/freedesktop/DBus"), QStringLiteral("org.freedesktop.DBus"),
        QStringLiteral("NameHasOwner"));
    auto *watcher
        = new QDBusPendingCallWatcher(m_bus.asyncCall(QDBusMessage(ask) << QLatin1String(Service)), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this](QDBusPendingCallWatcher *w) {
        const QDBusPendingReply<bool> reply = *w;
        w->deleteLater();
        setServiceUp(!reply.isError() && reply.value());
    });
}

void NotificationSender::setServiceUp(bool up)
{
    const bool changed = !m_known || up != m_serviceUp;
    m_known = true;
    m_serviceUp = up;
    if (changed) {
        Q_EMIT pathChanged();
    }
}

NotificationSender::Path NotificationSender::path() const
{
    if (m_serviceUp) {
        return Path::Service;
    }
    return trayShows() ? Path::TrayBalloon : Path::Window;
}

QString NotificationSender::pathText() const
{
    switch (path()) {
    case Path::Service:
        return tr("Notifications go to the desktop's notification service.");
    case Path::TrayBalloon:
        return tr("No notification service runs in this session: notifications show as balloons by the "
                  "tray icon.");
    case Path::Window:
        return tr("Neither a notification service nor a system tray: notifications show in the window's "
                  "status bar.");
    }
    return {};
}

void NotificationSender::send(const QString &title, const QString &body, const QIcon &icon)
{
    if (path() != Path::Service) {
        showInTray(title, body, icon);
        return;
    }
    QDBusMessage notify = QDBusMessage::createMethodCall(QLatin1String(Service),
        QStringLiteral("/org/freedesktop/Notifications"), QLatin1String(Service), QStringLiteral("Notify"));
    notify << QStringLiteral("CodaLab Desktop") << uint(0) << QStringLiteral("org.codalab.Desktop") << title
           << body << QStringList()
           << QVariantMap { { QStringLiteral("desktop-entry"), QStringLiteral("org.codalab.Desktop") } }
           << int(-1);
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(notify), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
        [this, watcher, title, body, icon](QDBusPendingCallWatcher *) {
            const QDBusPendingReply<uint> reply = *watcher;
            watcher->deleteLater();
            if (reply.isError()) {
                // The service went away or refused: this one still reaches the user another way.
                setServiceUp(false);
                showInTray(title, body, icon);
                return;
            }
            Q_EMIT sentToService(reply.value());
        });
}

bool NotificationSender::trayShows() const
{
    return m_tray && m_tray->isVisible() && QSystemTrayIcon::supportsMessages();
}

void NotificationSender::showInTray(const QString &title, const QString &body, const QIcon &icon)
{
    if (trayShows()) {
        m_tray->showMessage(title, body, icon, ShowMs);
    } else {
        Q_EMIT sentNowhere(title, body);
    }
}

} // namespace codalab::ui
