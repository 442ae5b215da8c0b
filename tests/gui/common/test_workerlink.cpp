// SPDX-License-Identifier: GPL-3.0-or-later
// WorkerLink against a real codalab-worker: status pushed as it changes, commands, and a worker that
// goes away and comes back.
#include "common/workerlink.h"
#include "support/guitestsupport.h"
#include "support/spinuntil.h"

#include <QSignalSpy>

#include <catch2/catch.hpp>

using namespace codalab;
using codalab::test::spinUntil;

namespace {
QString availability(const ui::WorkerLink &link)
{
    return link.status().value(QLatin1String("availability")).toString();
}
} // namespace

TEST_CASE("the link follows the worker's status and its commands change it", "[gui][workerlink]")
{
    test::WorkerProcess worker;
    worker.waitReady();
    ui::WorkerLink link;
    REQUIRE(test::connectLink(link, worker));
    CHECK(link.status().value(QLatin1String("worker_id")).toString() == worker.id());
    CHECK(availability(link) == QLatin1String("available"));

    bool answered = false;
    link.pause([&](bool ok, const QJsonValue &, const QString &) { answered = ok; });
    REQUIRE(spinUntil([&] { return answered && availability(link) == QLatin1String("paused"); }, 10000));
    link.snooze(3600);
    REQUIRE(spinUntil([&] { return availability(link) == QLatin1String("snoozed"); }, 10000));
    CHECK(link.status().value(QLatin1String("snooze_until")).toDouble() > 0);
    link.resume();
    REQUIRE(spinUntil([&] { return availability(link) == QLatin1String("available"); }, 10000));

    QSignalSpy failed(&link, &ui::WorkerLink::commandFailed);
    link.killRun(QStringLiteral("0x00000000000000000000000000000000"));
    REQUIRE(spinUntil([&] { return failed.size() == 1; }, 10000));
    CHECK(failed.first().at(0).toString() == QLatin1String("killRun"));
    CHECK_FALSE(failed.first().at(1).toString().isEmpty());

    // With a context: the error code tells an unknown method apart, and a context gone means no call back.
    int code = 0;
    QObject context;
    link.call(QStringLiteral("noSuchMethod"), {}, &context,
        [&](const QJsonValue &, int errorCode, const QString &) { code = errorCode; });
    REQUIRE(spinUntil([&] { return code != 0; }, 10000));
    CHECK(code == -32601); // JSON-RPC "method not found"
    bool calledBack = false;
    auto *gone = new QObject;
    link.call(QStringLiteral("status"), {}, gone,
        [&](const QJsonValue &, int, const QString &) { calledBack = true; });
    delete gone;
    // Answers come in order: once a later call is answered, the first one was too.
    bool later = false;
    link.call(QStringLiteral("status"), {}, [&](bool, const QJsonValue &, const QString &) { later = true; });
    REQUIRE(spinUntil([&] { return later; }, 10000));
    CHECK_FALSE(calledBack);
}

TEST_CASE(
    "a worker that stops takes the status with it, and one started later is picked up", "[gui][workerlink]")
{
    auto worker = std::make_unique<test::WorkerProcess>();
    worker->waitReady();
    const QString socket = worker->socketPath();
    ui::WorkerLink link;
    link.setReconnectIntervalMs(100);
    QSignalSpy connection(&link, &ui::WorkerLink::connectionChanged);
    link.setSocketPath(socket);
    REQUIRE(spinUntil([&] { return !link.status().isEmpty(); }, 10000));

    worker->process().terminate();
    REQUIRE(worker->process().waitForFinished(20000));
    REQUIRE(spinUntil([&] { return !link.isConnected(); }, 10000));
    CHECK(link.status().isEmpty());
    CHECK(connection.last().at(0).toBool() == false);
    CHECK_FALSE(link.lastError().isEmpty());

    // A command to a worker that is not there fails at once, with the reason, and never blocks.
    QString error;
    bool called = false;
    link.drain([&](bool ok, const QJsonValue &, const QString &message) {
        called = true;
        error = ok ? QString() : message;
    });
    CHECK_FALSE(called); // never from within the call
    REQUIRE(spinUntil([&] { return called; }, 5000));
    CHECK_FALSE(error.isEmpty());

    // The same worker started again at the same socket is found without any call.
    worker->process().start();
    REQUIRE(worker->process().waitForStarted(10000));
    REQUIRE(spinUntil([&] { return link.isConnected() && !link.status().isEmpty(); }, 30000));
    CHECK(connection.last().at(0).toBool() == true);
}
