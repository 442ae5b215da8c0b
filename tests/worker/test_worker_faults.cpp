// SPDX-License-Identifier: GPL-3.0-or-later
// Faults the worker must survive without losing a run (issue #8): kill -9 with eight runs in flight, the
// server gone for 90 s mid-run, a full disk in the work dir, and a corrupted state file. Each prints its
// figures on a "faults:" line.
#include "support/codalabtestdata.h"
#include "support/dockertestenv.h"
#include "support/smalldisk.h"
#include "system/machinespecs.h"
#include "worker/dependencycache.h"
#include "worker/run.h"
#include "worker/scriptedserver.h"
#include "worker/workerharness.h"
#include "worker/workerprocess.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStorageInfo>
#include <QTest>

#include <catch2/catch.hpp>
#include <cstdio>
#include <sys/mount.h>

using namespace codalab;
using namespace codalab::test;

namespace {

const QStringList Final { QStringLiteral("ready"), QStringLiteral("failed"), QStringLiteral("killed") };

QString state(const QJsonObject &b)
{
    return b.value(QLatin1String("state")).toString();
}

/// Runs that hold no CPU of their own, so that eight fit on a two-core machine (request_cpus 0 is valid).
const QJsonObject NoCpu { { QStringLiteral("request_cpus"), 0 } };

/// The containers of worker `id` in the shared dockerd; removes them when it goes out of scope, so a test
/// that fails half-way leaves nothing running.
struct WorkerContainers
{
    explicit WorkerContainers(QString workerId)
        : id(std::move(workerId))
    { }
    QString id;
    docker::DockerClient docker;
    QJsonArray list(bool all = false)
    {
        const docker::DockerResult listed = waitReply(docker.listContainers(
            { { QStringLiteral("label"), { QStringLiteral("org.codalab.worker=") + id } } }, all));
        return listed.json.array();
    }
    ~WorkerContainers()
    {
        for (const QJsonValue &c : list(true)) {
            waitReply(docker.removeContainer(c.toObject().value(QLatin1String("Id")).toString(), true));
        }
    }
};

/// Seconds the server stays away in the outage test: 90 as the issue asks, CODALAB_TEST_OUTAGE_SECONDS to
/// try it shorter while iterating.
int outageSeconds()
{
    bool ok = false;
    const int s = qEnvironmentVariableIntValue("CODALAB_TEST_OUTAGE_SECONDS", &ok);
    return ok && s > 0 ? s : 90;
}

} // namespace

TEST_CASE("kill -9 of the worker with 8 runs in flight: after restarts 8 of 8 finish and upload",
    "[worker][faults][recovery]")
{
    constexpr int Runs = 8;
    // Each run holds at least one CPU (the server counts request_cpus 0 as 1, as upstream does), so a machine
    // with fewer than 8 CPUs cannot run 8 at once: there the worker is killed again each time it has filled
    // its CPUs with runs not yet killed under, until all 8 have been.
    const int atOnce = qMin(Runs, int(system::MachineSpecs::affinityCpus().size()));
    LocalServerFixture f([](localserver::LocalServerConfig &c) { c.checkinWaitMs = 1000; });
    QTemporaryDir dir;
    WorkerContainers containers(QStringLiteral("faults-kill9-%1").arg(QCoreApplication::applicationPid()));
    WorkerDaemon d;
    d.arguments = { QStringLiteral("--server"), f.server->url(), QStringLiteral("--password-file"),
        f.server->passwordFile(), QStringLiteral("--work-dir"), dir.filePath(QStringLiteral("work")),
        QStringLiteral("--id"), containers.id, QStringLiteral("--no-network"), QStringLiteral("--slots"),
        QString::number(Runs), QStringLiteral("--control-socket"), dir.filePath(QStringLiteral("c.sock")) };
    d.start();
    auto client = f.root();
    QStringList uuids;
    for (int i = 0; i < Runs; ++i) {
        // Each run writes before and after the kill, so both halves of its output must reach the server.
        uuids << submitRun(*client, QStringLiteral("echo begun %1; sleep 6; echo done %1").arg(i), NoCpu);
    }
    const auto runningBundles = [&] {
        QSet<QString> running;
        for (const QJsonValue &c : containers.list()) {
            running << c.toObject()
                           .value(QLatin1String("Labels"))
                           .toObject()
                           .value(QLatin1String("org.codalab.bundle"))
                           .toString();
        }
        return running;
    };
    QSet<QString> killedUnder; // runs whose container ran while their worker was killed
    int kills = 0;
    int mostAtOnce = 0;
    QElapsedTimer total;
    total.start();
    while (killedUnder.size() < Runs) {
        // Wait until the worker is full: as many runs in containers as it can hold (or all that are left),
        // at least one of them not yet killed under.
        REQUIRE(waitUntil(
            [&] {
                const QSet<QString> running = runningBundles();
                const int left = int(std::count_if(uuids.begin(), uuids.end(),
                    [&](const QString &u) { return !Final.contains(state(bundle(*client, u))); }));
                return running.size() >= qMin(atOnce, left) && !(running - killedUnder).isEmpty();
            },
            90000));
        d.kill(); // SIGKILL: the containers run on without their worker
        ++kills;
        const QSet<QString> down = runningBundles();
        mostAtOnce = qMax(mostAtOnce, int(down.size()));
        killedUnder |= down;
        d.start();
    }
    int ready = 0;
    for (int i = 0; i < Runs; ++i) {
        const QJsonObject b = waitForState(*client, uuids[i], Final, 120000);
        INFO(QJsonDocument(b).toJson().toStdString());
        CHECK(state(b) == QLatin1String("ready"));
        CHECK(readBundleFile(*client, uuids[i], QStringLiteral("stdout"))
            == QStringLiteral("begun %1\ndone %1\n").arg(i).toUtf8());
        ready += state(b) == QLatin1String("ready") ? 1 : 0;
    }
    std::printf(
        "faults: kill -9 with runs in flight: %d kills, up to %d containers running at a kill (%d CPUs); "
        "%d of %d runs were running at a kill and %d of %d ended ready with their whole output, %.1f s "
        "in all\n",
        kills, mostAtOnce, atOnce, int(killedUnder.size()), Runs, ready, Runs, total.elapsed() / 1000.0);
    CHECK(killedUnder == QSet<QString>(uuids.begin(), uuids.end()));
    CHECK(mostAtOnce == atOnce);
    CHECK(ready == Runs);
    // The restarted worker removed every container it finished with.
    CHECK(waitUntil([&] { return containers.list(true).isEmpty(); }, 30000));
}

TEST_CASE("the server gone for 90 s mid-run: no run lost, every result uploaded once it is back",
    "[worker][faults][recovery]")
{
    const int outage = outageSeconds();
    const quint16 port = freePort();
    LocalServerFixture f([port](localserver::LocalServerConfig &c) {
        c.port = port;
        c.checkinWaitMs = 1000;
    });
    WorkerHarness h(f, [](worker::WorkerConfig &c) {
        c.slotCount = 2;
        c.cpuset = c.cpuset.mid(0, 2); // two runs at once (each holds a CPU), whatever the machine
    });
    h.start();
    auto client = f.root();
    // One run ends early in the outage, one is still running when the server returns, and a third waits on
    // the server for a free CPU all along.
    const QStringList uuids { submitRun(*client, QStringLiteral("echo early; sleep 3"), NoCpu),
        submitRun(*client, QStringLiteral("echo long; sleep %1; echo after").arg(outage + 10), NoCpu),
        submitRun(*client, QStringLiteral("echo queued"), NoCpu) };
    waitForState(*client, uuids[0], { QStringLiteral("running") });
    waitForState(*client, uuids[1], { QStringLiteral("running") });
    client.reset();
    f.server.reset();
    QElapsedTimer gone;
    gone.start();
    int finishedWhileGone = 0;
    while (gone.elapsed() < outage * 1000) {
        QTest::qWait(1000); // check-ins and uploads fail meanwhile, with backoff
        finishedWhileGone = 0;
        for (const worker::Run *r : h.worker->runs()) {
            finishedWhileGone += r->stage() >= worker::RunStage::UploadingResults ? 1 : 0;
        }
    }
    // Nothing was given up while the server was away.
    CHECK(h.worker->runs().size() == 2);
    f.start();
    QElapsedTimer back;
    back.start();
    client = f.root();
    const QByteArrayList expected { "early\n", "long\nafter\n", "queued\n" };
    int ready = 0;
    for (int i = 0; i < uuids.size(); ++i) {
        const QJsonObject b = waitForState(*client, uuids[i], Final, 120000);
        INFO(QJsonDocument(b).toJson().toStdString());
        CHECK(state(b) == QLatin1String("ready"));
        CHECK(readBundleFile(*client, uuids[i], QStringLiteral("stdout")) == expected[i]);
        ready += state(b) == QLatin1String("ready") ? 1 : 0;
    }
    std::printf(
        "faults: server gone for %d s mid-run: of 2 runs on the worker %d finished while it was gone; "
        "%d of 3 (one queued on the server) ready with their output %.1f s after it came back\n",
        outage, finishedWhileGone, ready, back.elapsed() / 1000.0);
    CHECK(finishedWhileGone == 1);
}

TEST_CASE(
    "a full disk in the work dir: runs fail saying so, the state file stays whole, space back → runs again",
    "[worker][faults][disk]")
{
    SmallDisk disk("48m");
    if (!disk.mounted) {
        WARN("skipped: cannot mount a tmpfs here (needs root): " << std::strerror(errno));
        return;
    }
    LocalServerFixture f;
    WorkerHarness h(f, [&](worker::WorkerConfig &c) { c.workDir = disk.path() + QStringLiteral("/work"); });
    h.start();
    auto client = f.root();
    const QString statePath = h.config.stateFile();

    // 1. A run that fills the disk itself: its own command fails, the worker carries on.
    // Its stdout lives on the same full disk, so it only reports once it has freed the space again.
    const QString filling = submitRun(*client,
        QStringLiteral(
            "said=$(dd if=/dev/zero of=big bs=1M count=100 2>&1); r=$?; rm -f big; echo \"dd: $r $said\""));
    QJsonObject b = waitForState(*client, filling, Final, 60000);
    INFO(QJsonDocument(b).toJson().toStdString());
    CHECK(state(b) == QLatin1String("ready"));
    const QByteArray said = readBundleFile(*client, filling, QStringLiteral("stdout"));
    INFO(said.toStdString());
    CHECK(said.startsWith("dd: 1 "));
    CHECK(said.contains("No space left on device"));

    // 2. The disk is full before the run starts: the dependency cannot be stored.
    const QString data = createDataset(
        *client, QStringLiteral("data"), QStringLiteral("data.txt"), QByteArray(2 * 1024 * 1024, 'd'));
    REQUIRE(QFile::exists(statePath));
    QFile before(statePath);
    REQUIRE(before.open(QIODevice::ReadOnly));
    const QByteArray stateBefore = before.readAll();
    before.close();
    disk.fill(16 * 1024);
    const qint64 freeBytes = QStorageInfo(disk.path()).bytesAvailable();
    const QString starved = submitRun(*client, QStringLiteral("cat data.txt | wc -c"), {},
        { dependency(QStringLiteral("data.txt"), data) });
    b = waitForState(*client, starved, Final, 60000);
    const QString failure = metadata(b, "failure_message").toString();
    INFO(QJsonDocument(b).toJson().toStdString());
    CHECK(state(b) == QLatin1String("failed"));
    CHECK(failure.contains(QLatin1String("No space left on device")));
    // The state file is still the whole JSON document it was, or a newer whole one, never a torn one.
    QFile after(statePath);
    REQUIRE(after.open(QIODevice::ReadOnly));
    const QByteArray stateAfter = after.readAll();
    QJsonParseError parseError;
    CHECK(QJsonDocument::fromJson(stateAfter, &parseError).isObject());
    CHECK(parseError.error == QJsonParseError::NoError);
    CHECK(!QDir(h.config.workDir).entryList({ QStringLiteral("*.corrupt-*") }).size());

    // 3. Space comes back: once the failed download is forgotten (it is kept a few seconds so that the runs
    // sharing it fail together), the next run is served as if nothing happened.
    disk.unfill();
    REQUIRE(waitUntil([&] { return h.worker->dependencyCache()->entries().isEmpty(); }, 30000));
    const QString recovered = submitRun(*client, QStringLiteral("cat data.txt | wc -c"), {},
        { dependency(QStringLiteral("data.txt"), data) });
    b = waitForState(*client, recovered, Final, 60000);
    CHECK(state(b) == QLatin1String("ready"));
    CHECK(readBundleFile(*client, recovered, QStringLiteral("stdout")).trimmed() == "2097152");
    std::printf(
        "faults: full disk (48 MiB tmpfs, %lld bytes left): the run failed with \"%s\"; state file %s "
        "(%lld → %lld bytes); after freeing space the next run was %s\n",
        static_cast<long long>(freeBytes), qPrintable(failure),
        parseError.error == QJsonParseError::NoError ? "whole" : "TORN",
        static_cast<long long>(stateBefore.size()), static_cast<long long>(stateAfter.size()),
        qPrintable(state(b)));
}

TEST_CASE("a corrupted state file: the worker starts, sets it aside and says what it dropped",
    "[worker][faults][state]")
{
    LocalServerFixture f([](localserver::LocalServerConfig &c) { c.checkinWaitMs = 1000; });
    QTemporaryDir dir;
    const QString work = dir.filePath(QStringLiteral("work"));
    REQUIRE(QDir().mkpath(work));
    const QString workerId = QStringLiteral("faults-state-%1").arg(QCoreApplication::applicationPid());
    const QString statePath = work + QStringLiteral("/worker-state-") + workerId + QStringLiteral(".json");
    WorkerDaemon d;
    d.captureOutput = true;
    d.arguments = { QStringLiteral("--server"), f.server->url(), QStringLiteral("--password-file"),
        f.server->passwordFile(), QStringLiteral("--work-dir"), work, QStringLiteral("--id"), workerId,
        QStringLiteral("--no-network"), QStringLiteral("--control-socket"),
        dir.filePath(QStringLiteral("c.sock")) };
    auto client = f.root();

    SECTION("torn JSON: moved aside, and runs are served")
    {
        const QByteArray torn = R"({"worker_id":"x","runs":[{"uuid":"0x12)";
        QFile file(statePath);
        REQUIRE(file.open(QIODevice::WriteOnly));
        file.write(torn);
        file.close();
        d.start();
        const QString uuid = submitRun(*client, QStringLiteral("echo fine"));
        CHECK(state(waitForState(*client, uuid, Final)) == QLatin1String("ready"));
        const QStringList aside = QDir(work).entryList({ QStringLiteral("worker-state-*.json.corrupt-*") });
        REQUIRE(aside.size() == 1);
        QFile kept(work + QLatin1Char('/') + aside.first());
        REQUIRE(kept.open(QIODevice::ReadOnly));
        CHECK(kept.readAll() == torn); // kept for a post-mortem, byte for byte
        const QByteArray said = d.output();
        INFO(said.toStdString());
        CHECK(said.contains("is not valid"));
        CHECK(said.contains(aside.first().toUtf8()));
        // The log says when, and stages in words (issue item 12).
        const QString log = QString::fromUtf8(said);
        const QString time
            = QStringLiteral("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) ");
        const QRegularExpression::PatternOption lines = QRegularExpression::MultilineOption;
        CHECK(QRegularExpression(
            QStringLiteral("^") + time + QStringLiteral("codalab\\.worker: Worker started!"), lines)
                  .match(log)
                  .hasMatch());
        CHECK(QRegularExpression(QStringLiteral("^") + time + QStringLiteral("codalab\\.worker\\.run: ")
                + QRegularExpression::escape(uuid.left(10)) + QStringLiteral(": preparing \u2192 running$"),
            lines)
                  .match(log)
                  .hasMatch());
        std::printf("faults: torn state file (%lld bytes): moved to %s, worker served a run\n",
            static_cast<long long>(torn.size()), qPrintable(aside.first()));
    }
    SECTION("one bad run among good ones: that run is named and dropped, the rest kept")
    {
        // A state file as a worker writes it, with one run whose uuid is not a uuid.
        QJsonObject bad { { QStringLiteral("uuid"), QStringLiteral("../../etc") },
            { QStringLiteral("stage"), QStringLiteral("RUNNING") } };
        QJsonObject stateJson { { QStringLiteral("worker_id"), workerId },
            { QStringLiteral("runs"), QJsonArray { bad } },
            { QStringLiteral("availability"), QStringLiteral("paused") } };
        QFile file(statePath);
        REQUIRE(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(stateJson).toJson());
        file.close();
        d.start();
        REQUIRE(waitUntil([&] { return d.output().contains("drops"); }, 20000));
        const QByteArray said = d.output();
        INFO(said.toStdString());
        CHECK(said.contains("../../etc"));
        // What was good in the file is kept: the worker is still paused.
        const WorkerOutcome status = runWorker({ QStringLiteral("--control-socket"),
            dir.filePath(QStringLiteral("c.sock")), QStringLiteral("status"), QStringLiteral("--json") });
        CHECK(QJsonDocument::fromJson(status.out).object().value(QLatin1String("availability")).toString()
            == QLatin1String("paused"));
        std::printf("faults: state file with a bad run: %s\n",
            qPrintable(
                QString::fromUtf8(said.mid(said.indexOf("drops"), 120)).section(QLatin1Char('\n'), 0, 0)));
    }
}

TEST_CASE("malformed check-in answers are refused one by one and the worker goes on checking in",
    "[worker][faults][hostile]")
{
    const QByteArray token = R"({"access_token": "t", "token_type": "Bearer", "expires_in": 3600})";
    const QByteArray hugeRun = R"({"type": "run", "bundle": {"uuid": "0x0123456789abcdef0123456789abcdef",
        "command": "true", "dependencies": [], "metadata": {}}, "resources": {"docker_image": "x",
        "cpus": 1, "gpus": 0, "memory": 1e30, "time": -1e300, "disk": "lots"}})";
    QList<ScriptedServer::Answer> script;
    const QList<QByteArray> hostile {
        "this is not JSON",
        R"([1, "two", null, [3]])",
        R"({"type": "run"})",
        R"({"type": "run", "bundle": {"uuid": "../../etc"}, "resources": {}})",
        R"({"type": "run", "bundle": {"uuid": "0x0123456789abcdef0123456789abcde0", "command": "true",
            "dependencies": [{"child_path": "../escape", "parent_uuid": "0x0123456789abcdef0123456789abcde1",
            "parent_path": ""}]}, "resources": {"docker_image": "x", "cpus": 1, "gpus": 0}})",
        R"({"type": "frobnicate", "uuid": 5})",
        R"({"type": "kill", "uuid": "0xffffffffffffffffffffffffffffffff"})",
        R"({"type": "read", "uuid": {}, "socket_id": [], "read_args": 7})",
        QByteArray("{\"type\": \"run\", \"bundle\": ") + QByteArray(200000, '['),
        hugeRun,
    };
    for (const QByteArray &h : hostile) {
        script.append({ 200, h, false, false, "application/json" });
    }
    script.append({ 200, "null", false, false, "application/json" }); // from here on: nothing to do, repeated
    ScriptedServer scripted(script);
    scripted.fixed = { { "/oauth2/token", { 200, token, false, false, "application/json" } } };
    REQUIRE(scripted.listen());
    LocalServerFixture unused;
    WorkerHarness h(unused, [](worker::WorkerConfig &c) { c.checkinFrequencySec = 1; });
    h.serverUrl = scripted.url();
    h.start();
    const auto checkins = [&] {
        return int(std::count_if(scripted.requests.begin(), scripted.requests.end(),
            [](const ScriptedServer::Request &r) { return r.head.contains("/checkin "); }));
    };
    // Every hostile answer was read, and the worker checked in again after the last of them.
    REQUIRE(waitUntil([&] { return checkins() >= int(hostile.size()) + 2; }, 120000));
    CHECK(h.worker->runs().isEmpty());
    // None was taken: the worker never told the server it started one.
    CHECK(std::none_of(scripted.requests.begin(), scripted.requests.end(),
        [](const ScriptedServer::Request &r) { return r.head.contains("/start_bundle/"); }));
    CHECK(h.exitCode == -1); // still running
    std::printf(
        "faults: %d malformed check-in answers: the worker refused each, holds %d runs and checked in "
        "%d times\n",
        int(hostile.size()), int(h.worker->runs().size()), checkins());
}
