// SPDX-License-Identifier: GPL-3.0-or-later
// TrayState from status JSON: which of the seven states, the counts, and the tooltip's words.
#include "qstringcatch.h"
#include "statusjson.h"
#include "tray/traystate.h"

#include <QLocale>

#include <catch2/catch.hpp>

using namespace codalab;
using codalab::test::runJson;
using codalab::test::statusJson;
using Kind = ui::TrayState::Kind;

namespace {
const QString RunA = QStringLiteral("0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
const QString RunB = QStringLiteral("0xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
const QString RunC = QStringLiteral("0xcccccccccccccccccccccccccccccccc");
} // namespace

TEST_CASE("no worker, or no status yet, is Offline with the reason and no commands", "[gui][tray]")
{
    const auto gone = ui::TrayState::fromStatus(false, {}, QStringLiteral("no worker at /run/w.sock"));
    CHECK(gone.kind() == Kind::Offline);
    CHECK_FALSE(gone.canCommand());
    CHECK(gone.reason() == QLatin1String("no worker at /run/w.sock"));
    CHECK(gone.tooltip() == QStringLiteral("CodaLab worker — offline: no worker at /run/w.sock"));
    CHECK(gone.summary() == QLatin1String("Offline: no worker at /run/w.sock"));

    CHECK_FALSE(ui::TrayState::fromStatus(false, {}).reason().isEmpty());
    // A status left over from before the link dropped does not count.
    CHECK(ui::TrayState::fromStatus(false, statusJson(QStringLiteral("available"))).kind() == Kind::Offline);
    const auto waiting = ui::TrayState::fromStatus(true, {});
    CHECK(waiting.kind() == Kind::Offline);
    CHECK_FALSE(waiting.canCommand());
}

TEST_CASE("an available worker is Idle or Running N, with its free slots", "[gui][tray]")
{
    const auto idle
        = ui::TrayState::fromStatus(true, statusJson(QStringLiteral("available"), {}, { {}, {} }));
    CHECK(idle.kind() == Kind::Idle);
    CHECK(idle.canCommand());
    CHECK(idle.freeSlots() == 2);
    CHECK(idle.tooltip() == QStringLiteral("CodaLab worker — available, 2 slot(s) free"));

    const QJsonArray runs { runJson(RunA, QStringLiteral("RUNNING")),
        runJson(RunB, QStringLiteral("PREPARING")), runJson(RunC, QStringLiteral("FINISHED"), 0) };
    const auto running
        = ui::TrayState::fromStatus(true, statusJson(QStringLiteral("available"), runs, { RunA, RunB, {} }));
    CHECK(running.kind() == Kind::Running);
    CHECK(running.runCount() == 2); // the FINISHED one only waits for the server to forget it
    CHECK(running.slotCount() == 3);
    CHECK(running.freeSlots() == 1);
    CHECK(running.tooltip() == QStringLiteral("CodaLab worker — running 2 run(s), 1 slot(s) free"));

    const auto one = ui::TrayState::fromStatus(true,
        statusJson(QStringLiteral("available"), { runJson(RunA, QStringLiteral("RUNNING")) }, { RunA }));
    CHECK(one.summary() == QLatin1String("Running 1 run(s), all slots busy"));
}

TEST_CASE("what the user chose wins over running, and says the runs still go on", "[gui][tray]")
{
    const QJsonArray runs { runJson(RunA, QStringLiteral("RUNNING")) };
    const auto paused = ui::TrayState::fromStatus(true, statusJson(QStringLiteral("paused"), runs, { RunA }));
    CHECK(paused.kind() == Kind::Paused);
    CHECK(paused.summary() == QLatin1String("Paused: taking no new runs (1 run(s) still running)"));

    for (const char *word : { "draining", "drained", "stopping" }) {
        CHECK(ui::TrayState::fromStatus(true, statusJson(QLatin1String(word))).kind() == Kind::Draining);
    }
    CHECK(ui::TrayState::fromStatus(true, statusJson(QStringLiteral("draining"), runs, { RunA })).summary()
        == QLatin1String("Draining: finishing 1 run(s), taking no new ones"));
    CHECK(ui::TrayState::fromStatus(true, statusJson(QStringLiteral("drained"))).summary()
        == QLatin1String("Drained: no runs left, taking no new ones"));
    CHECK(ui::TrayState::fromStatus(true, statusJson(QStringLiteral("stopping"))).summary()
        == QLatin1String("Stopping"));
}

TEST_CASE("a snoozed worker says until when, with the date only when it is not today", "[gui][tray]")
{
    const QDateTime now(QDate(2024, 5, 14), QTime(15, 0));
    QJsonObject status = statusJson(QStringLiteral("snoozed"));
    const QDateTime until = now.addSecs(3 * 3600);
    status.insert(QStringLiteral("snooze_until"), double(until.toSecsSinceEpoch()));
    const auto snoozed = ui::TrayState::fromStatus(true, status, {}, now);
    CHECK(snoozed.kind() == Kind::Snoozed);
    CHECK(snoozed.snoozeUntil() == until);
    const QString time = QLocale().toString(QTime(18, 0), QLocale::ShortFormat);
    CHECK(snoozed.summary() == QStringLiteral("Snoozed until %1").arg(time));
    CHECK(snoozed.tooltip() == QStringLiteral("CodaLab worker — snoozed until %1").arg(time));

    const QDateTime late(QDate(2024, 5, 14), QTime(22, 0));
    status.insert(QStringLiteral("snooze_until"), double(late.addSecs(8 * 3600).toSecsSinceEpoch()));
    const auto overnight = ui::TrayState::fromStatus(true, status, {}, late);
    // The weekday and the time, as the Dashboard writes it too (Units::moment): one format everywhere.
    CHECK(overnight.snoozeEndText()
        == QLocale().dayName(3, QLocale::ShortFormat) + QLatin1Char(' ')
            + QLocale().toString(QTime(6, 0), QLocale::ShortFormat));
}

TEST_CASE("a failed check-in is Error with the worker's message; never checked in is Offline", "[gui][tray]")
{
    const auto error = ui::TrayState::fromStatus(true,
        statusJson(QStringLiteral("paused"), {}, { {} }, false, QStringLiteral("401: bad credentials")));
    CHECK(error.kind() == Kind::Error);
    CHECK(error.canCommand()); // the worker itself still answers
    CHECK(error.tooltip() == QStringLiteral("CodaLab worker — error: 401: bad credentials"));

    const auto starting
        = ui::TrayState::fromStatus(true, statusJson(QStringLiteral("available"), {}, { {} }, false));
    CHECK(starting.kind() == Kind::Offline);
    CHECK(starting.canCommand());
    CHECK(starting.summary().contains(QLatin1String("CodaLab server")));
}

TEST_CASE("a worker whose Docker does not answer is Error, even while it checks in", "[gui][tray]")
{
    QJsonObject status = statusJson(QStringLiteral("available"));
    status.insert(QStringLiteral("docker"),
        QJsonObject { { QStringLiteral("endpoint"), QStringLiteral("/var/run/docker.sock") },
            { QStringLiteral("ok"), false },
            { QStringLiteral("error"), QStringLiteral("connection refused") } });
    const auto state = ui::TrayState::fromStatus(true, status);
    CHECK(state.kind() == Kind::Error);
    CHECK(state.tooltip().contains(QLatin1String("Docker is not usable: connection refused")));

    status.insert(QStringLiteral("docker"), QJsonObject { { QStringLiteral("ok"), true } });
    CHECK(ui::TrayState::fromStatus(true, status).kind() == Kind::Idle);
}

TEST_CASE("every state has a name of its own", "[gui][tray]")
{
    QStringList names;
    for (int k = 0; k < ui::TrayState::KindCount; ++k) {
        names << ui::TrayState::kindName(Kind(k));
    }
    names.removeDuplicates();
    CHECK(names.size() == ui::TrayState::KindCount);
    CHECK_FALSE(names.contains(QString()));
}
