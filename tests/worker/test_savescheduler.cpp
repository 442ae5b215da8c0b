// SPDX-License-Identifier: GPL-3.0-or-later
// When the worker writes its state files (SaveScheduler) and when it wakes the server for a run's news
// (CheckinLoop::report): a stage reached goes at once, progress is gathered.
#include "support/spinuntil.h"
#include "worker/checkinloop.h"
#include "worker/savescheduler.h"

#include <QCoreApplication>
#include <QSignalSpy>

#include <catch2/catch.hpp>

using namespace codalab::worker;
using codalab::test::spinUntil;

namespace {

/// Runs the event loop for one pass: what was queued for "the next turn" happens, a timer of `ms` does not.
void oneTurn()
{
    QCoreApplication::processEvents();
    QCoreApplication::sendPostedEvents();
}

} // namespace

TEST_CASE(
    "an urgent save is written once in the next turn, however often it was asked for", "[worker][state]")
{
    int writes = 0;
    SaveScheduler saves([&] { ++writes; }, nullptr, 60000);
    saves.request();
    saves.request();
    saves.request(false);
    CHECK(writes == 0); // never inside the change that asked for it
    CHECK(saves.pending());
    oneTurn();
    CHECK(writes == 1);
    CHECK_FALSE(saves.pending());
    oneTurn();
    CHECK(writes == 1);
}

TEST_CASE(
    "progress is gathered: written after the delay, once, unless a stage is written first", "[worker][state]")
{
    int writes = 0;
    SaveScheduler saves([&] { ++writes; }, nullptr, 50);
    saves.request(false);
    saves.request(false);
    oneTurn();
    CHECK(writes == 0);
    REQUIRE(spinUntil([&] { return writes == 1; }, 5000));
    CHECK_FALSE(saves.pending());

    // Progress, then a stage: one write in the next turn, and the delay writes nothing more.
    saves.request(false);
    saves.request(true);
    oneTurn();
    CHECK(writes == 2);
    spinUntil([] { return false; }, 150);
    CHECK(writes == 2);
}

TEST_CASE("a state written by its owner cancels what was pending", "[worker][state]")
{
    int writes = 0;
    SaveScheduler saves([&] { ++writes; }, nullptr, 30);
    saves.request(true);
    saves.request(false);
    saves.written(); // the owner wrote it itself (on exit)
    CHECK_FALSE(saves.pending());
    spinUntil([] { return false; }, 100);
    CHECK(writes == 0);
}

TEST_CASE(
    "a run's news wakes the server at once only when the state the server sees changed", "[worker][checkin]")
{
    // Not started: the loop sends nothing, but says when it wants the check-in in flight answered.
    CheckinLoop loop(nullptr, [] { return QJsonObject(); });
    QSignalSpy wakes(&loop, &CheckinLoop::wakeWanted);
    const QString a = QStringLiteral("0xa");
    const QString b = QStringLiteral("0xb");

    loop.report(a, QStringLiteral("running")); // preparing -> running
    CHECK(wakes.count() == 1);
    loop.report(a, QStringLiteral("running")); // running -> cleaning up: still `running` to the server
    loop.report(a, QStringLiteral("running")); // -> uploading results
    CHECK(wakes.count() == 1);
    loop.report(b, QStringLiteral("running")); // another run's first news
    CHECK(wakes.count() == 2);
    loop.report(b, QStringLiteral("running"));
    CHECK(wakes.count() == 2);
    REQUIRE(spinUntil([&] { return wakes.count() == 3; }, 5000)); // gathered, sent within ReportDelayMs
    spinUntil([] { return false; }, CheckinLoop::ReportDelayMs + 100);
    CHECK(wakes.count() == 3); // once for both

    loop.report(a, QStringLiteral("running"));
    loop.report(a, QStringLiteral("finalizing")); // what frees the slot on the server: at once
    CHECK(wakes.count() == 4);
    spinUntil([] { return false; }, CheckinLoop::ReportDelayMs + 100);
    CHECK(wakes.count() == 4); // the gathered news went with it
    loop.report(a, QString()); // finished: forgotten, and the worker has room again
    CHECK(wakes.count() == 5);
    loop.report(a, QStringLiteral("running")); // a uuid seen again starts afresh
    CHECK(wakes.count() == 6);
}
