// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop's settings: defaults, what a change writes, and the recent-image list's rules.
#include "common/desktopsettings.h"

#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace codalab::ui;

TEST_CASE("settings start with safe defaults and keep what is set across instances", "[gui][settings]")
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("desktop.conf"));
    {
        QSettings qs(ini, QSettings::IniFormat);
        DesktopSettings s(&qs);
        CHECK(s.notificationEnabled(DesktopSettings::Notification::RunFailed));
        CHECK(s.manageWorker());
        CHECK(s.workerSlots() == 1);
        CHECK_FALSE(s.startAtLogin());
        QSignalSpy changed(&s, &DesktopSettings::changed);
        s.setNotificationEnabled(DesktopSettings::Notification::DiskLow, false);
        s.setWorkerSlots(3);
        s.setWorkerSlots(3); // no change, no signal
        s.setWorkerTag(QStringLiteral("  gpu-box "));
        CHECK(changed.size() == 3);
    }
    QSettings qs(ini, QSettings::IniFormat);
    DesktopSettings s(&qs);
    CHECK_FALSE(s.notificationEnabled(DesktopSettings::Notification::DiskLow));
    CHECK(s.notificationEnabled(DesktopSettings::Notification::RunFinished));
    CHECK(s.workerSlots() == 3);
    CHECK(s.workerTag() == QLatin1String("gpu-box"));
}

TEST_CASE("recent images are most recent first, unique and bounded", "[gui][settings]")
{
    QTemporaryDir dir;
    QSettings qs(dir.filePath(QStringLiteral("desktop.conf")), QSettings::IniFormat);
    DesktopSettings s(&qs);
    for (int i = 0; i < DesktopSettings::MaxRecentImages + 3; ++i) {
        s.addRecentImage(QStringLiteral("img%1").arg(i));
    }
    s.addRecentImage(QStringLiteral("img5"));
    s.addRecentImage(QStringLiteral("   "));
    const QStringList images = s.recentImages();
    CHECK(images.size() == DesktopSettings::MaxRecentImages);
    CHECK(images.first() == QLatin1String("img5"));
    CHECK(images.count(QStringLiteral("img5")) == 1);
    CHECK_FALSE(images.contains(QStringLiteral("img0")));
}
