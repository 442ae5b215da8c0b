// SPDX-License-Identifier: GPL-3.0-or-later
// Notifier from successive statuses: runs finished and failed, the worker offline and back, a low disk;
// each kind switched off on its own; bursts merged into one notification.
#include "qstringcatch.h"
#include "statusjson.h"
#include "tray/notificationburst.h"
#include "tray/notifier.h"

#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace codalab;
using codalab::test::runJson;
using codalab::test::statusJson;
using codalab::test::withDisk;
using Setting = ui::DesktopSettings::Notification;

namespace {

const QString RunA = QStringLiteral("0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
const QString RunB = QStringLiteral("0xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
const QString RunC = QStringLiteral("0xcccccccccccccccccccccccccccccccc");
const QString RunD = QStringLiteral("0xdddddddddddddddddddddddddddddddd");
constexpr double GiB = 1024.0 * 1024 * 1024;

QJsonObject available(const QJsonArray &runs = {})
{
    return statusJson(QStringLiteral("available"), runs, { {}, {}, {}, {} });
}

/// A Notifier over its own settings file; flush() stands in for the burst window closing.
struct Fixture
{
    QTemporaryDir dir;
    QSettings qsettings { dir.filePath(QStringLiteral("desktop.conf")), QSettings::IniFormat };
    ui::DesktopSettings settings { &qsettings };
    ui::Notifier notifier { &settings };
    QSignalSpy spy { &notifier, &ui::Notifier::notify };

    Fixture() { notifier.setBurstWindowMs(60 * 60 * 1000); } // only flush() closes a burst here

    /// Of the last notification.
    QString title() const { return spy.last().at(0).toString(); }
    QString body() const { return spy.last().at(1).toString(); }
    /// Feeds `status` and closes the burst; the number of notifications it gave.
    qsizetype feed(const QJsonObject &status, bool connected = true)
    {
        const qsizetype before = spy.size();
        notifier.setStatus(connected, status, connected ? QString() : QStringLiteral("socket closed"));
        notifier.flush();
        return spy.size() - before;
    }
};

} // namespace

TEST_CASE(
    "a run that reaches FINALIZING or leaves after uploading is announced once as finished", "[gui][tray]")
{
    Fixture f;
    CHECK(f.feed(available(
              { runJson(RunA, QStringLiteral("RUNNING")), runJson(RunB, QStringLiteral("RUNNING")) }))
        == 0);
    REQUIRE(f.feed(available({ runJson(RunA, QStringLiteral("FINALIZING"), 0),
                runJson(RunB, QStringLiteral("UPLOADING_RESULTS"), 0) }))
        == 1);
    CHECK(f.title() == QLatin1String("Run finished"));
    CHECK(f.body() == QLatin1String("run 0xaaaaaaaa (python train.py --epochs 3) finished."));
    // FINISHED after FINALIZING is the same run: no second word. B leaves the list after uploading.
    REQUIRE(f.feed(available({ runJson(RunA, QStringLiteral("FINISHED"), 0) })) == 1);
    CHECK(f.title() == QLatin1String("Run finished"));
    CHECK(f.body().contains(QLatin1String("0xbbbbbbbb")));
    CHECK(f.feed(available()) == 0);
}

TEST_CASE("a run whose last stages passed between two statuses is announced from the worker's runEnded",
    "[gui][tray]")
{
    Fixture f;
    CHECK(f.feed(available(
              { runJson(RunA, QStringLiteral("RUNNING")), runJson(RunB, QStringLiteral("RUNNING")) }))
        == 0);
    // The worker said runEnded for both; the next status has neither (seen RUNNING, then gone).
    f.notifier.runEnded(runJson(RunA, QStringLiteral("FINISHED"), 0));
    f.notifier.runEnded(runJson(RunB, QStringLiteral("FINISHED"), 3));
    f.notifier.flush();
    REQUIRE(f.spy.size() == 1);
    CHECK(f.title() == QLatin1String("1 run(s) finished, 1 failed"));
    CHECK(f.body().contains(QLatin1String("0xaaaaaaaa")));
    CHECK(f.body().contains(QLatin1String("exit code 3")));
    CHECK(f.feed(available()) == 0); // no second word when the status catches up
}

TEST_CASE("a failure is announced with its reason: exit code, message or kill", "[gui][tray]")
{
    Fixture f;
    f.feed(available({ runJson(RunA, QStringLiteral("RUNNING")), runJson(RunB, QStringLiteral("RUNNING")),
        runJson(RunC, QStringLiteral("PREPARING")) }));
    REQUIRE(f.feed(available({ runJson(RunA, QStringLiteral("FINALIZING"), 2),
                runJson(RunB, QStringLiteral("RUNNING")), runJson(RunC, QStringLiteral("PREPARING")) }))
        == 1);
    CHECK(f.title() == QLatin1String("Run failed"));
    CHECK(f.body() == QLatin1String("run 0xaaaaaaaa (python train.py --epochs 3) failed: exit code 2."));

    REQUIRE(
        f.feed(available({ runJson(RunB, QStringLiteral("FINISHED"), 137, {}, true),
            runJson(RunC, QStringLiteral("CLEANING_UP"), QJsonValue(), QStringLiteral("image not found")) }))
        == 1);
    CHECK(f.title() == QLatin1String("Run failed"));
    CHECK(f.body().contains(QLatin1String("killed")));
    // C had a failure and left the list before FINALIZING: still a failure, with the worker's message.
    REQUIRE(f.feed(available()) == 1);
    CHECK(f.body().contains(QLatin1String("image not found")));
}

TEST_CASE("runs given back, restaged, or done before the first status are not news", "[gui][tray]")
{
    Fixture f;
    CHECK(f.feed(available({ runJson(RunA, QStringLiteral("FINISHED"), 0),
              runJson(RunB, QStringLiteral("RUNNING")), runJson(RunC, QStringLiteral("PREPARING")) }))
        == 0);
    CHECK(f.feed(available({ runJson(RunC, QStringLiteral("RESTAGED")) })) == 0); // B vanished from RUNNING
    CHECK(f.feed(available()) == 0);
    // A link that is up but has no status yet must not look like every run vanishing.
    f.feed(available({ runJson(RunD, QStringLiteral("UPLOADING_RESULTS"), 0) }));
    CHECK(f.feed({}, true) == 0);
    CHECK(f.feed(available({ runJson(RunD, QStringLiteral("UPLOADING_RESULTS"), 0) })) == 0);
}

TEST_CASE("a burst of events is merged into one notification", "[gui][tray]")
{
    Fixture f;
    f.feed(available({ runJson(RunA, QStringLiteral("RUNNING")), runJson(RunB, QStringLiteral("RUNNING")),
        runJson(RunC, QStringLiteral("RUNNING")), runJson(RunD, QStringLiteral("RUNNING")) }));
    REQUIRE(
        f.feed(available({ runJson(RunA, QStringLiteral("FINALIZING"), 0),
            runJson(RunB, QStringLiteral("FINALIZING"), 0), runJson(RunC, QStringLiteral("FINALIZING"), 1),
            runJson(RunD, QStringLiteral("FINALIZING"), 0) }))
        == 1);
    CHECK(f.title() == QLatin1String("3 run(s) finished, 1 failed"));
    CHECK(f.body().split(QLatin1Char('\n')).size() == 4);
    CHECK(f.body().contains(QLatin1String("0xcccccccc (python train.py --epochs 3) failed: exit code 1")));

    SECTION("with the real window: statuses within it give one notification")
    {
        ui::Notifier notifier(&f.settings);
        notifier.setBurstWindowMs(200);
        QSignalSpy spy(&notifier, &ui::Notifier::notify);
        notifier.setStatus(true,
            available(
                { runJson(RunA, QStringLiteral("RUNNING")), runJson(RunB, QStringLiteral("RUNNING")) }));
        notifier.setStatus(true,
            available({ runJson(RunA, QStringLiteral("FINALIZING"), 0),
                runJson(RunB, QStringLiteral("RUNNING")) }));
        notifier.setStatus(true,
            available({ runJson(RunA, QStringLiteral("FINISHED"), 0),
                runJson(RunB, QStringLiteral("FINALIZING"), 0) }));
        CHECK(spy.isEmpty()); // nothing before the window closes
        REQUIRE(spy.wait(5000));
        REQUIRE(spy.size() == 1);
        CHECK(spy.first().at(0).toString() == QLatin1String("2 run(s) finished"));
    }
}

TEST_CASE("offline and back are announced after the start, never for the state found at start", "[gui][tray]")
{
    Fixture f;
    CHECK(f.feed({}, false) == 0); // the desktop started before its worker
    CHECK(f.feed(available()) == 0);
    REQUIRE(f.feed({}, false) == 1);
    CHECK(f.title() == QLatin1String("CodaLab worker offline"));
    CHECK(f.body().contains(QLatin1String("socket closed")));
    CHECK(f.feed({}, false) == 0);
    REQUIRE(f.feed(available()) == 1);
    CHECK(f.title() == QLatin1String("CodaLab worker back online"));

    // The worker's own server link counts too, with the worker's reason.
    REQUIRE(f.feed(statusJson(
                QStringLiteral("available"), {}, { {} }, false, QStringLiteral("connection refused")))
        == 1);
    CHECK(f.title() == QLatin1String("CodaLab worker offline"));
    CHECK(f.body().contains(QLatin1String("connection refused")));
    REQUIRE(f.feed(available()) == 1);
    CHECK(f.title() == QLatin1String("CodaLab worker back online"));

    // Offline and back within one burst is a blip: nothing is said.
    f.notifier.setStatus(false, {}, QStringLiteral("restarting"));
    f.notifier.setStatus(true, available());
    f.notifier.flush();
    CHECK(f.spy.size() == 4);
}

TEST_CASE("a low disk is announced once until it recovers", "[gui][tray]")
{
    Fixture f;
    const double total = 500 * GiB;
    CHECK(f.feed(withDisk(available(), 100 * GiB, total)) == 0);
    REQUIRE(f.feed(withDisk(available(), 1.5 * GiB, total)) == 1);
    CHECK(f.title() == QLatin1String("Disk space low"));
    CHECK(f.body().contains(QLatin1String("/home/ada/.local/share/CodaLab/worker")));
    CHECK(f.body().contains(QLatin1String("GiB")));
    CHECK(f.feed(withDisk(available(), 1.0 * GiB, total)) == 0);
    CHECK(f.feed(withDisk(available(), 50 * GiB, total)) == 0);
    // 3 GiB free is above 2 GiB but under 5% of a 100 GiB disk: low again.
    CHECK(f.feed(withDisk(available(), 3 * GiB, 100 * GiB)) == 1);
    CHECK(f.feed(withDisk(available(), 6 * GiB, 100 * GiB)) == 0);
    // An unmeasured disk says nothing.
    CHECK(f.feed(withDisk(available(), 0, 0)) == 0);
}

TEST_CASE("each kind of notification can be switched off on its own", "[gui][tray]")
{
    const auto everything = [](Fixture &f) {
        f.feed(withDisk(
            available({ runJson(RunA, QStringLiteral("RUNNING")), runJson(RunB, QStringLiteral("RUNNING")) }),
            100 * GiB, 500 * GiB));
        f.notifier.setStatus(true,
            withDisk(available({ runJson(RunA, QStringLiteral("FINALIZING"), 0),
                         runJson(RunB, QStringLiteral("FINALIZING"), 3) }),
                GiB, 500 * GiB));
        f.notifier.setStatus(false, {}, QStringLiteral("gone"));
        f.notifier.flush();
        return f.spy.isEmpty() ? QString() : f.title();
    };
    {
        Fixture f;
        CHECK(everything(f) == QLatin1String("1 run(s) finished, 1 failed, worker offline, disk space low"));
    }
    const struct
    {
        Setting setting;
        QString title;
    } cases[] = { { Setting::RunFinished, QStringLiteral("1 run(s) failed, worker offline, disk space low") },
        { Setting::RunFailed, QStringLiteral("1 run(s) finished, worker offline, disk space low") },
        { Setting::WorkerOffline, QStringLiteral("1 run(s) finished, 1 failed, disk space low") },
        { Setting::DiskLow, QStringLiteral("1 run(s) finished, 1 failed, worker offline") } };
    for (const auto &c : cases) {
        Fixture f;
        f.settings.setNotificationEnabled(c.setting, false);
        CHECK(everything(f) == c.title);
    }
    Fixture f;
    for (Setting s : { Setting::RunFinished, Setting::RunFailed, Setting::WorkerOffline, Setting::DiskLow }) {
        f.settings.setNotificationEnabled(s, false);
    }
    CHECK(everything(f).isEmpty());
}

TEST_CASE("a long burst lists five events and counts the rest", "[gui][tray]")
{
    ui::NotificationBurst burst;
    for (int i = 0; i < 8; ++i) {
        burst.add({ ui::NotificationBurst::Kind::RunFinished, QStringLiteral("run %1").arg(i), {} });
    }
    CHECK(burst.title() == QLatin1String("8 run(s) finished"));
    const QStringList lines = burst.body().split(QLatin1Char('\n'));
    REQUIRE(lines.size() == ui::NotificationBurst::MaxBodyLines + 1);
    CHECK(lines.last() == QStringLiteral("…and 3 more"));
}
