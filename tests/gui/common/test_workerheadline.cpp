// SPDX-License-Identifier: GPL-3.0-or-later
// The worker's one-line state, read by the Dashboard headline and the status bar alike, and the one way
// every page writes a moment such as a snooze's end.
#include "common/englishplurals.h"
#include "common/units.h"
#include "common/workerheadline.h"

#include <QJsonArray>
#include <QLocale>

#include <catch2/catch.hpp>

using codalab::ui::Units;
using codalab::ui::WorkerHeadline;

namespace {

/// A worker status as WorkerStatus writes it: `busy` of `slots` slots hold a run.
QJsonObject status(const QString &availability, int slotTotal, int busy, bool connected = true)
{
    QJsonArray slotArray;
    for (int i = 0; i < slotTotal; ++i) {
        QJsonObject slot { { QStringLiteral("index"), i } };
        if (i < busy) {
            slot.insert(QStringLiteral("run"), QStringLiteral("0x%1").arg(i));
        }
        slotArray.append(slot);
    }
    return { { QStringLiteral("availability"), availability }, { QStringLiteral("slots"), slotArray },
        { QStringLiteral("slot_count"), slotTotal },
        { QStringLiteral("server"), QJsonObject { { QStringLiteral("connected"), connected } } } };
}

} // namespace

TEST_CASE("the headline says one state: starting, available, busy, or why not", "[gui][common][headline]")
{
    codalab::ui::EnglishPlurals plurals; // as main() installs it: "%n slot(s)" → "1 slot"
    REQUIRE(QCoreApplication::installTranslator(&plurals));
    const QDateTime now = QDateTime::currentDateTime();
    // Up but not checked in yet, no error: starting, not a green "Available" over "Connecting…".
    const WorkerHeadline starting = WorkerHeadline::of(status(QStringLiteral("available"), 1, 0, false), now);
    CHECK(starting.kind == WorkerHeadline::Kind::Starting);
    CHECK(starting.text == QStringLiteral("Starting the worker…"));
    CHECK(starting.reason.isEmpty());

    CHECK(WorkerHeadline::of(status(QStringLiteral("available"), 1, 0), now).text
        == QLatin1String("Available"));
    const WorkerHeadline busy = WorkerHeadline::of(status(QStringLiteral("available"), 1, 1), now);
    CHECK(busy.kind == WorkerHeadline::Kind::Busy);
    CHECK(busy.text == QStringLiteral("Busy — 1 of 1 slot"));
    CHECK(WorkerHeadline::of(status(QStringLiteral("available"), 3, 3), now).text
        == QStringLiteral("Busy — 3 of 3 slots"));
    CHECK(WorkerHeadline::of(status(QStringLiteral("available"), 2, 1), now).text
        == QStringLiteral("Available — 1 of 2 slots busy"));
    CHECK(WorkerHeadline::of(status(QStringLiteral("paused"), 1, 1), now).text == QLatin1String("Paused"));

    QJsonObject failing = status(QStringLiteral("available"), 1, 0, false);
    failing.insert(QStringLiteral("server"),
        QJsonObject { { QStringLiteral("connected"), false },
            { QStringLiteral("last_error"), QStringLiteral("Connection refused") } });
    const WorkerHeadline problem = WorkerHeadline::of(failing, now);
    CHECK(problem.kind == WorkerHeadline::Kind::Problem);
    CHECK(problem.text == QLatin1String("The server is not reached"));
    CHECK(problem.reason == QLatin1String("Connection refused"));

    QJsonObject noDocker = status(QStringLiteral("available"), 1, 0);
    noDocker.insert(QStringLiteral("docker"), QJsonObject { { QStringLiteral("ok"), false } });
    const WorkerHeadline docker = WorkerHeadline::of(noDocker, now);
    CHECK(docker.text == QLatin1String("Docker is not usable"));
    CHECK_FALSE(docker.reason.isEmpty()); // never an empty reason

    CHECK(WorkerHeadline::of({}, now).kind == WorkerHeadline::Kind::NotRunning);
    QCoreApplication::removeTranslator(&plurals);
}

TEST_CASE(
    "a snooze's end is written one way everywhere: the locale's short formats", "[gui][common][headline]")
{
    const QDateTime now(QDate(2026, 12, 5), QTime(23, 30));
    const QDateTime tonight(QDate(2026, 12, 5), QTime(23, 59, 22));
    const QDateTime tomorrow(QDate(2026, 12, 6), QTime(0, 59, 22));
    const QDateTime later(QDate(2027, 1, 20), QTime(8, 0));
    const QLocale locale;
    CHECK(Units::moment(tonight, now) == locale.toString(tonight.time(), QLocale::ShortFormat));
    CHECK(Units::moment(tomorrow, now)
        == locale.dayName(7, QLocale::ShortFormat) + QLatin1Char(' ')
            + locale.toString(tomorrow.time(), QLocale::ShortFormat));
    CHECK(Units::moment(later, now) == locale.toString(later, QLocale::ShortFormat));

    QJsonObject snoozed = status(QStringLiteral("snoozed"), 1, 0);
    snoozed.insert(QStringLiteral("snooze_until"), double(tomorrow.toSecsSinceEpoch()));
    CHECK(WorkerHeadline::of(snoozed, now).text
        == QStringLiteral("Snoozed until ") + Units::moment(tomorrow, now));
}
