// SPDX-License-Identifier: GPL-3.0-or-later
// Availability as the server sees it: pause, snooze, drain, stop with give-back; tags and tag-exclusive.
#include "support/codalabtestdata.h"
#include "support/dockertestenv.h"
#include "worker/run.h"
#include "worker/workerharness.h"

#include <QTest>

#include <catch2/catch.hpp>

using namespace codalab;
using namespace codalab::test;

namespace {
const QStringList Final { QStringLiteral("ready"), QStringLiteral("failed"), QStringLiteral("killed") };
QString stateOf(HttpTestClient &c, const QString &uuid)
{
    return bundle(c, uuid).value(QLatin1String("state")).toString();
}
} // namespace

TEST_CASE("a paused worker takes no runs until resumed, and a snoozed one until the time is up",
    "[worker][availability]")
{
    LocalServerFixture f([](localserver::LocalServerConfig &c) { c.checkinWaitMs = 500; });
    WorkerHarness h(f);
    h.start();
    auto client = f.root();
    h.worker->pause();
    QTest::qWait(2000); // the check-in in flight still offered a run
    const QString uuid = submitRun(*client, QStringLiteral("echo resumed"));
    QTest::qWait(3000); // several check-ins
    CHECK(stateOf(*client, uuid) == QLatin1String("staged"));
    CHECK(h.worker->checkinBody().value(QLatin1String("exit_after_num_runs")).toInt() == 0);
    h.worker->resume();
    CHECK(waitForState(*client, uuid, Final).value(QLatin1String("state")).toString()
        == QLatin1String("ready"));

    h.worker->snooze(6);
    CHECK(h.worker->availability() == worker::Worker::Availability::Snoozed);
    QTest::qWait(2000); // the check-in in flight still offered a run
    const QString later = submitRun(*client, QStringLiteral("echo after snooze"));
    QTest::qWait(1500);
    CHECK(stateOf(*client, later) == QLatin1String("staged"));
    CHECK(waitForState(*client, later, Final).value(QLatin1String("state")).toString()
        == QLatin1String("ready"));
    CHECK(h.worker->availability() == worker::Worker::Availability::Available);
}

TEST_CASE(
    "a draining worker finishes its run, takes no new one, then reports drained", "[worker][availability]")
{
    LocalServerFixture f([](localserver::LocalServerConfig &c) { c.checkinWaitMs = 500; });
    WorkerHarness h(f);
    h.start();
    auto client = f.root();
    const QString first = submitRun(*client, QStringLiteral("sleep 3; echo first"));
    waitForState(*client, first, { QStringLiteral("running") });
    h.worker->drain();
    const QString second = submitRun(*client, QStringLiteral("echo second"));
    CHECK(waitForState(*client, first, Final).value(QLatin1String("state")).toString()
        == QLatin1String("ready"));
    CHECK(
        waitUntil([&] { return h.worker->availability() == worker::Worker::Availability::Drained; }, 10000));
    QTest::qWait(2000);
    CHECK(stateOf(*client, second) == QLatin1String("staged"));
    h.worker->resume();
    CHECK(waitForState(*client, second, Final).value(QLatin1String("state")).toString()
        == QLatin1String("ready"));
}

TEST_CASE("stop with give-back hands the running run back to the server as staged", "[worker][availability]")
{
    LocalServerFixture f([](localserver::LocalServerConfig &c) { c.checkinWaitMs = 500; });
    WorkerHarness h(f);
    h.start();
    auto client = f.root();
    const QString uuid = submitRun(*client, QStringLiteral("sleep 120"));
    waitForState(*client, uuid, { QStringLiteral("running") });
    h.worker->stop(true);
    REQUIRE(waitUntil([&] { return h.exitCode >= 0; }, 30000));
    CHECK(h.exitCode == 0);
    CHECK(stateOf(*client, uuid) == QLatin1String("staged"));
    CHECK(waitReply(h.docker.inspectContainer(QStringLiteral("codalab_run_") + uuid)).error.kind
        == docker::DockerError::Kind::NotFound);
}

TEST_CASE("a tag-exclusive worker only takes runs of its queue", "[worker][tags]")
{
    LocalServerFixture f([](localserver::LocalServerConfig &c) { c.checkinWaitMs = 500; });
    WorkerHarness h(f, [](worker::WorkerConfig &c) {
        c.tag = QStringLiteral("lab-gpu");
        c.tagExclusive = true;
    });
    h.start();
    auto client = f.root();
    const QString untagged = submitRun(*client, QStringLiteral("echo anywhere"));
    const QString tagged = submitRun(*client, QStringLiteral("echo here"),
        { { QStringLiteral("request_queue"), QStringLiteral("lab-gpu") } });
    CHECK(waitForState(*client, tagged, Final).value(QLatin1String("state")).toString()
        == QLatin1String("ready"));
    QTest::qWait(1500);
    CHECK(stateOf(*client, untagged) == QLatin1String("staged"));
}
