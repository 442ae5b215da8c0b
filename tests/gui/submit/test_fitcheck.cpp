// SPDX-License-Identifier: GPL-3.0-or-later
// FitCheck: the sentences that tell whether a run fits the desktop's own worker, from its status JSON.
#include "submit/fitcheck.h"
#include "submittestsupport.h"

#include <QJsonArray>

#include <catch2/catch.hpp>

using namespace codalab;
using codalab::ui::FitCheck;

namespace {

/// A worker as WorkerStatus describes it: 8 CPUs lent of 16, one GPU on and one off, 16g of memory,
/// 20g free in the work directory, tag "desk", available and connected.
QJsonObject workerStatus()
{
    const qint64 g = 1024LL * 1024 * 1024;
    return QJsonObject { { QStringLiteral("availability"), QStringLiteral("available") },
        { QStringLiteral("server"), QJsonObject { { QStringLiteral("connected"), true } } },
        { QStringLiteral("tag"), QStringLiteral("desk") }, { QStringLiteral("tag_exclusive"), false },
        { QStringLiteral("cpuset"), QJsonArray { 0, 1, 2, 3, 4, 5, 6, 7 } },
        { QStringLiteral("gpus"),
            QJsonArray { QJsonObject { { QStringLiteral("uuid"), QStringLiteral("GPU-a") },
                             { QStringLiteral("enabled"), true } },
                QJsonObject { { QStringLiteral("uuid"), QStringLiteral("GPU-b") },
                    { QStringLiteral("enabled"), false } } } },
        { QStringLiteral("machine"),
            QJsonObject { { QStringLiteral("cpu_threads"), 16 },
                { QStringLiteral("memory_total_bytes"), double(16 * g) },
                { QStringLiteral("disk_free_bytes"), double(20 * g) } } } };
}

server::RunRequest fitting()
{
    server::RunRequest r;
    r.command = QStringLiteral("python train.py");
    r.queue = QStringLiteral("desk");
    r.cpus = 8;
    r.gpus = 1;
    r.memory = QStringLiteral("16g");
    r.disk = QStringLiteral("20g");
    return r;
}

} // namespace

TEST_CASE("a run within the worker's means fits without a word", "[gui][submit][fitcheck]")
{
    CHECK(FitCheck::check(fitting(), workerStatus()).isEmpty());
    // No queue tag: a worker that is not tag-exclusive takes it too.
    server::RunRequest untagged = fitting();
    untagged.queue.clear();
    CHECK(FitCheck::check(untagged, workerStatus()).isEmpty());
}

TEST_CASE("each resource asked beyond the worker is named with both numbers", "[gui][submit][fitcheck]")
{
    server::RunRequest r = fitting();
    r.cpus = 32;
    r.gpus = 2;
    r.memory = QStringLiteral("64g");
    r.disk = QStringLiteral("1t");
    CHECK(FitCheck::check(r, workerStatus())
        == QStringList { QStringLiteral("Asks for 32 CPU(s); your worker has 8."),
            QStringLiteral("Asks for 2 GPU(s); your worker has 1."),
            // The request as typed; the machine as every page writes sizes.
            QStringLiteral("Asks for 64g of memory; your worker's machine has 16 GiB."),
            QStringLiteral("Asks for 1t of disk; your worker's work directory has 20 GiB free.") });

    SECTION("a worker without a cpuset lends every thread, and one without GPUs has none")
    {
        QJsonObject status = workerStatus();
        status.remove(QStringLiteral("cpuset"));
        status.insert(QStringLiteral("gpus"), QJsonArray());
        server::RunRequest one = fitting();
        one.cpus = 17;
        one.gpus = 1;
        CHECK(FitCheck::check(one, status)
            == QStringList { QStringLiteral("Asks for 17 CPU(s); your worker has 16."),
                QStringLiteral("Asks for 1 GPU(s); your worker has none.") });
    }
    SECTION("odd machine amounts are written in binary units, the request as the user wrote it")
    {
        QJsonObject status = workerStatus();
        QJsonObject machine = status.value(QStringLiteral("machine")).toObject();
        machine.insert(QStringLiteral("memory_total_bytes"), 23.5 * 1024 * 1024 * 1024);
        machine.insert(QStringLiteral("disk_free_bytes"), 1536.0 * 1024 * 1024);
        status.insert(QStringLiteral("machine"), machine);
        server::RunRequest big = fitting();
        big.memory = QStringLiteral(" 24G ");
        big.disk = QStringLiteral("2048m");
        CHECK(FitCheck::check(big, status)
            == QStringList { QStringLiteral("Asks for 24G of memory; your worker's machine has 23.5 GiB."),
                QStringLiteral("Asks for 2048m of disk; your worker's work directory has 1.5 GiB free.") });
    }
}

TEST_CASE(
    "counts take the translation's plural forms, each sentence translated whole", "[gui][submit][fitcheck]")
{
    // What an English or German .qm gives: the sentence with its number, in the form the number needs.
    test::MapTranslator german({ { QStringLiteral("Asks for %n CPU(s); your worker has %1."),
                                     { QStringLiteral("Verlangt %n CPU; Ihr Worker hat %1."),
                                         QStringLiteral("Verlangt %n CPUs; Ihr Worker hat %1.") } },
        { QStringLiteral("Asks for %n GPU(s); your worker has none."),
            { QStringLiteral("Verlangt %n GPU; Ihr Worker hat keine."),
                QStringLiteral("Verlangt %n GPUs; Ihr Worker hat keine.") } },
        { QStringLiteral("Asks for %n GPU(s); your worker has %1."),
            { QStringLiteral("Verlangt %n GPU; Ihr Worker hat %1."),
                QStringLiteral("Verlangt %n GPUs; Ihr Worker hat %1.") } } });
    QJsonObject status = workerStatus();
    server::RunRequest r = fitting();
    r.cpus = 9;
    r.gpus = 2;
    CHECK(FitCheck::check(r, status)
        == QStringList { QStringLiteral("Verlangt 9 CPUs; Ihr Worker hat 8."),
            QStringLiteral("Verlangt 2 GPUs; Ihr Worker hat 1.") });
    status.insert(QStringLiteral("gpus"), QJsonArray());
    status.insert(QStringLiteral("cpuset"), QJsonArray { 0 });
    r.cpus = 2;
    r.gpus = 1;
    CHECK(FitCheck::check(r, status)
        == QStringList { QStringLiteral("Verlangt 2 CPUs; Ihr Worker hat 1."),
            QStringLiteral("Verlangt 1 GPU; Ihr Worker hat keine.") });
}

TEST_CASE("a queue tag that keeps the run off this workstation is said so", "[gui][submit][fitcheck]")
{
    server::RunRequest r = fitting();
    r.queue = QStringLiteral("cluster");
    CHECK(FitCheck::check(r, workerStatus())
        == QStringList {
            QStringLiteral("Queue tag “cluster” differs from your worker's tag “desk”: the run will "
                           "not run on this workstation.") });

    QJsonObject untaggedWorker = workerStatus();
    untaggedWorker.insert(QStringLiteral("tag"), QString());
    CHECK(FitCheck::check(r, untaggedWorker)
              .value(0)
              .startsWith(QStringLiteral("Queue tag “cluster”: your worker has no tag")));

    QJsonObject exclusive = workerStatus();
    exclusive.insert(QStringLiteral("tag_exclusive"), true);
    r.queue.clear();
    CHECK(FitCheck::check(r, exclusive)
        == QStringList {
            QStringLiteral("Your worker only takes runs tagged “desk”: with no queue tag the run "
                           "will not run on this workstation.") });
}

TEST_CASE(
    "a worker that is paused, draining, offline or not running makes the run wait", "[gui][submit][fitcheck]")
{
    QJsonObject status = workerStatus();
    status.insert(QStringLiteral("availability"), QStringLiteral("paused"));
    CHECK(FitCheck::check(fitting(), status)
        == QStringList { QStringLiteral("Your worker is paused: the run will wait.") });

    status.insert(QStringLiteral("availability"), QStringLiteral("snoozed"));
    status.insert(QStringLiteral("snooze_until"), 4102444800.0);
    const QStringList snoozed = FitCheck::check(fitting(), status);
    REQUIRE(snoozed.size() == 1);
    CHECK(snoozed.first().startsWith(QLatin1String("Your worker is snoozed until ")));

    status.insert(QStringLiteral("availability"), QStringLiteral("draining"));
    CHECK(
        FitCheck::check(fitting(), status).value(0).contains(QLatin1String("takes no new runs (draining)")));

    status.insert(QStringLiteral("availability"), QStringLiteral("available"));
    status.insert(QStringLiteral("server"),
        QJsonObject { { QStringLiteral("connected"), false }, { QStringLiteral("last_error"), QString() } });
    CHECK(FitCheck::check(fitting(), status).isEmpty()); // not checked in yet: no reason to worry
    status.insert(QStringLiteral("server"),
        QJsonObject { { QStringLiteral("connected"), false },
            { QStringLiteral("last_error"), QStringLiteral("Connection refused") } });
    CHECK(FitCheck::check(fitting(), status)
        == QStringList { QStringLiteral("Your worker cannot reach its server: the run will wait.") });

    CHECK(FitCheck::check(fitting(), {})
        == QStringList { QStringLiteral(
            "The worker on this computer is not running: no worker here will take the run.") });
}

namespace {

/// A worker as /rest/workers/info lists it, checked in at `checkin`.
QJsonObject serverWorker(const QString &id, const QString &tag, qint64 checkin, int cpus = 8, int gpus = 1)
{
    return { { QStringLiteral("worker_id"), id }, { QStringLiteral("tag"), tag },
        { QStringLiteral("tag_exclusive"), false }, { QStringLiteral("cpus"), cpus },
        { QStringLiteral("gpus"), gpus }, { QStringLiteral("memory_bytes"), 64.0 * 1024 * 1024 * 1024 },
        { QStringLiteral("checkin_time"), double(checkin) }, { QStringLiteral("is_terminating"), false } };
}

} // namespace

TEST_CASE("the server's own workers decide whether a run waits, not only this computer's",
    "[gui][submit][fitcheck]")
{
    const qint64 now = 1'800'000'000;
    server::RunRequest r = fitting();
    r.queue = QStringLiteral("cluster");

    SECTION("a live worker of the server serves the tag: no warning, even with no worker here")
    {
        const QJsonArray workers { serverWorker(
            QStringLiteral("node-7"), QStringLiteral("cluster"), now - 20) };
        CHECK(FitCheck::check(r, {}, workers, now).isEmpty());
        // Nor the tag mismatch with this computer's worker: the run goes to node-7.
        CHECK(FitCheck::check(r, workerStatus(), workers, now).isEmpty());
    }
    SECTION("only workers that could not take it: say what is known, per tag")
    {
        const QJsonArray workers { serverWorker(
                                       QStringLiteral("stale"), QStringLiteral("cluster"), now - 3600),
            serverWorker(QStringLiteral("small"), QStringLiteral("cluster"), now - 5, 2, 0),
            serverWorker(QStringLiteral("other"), QStringLiteral("gpu-farm"), now - 5) };
        CHECK(FitCheck::check(r, {}, workers, now)
            == QStringList { QStringLiteral("No worker of yours serves tag “cluster”, and the worker on this "
                                            "computer is not running.") });
        server::RunRequest untagged = fitting();
        untagged.queue.clear();
        CHECK(FitCheck::check(untagged, {}, QJsonArray {}, now)
            == QStringList {
                QStringLiteral("No worker of yours serves runs without a queue tag, and the worker "
                               "on this computer is not running.") });
    }
    SECTION("this computer's own entry in the list does not count twice")
    {
        QJsonObject status = workerStatus();
        status.insert(QStringLiteral("worker_id"), QStringLiteral("desk-1"));
        status.insert(QStringLiteral("availability"), QStringLiteral("paused"));
        const QJsonArray workers { serverWorker(QStringLiteral("desk-1"), QStringLiteral("desk"), now - 5) };
        CHECK(FitCheck::check(fitting(), status, workers, now)
            == QStringList { QStringLiteral("Your worker is paused: the run will wait.") });
    }
    SECTION("an exclusive worker with another tag does not take untagged runs")
    {
        QJsonObject exclusive = serverWorker(QStringLiteral("x"), QStringLiteral("mine"), now - 5);
        exclusive.insert(QStringLiteral("tag_exclusive"), true);
        server::RunRequest untagged = fitting();
        untagged.queue.clear();
        CHECK_FALSE(FitCheck::serves(exclusive, untagged, now));
        exclusive.insert(QStringLiteral("tag_exclusive"), false);
        CHECK(FitCheck::serves(exclusive, untagged, now));
    }
}

TEST_CASE("sizes that do not parse are left to validation, not guessed at", "[gui][submit][fitcheck]")
{
    server::RunRequest r = fitting();
    r.memory = QStringLiteral("2 gigs");
    r.disk = QStringLiteral("lots");
    CHECK(FitCheck::check(r, workerStatus()).isEmpty());
}
