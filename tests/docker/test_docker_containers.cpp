// SPDX-License-Identifier: GPL-3.0-or-later
// Container life cycle against the real daemon.
#include "docker/containerstats.h"
#include "support/dockertestenv.h"

#include <QJsonArray>

#include <catch2/catch.hpp>

using namespace codalab::docker;
using namespace codalab::test;

TEST_CASE("a container goes through its whole life cycle", "[docker][lifecycle]")
{
    DockerScope scope;
    DockerClient &client = scope.client();
    ContainerSpec spec = scope.spec(QStringLiteral("echo started; sleep 30"));
    spec.name = scope.uniqueName(QStringLiteral("life"));
    spec.labels.insert(QStringLiteral("codalab.test.case"), spec.name);
    const QString id = scope.create(spec);

    DockerResult r = waitReply(client.inspectContainer(spec.name));
    REQUIRE(r.ok());
    ContainerInfo info = ContainerInfo::fromInspect(r.json.object());
    CHECK(info.id == id);
    CHECK(info.name == spec.name);
    CHECK(info.status == QLatin1String("created"));
    CHECK_FALSE(info.startedAt.isValid());

    REQUIRE(waitReply(client.startContainer(id)).ok());
    info = ContainerInfo::fromInspect(waitReply(client.inspectContainer(id)).json.object());
    CHECK(info.running);
    CHECK(info.status == QLatin1String("running"));
    CHECK(info.startedAt.isValid());
    CHECK_FALSE(info.finishedAt.isValid());

    SECTION("listed by label and by name")
    {
        r = waitReply(client.listContainers(
            { { QStringLiteral("label"), { QStringLiteral("codalab.test.case=") + spec.name } } }));
        REQUIRE(r.ok());
        REQUIRE(r.json.array().size() == 1);
        const ContainerInfo listed = ContainerInfo::fromListEntry(r.json.array().first().toObject());
        CHECK(listed.id == id);
        CHECK(listed.name == spec.name);
        CHECK(listed.running);
        r = waitReply(client.listContainers({ { QStringLiteral("name"), { spec.name } } }, false));
        REQUIRE(r.json.array().size() == 1);
        r = waitReply(
            client.listContainers({ { QStringLiteral("name"), { spec.name + QStringLiteral("-nobody") } } }));
        CHECK(r.json.array().isEmpty());
    }

    SECTION("a wait in flight does not hold up other calls, and kill ends it with 137")
    {
        DockerReply *wait = client.waitContainer(id);
        QSignalSpy waitSpy(wait, &DockerReply::finished);
        CHECK_FALSE(wait->isFinished()); // calls return at once; the answer comes later
        REQUIRE(waitReply(client.ping()).ok());
        CHECK(waitSpy.isEmpty()); // the ping was answered while the wait was still pending

        REQUIRE(waitReply(client.killContainer(id)).ok());
        REQUIRE(QTest::qWaitFor([&] { return !waitSpy.isEmpty(); }, 30000));
        const DockerResult waited = waitSpy.first().first().value<DockerResult>();
        CHECK(waited.json.object().value(QLatin1String("StatusCode")).toInt() == 137);
        info = ContainerInfo::fromInspect(waitReply(client.inspectContainer(id)).json.object());
        CHECK(info.status == QLatin1String("exited"));
        CHECK(info.exitCode == 137);
        CHECK_FALSE(info.oomKilled);
        CHECK(info.finishedAt >= info.startedAt);

        SECTION("killing a stopped container is a conflict")
        {
            r = waitReply(client.killContainer(id));
            CHECK(r.error.kind == DockerError::Kind::Conflict);
            CHECK(r.error.httpStatus == 409);
        }
    }

    SECTION("removed with force while running, then gone")
    {
        REQUIRE(waitReply(client.removeContainer(id, true)).ok());
        r = waitReply(client.inspectContainer(id));
        CHECK(r.error.kind == DockerError::Kind::NotFound);
        CHECK(r.error.httpStatus == 404);
        CHECK(r.error.message.contains(QLatin1String("No such container")));
    }
}

TEST_CASE("exit codes come back from wait and inspect", "[docker][exit]")
{
    DockerScope scope;
    for (int code : { 0, 3, 255 }) {
        const RunOutcome run = scope.run(scope.spec(QStringLiteral("exit %1").arg(code)));
        CHECK(run.waitStatusCode == code);
        CHECK(run.info.exitCode == code);
        CHECK(run.info.status == QLatin1String("exited"));
    }
}

TEST_CASE("stdout and stderr come back separately through the logs", "[docker][logs]")
{
    DockerScope scope;
    const RunOutcome run = scope.run(scope.spec(QStringLiteral(
        "for i in 1 2 3; do echo out$i; echo err$i >&2; done; head -c 200000 /dev/zero | tr '\\0' x")));
    CHECK(run.waitStatusCode == 0);
    CHECK(run.out.startsWith("out1\nout2\nout3\n"));
    CHECK(run.out.size() == 15 + 200000);
    CHECK(run.err == "err1\nerr2\nerr3\n");
}

TEST_CASE("a TTY container's logs are read raw", "[docker][logs]")
{
    DockerScope scope;
    ContainerSpec spec = scope.spec(QStringLiteral("echo on-a-tty"));
    spec.tty = true;
    const RunOutcome run = scope.run(spec);
    CHECK(run.info.tty);
    CHECK(run.out == "on-a-tty\r\n");
    CHECK(run.err.isEmpty());
}

TEST_CASE("following logs delivers output while the container still runs", "[docker][logs]")
{
    DockerScope scope;
    DockerClient &client = scope.client();
    const QString id = scope.create(scope.spec(QStringLiteral("echo first; sleep 2; echo second >&2")));
    REQUIRE(waitReply(client.startContainer(id)).ok());
    ContainerLogs::Options options;
    options.follow = true;
    ContainerLogs *logs = client.logs(id, options);
    QList<std::pair<LogStreamType, QByteArray>> received;
    QObject::connect(logs, &ContainerLogs::output, [&](LogStreamType s, const QByteArray &d) {
        received.append({ s, d });
    });
    QSignalSpy done(logs, &ContainerLogs::finished);
    REQUIRE(QTest::qWaitFor([&] { return !received.isEmpty(); }, 20000));
    CHECK(received.first() == std::pair { LogStreamType::Stdout, QByteArray("first\n") });
    CHECK(done.isEmpty()); // still following
    REQUIRE(done.wait(20000));
    CHECK_FALSE(done.first().first().value<DockerError>());
    CHECK(received.last() == std::pair { LogStreamType::Stderr, QByteArray("second\n") });
}

TEST_CASE("one-shot stats give CPU, memory against the limit and pids", "[docker][stats]")
{
    DockerScope scope;
    DockerClient &client = scope.client();
    ContainerSpec spec = scope.spec(QStringLiteral("sleep 60 & sleep 60 & while :; do :; done"));
    spec.memoryBytes = 96 * 1024 * 1024;
    spec.cpusetCpus = QStringLiteral("0");
    const QString id = scope.create(spec);
    REQUIRE(waitReply(client.startContainer(id)).ok());
    const DockerResult r = waitReply(client.stats(id));
    REQUIRE(r.ok());
    const ContainerStats stats = ContainerStats::fromJson(r.json.object());
    CHECK(stats.cpuFraction > 0.3); // a busy loop on one CPU
    CHECK(stats.cpuFraction < 1.3);
    CHECK(stats.memoryLimitBytes == spec.memoryBytes);
    CHECK(stats.memoryUsageBytes > 0);
    CHECK(stats.pids >= 3);
    CHECK(stats.cpuTotalNs > 0);
}

TEST_CASE("a cancelled call reports nothing and a deleted client leaves nothing running", "[docker][cancel]")
{
    DockerScope scope;
    const QString id = scope.create(scope.spec(QStringLiteral("sleep 30")));
    REQUIRE(waitReply(scope.client().startContainer(id)).ok());

    DockerReply *wait = scope.client().waitContainer(id);
    QSignalSpy spy(wait, &DockerReply::finished);
    QSignalSpy destroyed(wait, &QObject::destroyed);
    wait->cancel();
    REQUIRE(destroyed.wait(5000));
    CHECK(spy.isEmpty());

    {
        DockerClient other;
        other.waitContainer(id);
        ContainerLogs::Options follow;
        follow.follow = true;
        other.logs(id, follow);
        QTest::qWait(200);
    } // destroyed with a wait and a log follow in flight
    REQUIRE(waitReply(scope.client().ping()).ok());
}

TEST_CASE("GPUs are handed over by DeviceRequests with exactly the chosen UUIDs", "[docker][gpu]")
{
    // Created, never started: the test daemon has no NVIDIA runtime, but it records the request as given.
    DockerScope scope;
    DockerClient &client = scope.client();
    ContainerSpec spec = scope.spec(QStringLiteral("true"));
    spec.gpuUuids = { QStringLiteral("GPU-9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b") };
    const QString id = scope.create(spec);
    const DockerResult r = waitReply(client.inspectContainer(id));
    REQUIRE(r.ok());
    const QJsonArray requests = r.json.object()
                                    .value(QLatin1String("HostConfig"))
                                    .toObject()
                                    .value(QLatin1String("DeviceRequests"))
                                    .toArray();
    REQUIRE(requests.size() == 1);
    const QJsonObject request = requests.first().toObject();
    CHECK(request.value(QLatin1String("Driver")).toString() == QLatin1String("nvidia"));
    CHECK(request.value(QLatin1String("DeviceIDs")).toArray()
        == QJsonArray { QStringLiteral("GPU-9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b") });
    QJsonArray gpuCapabilities; // [["gpu"]], spelled out: nested one-element braces collapse under clang
    gpuCapabilities.append(QJsonArray { QStringLiteral("gpu") });
    CHECK(request.value(QLatin1String("Capabilities")).toArray() == gpuCapabilities);
}
