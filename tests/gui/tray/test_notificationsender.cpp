// SPDX-License-Identifier: GPL-3.0-or-later
// How notifications reach the user, on a private session bus (with-keyring.sh): through a fake
// org.freedesktop.Notifications service when one runs, and the other way when none does or it goes.
#include "support/spinuntil.h"
#include "tray/notificationsender.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QSignalSpy>
#include <QSystemTrayIcon>
#include <QVariantMap>

#include <catch2/catch.hpp>

using codalab::test::spinUntil;
using codalab::ui::NotificationSender;

namespace {

/// The freedesktop notification service as a notification daemon offers it, recording each Notify.
class FakeNotifications : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    struct Call
    {
        QString app, icon, summary, body;
    };
    QList<Call> calls;

public Q_SLOTS:
    uint Notify(const QString &app, uint replaces, const QString &icon, const QString &summary,
        const QString &body, const QStringList &actions, const QVariantMap &hints, int timeout)
    {
        Q_UNUSED(replaces)
        Q_UNUSED(actions)
        Q_UNUSED(hints)
        Q_UNUSED(timeout)
        calls.append({ app, icon, summary, body });
        return uint(calls.size());
    }
    QStringList GetCapabilities() { return { QStringLiteral("body") }; }
};

/// A second connection to the session bus owning the service name, as a daemon would be.
struct FakeDaemon
{
    QDBusConnection bus
        = QDBusConnection::connectToBus(QDBusConnection::SessionBus, QStringLiteral("fake-daemon"));
    FakeNotifications service;

    FakeDaemon()
    {
        REQUIRE(bus.isConnected());
        REQUIRE(bus.registerObject(
            QStringLiteral("/org/freedesktop/Notifications"), &service, QDBusConnection::ExportAllSlots));
        REQUIRE(bus.registerService(QLatin1String(NotificationSender::Service)));
    }
    ~FakeDaemon()
    {
        bus.unregisterService(QLatin1String(NotificationSender::Service));
        QDBusConnection::disconnectFromBus(QStringLiteral("fake-daemon"));
    }
};

} // namespace

TEST_CASE("with a notification service running, notifications go to it", "[gui][tray][notifications]")
{
    REQUIRE(QDBusConnection::sessionBus().isConnected()); // the test runs on a private session bus
    FakeDaemon daemon;
    QSystemTrayIcon tray;
    NotificationSender sender(&tray);
    REQUIRE(spinUntil([&] { return sender.isKnown(); }, 5000));
    CHECK(sender.path() == NotificationSender::Path::Service);
    CHECK(sender.pathText() == QLatin1String("Notifications go to the desktop's notification service."));

    QSignalSpy sent(&sender, &NotificationSender::sentToService);
    QSignalSpy nowhere(&sender, &NotificationSender::sentNowhere);
    sender.send(QStringLiteral("Run finished"), QStringLiteral("0x1234 echo hi"), QIcon());
    REQUIRE(spinUntil([&] { return !sent.isEmpty(); }, 5000));
    REQUIRE(daemon.service.calls.size() == 1);
    CHECK(daemon.service.calls.first().app == QLatin1String("CodaLab Desktop"));
    CHECK(daemon.service.calls.first().icon == QLatin1String("org.codalab.Desktop"));
    CHECK(daemon.service.calls.first().summary == QLatin1String("Run finished"));
    CHECK(daemon.service.calls.first().body == QLatin1String("0x1234 echo hi"));
    CHECK(nowhere.isEmpty());
}

TEST_CASE("with no notification service, notifications still reach the user another way",
    "[gui][tray][notifications]")
{
    REQUIRE(QDBusConnection::sessionBus().isConnected());
    QSystemTrayIcon tray; // offscreen has no tray: the window is the last way
    NotificationSender sender(&tray);
    REQUIRE(spinUntil([&] { return sender.isKnown(); }, 5000));
    CHECK(sender.path() == NotificationSender::Path::Window);
    CHECK(sender.pathText().startsWith(QLatin1String("Neither a notification service nor a system tray")));
    QSignalSpy nowhere(&sender, &NotificationSender::sentNowhere);
    sender.send(QStringLiteral("Run failed"), QStringLiteral("exit code 1"), QIcon());
    REQUIRE(nowhere.size() == 1);
    CHECK(nowhere.first().at(0).toString() == QLatin1String("Run failed"));

    SECTION("a service that starts later is used, and one that goes is noticed")
    {
        QSignalSpy changed(&sender, &NotificationSender::pathChanged);
        {
            FakeDaemon daemon;
            REQUIRE(spinUntil([&] { return sender.path() == NotificationSender::Path::Service; }, 5000));
            QSignalSpy sent(&sender, &NotificationSender::sentToService);
            sender.send(QStringLiteral("Worker back"), QStringLiteral("connected"), QIcon());
            REQUIRE(spinUntil([&] { return !sent.isEmpty(); }, 5000));
            CHECK(daemon.service.calls.size() == 1);
        }
        REQUIRE(spinUntil([&] { return sender.path() == NotificationSender::Path::Window; }, 5000));
        CHECK(changed.size() >= 2);
        nowhere.clear();
        sender.send(QStringLiteral("Run finished"), QStringLiteral("after the daemon left"), QIcon());
        REQUIRE(spinUntil([&] { return !nowhere.isEmpty(); }, 5000));
    }
}

#include "test_notificationsender.moc"
