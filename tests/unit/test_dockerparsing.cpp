// SPDX-License-Identifier: GPL-3.0-or-later
#include "docker/containerinfo.h"
#include "docker/containerspec.h"
#include "docker/containerstats.h"
#include "docker/dockerendpoint.h"
#include "docker/dockererror.h"
#include "docker/imageinfo.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <catch2/catch.hpp>

using namespace codalab::docker;

namespace {
QJsonObject parse(const QByteArray &json)
{
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    REQUIRE(doc.isObject());
    return doc.object();
}
} // namespace

TEST_CASE("DOCKER_HOST values", "[endpoint]")
{
    CHECK(DockerEndpoint::parse(QString())->socketPath == QLatin1String("/var/run/docker.sock"));
    const auto podman = DockerEndpoint::parse(QStringLiteral("unix:///run/user/1000/podman/podman.sock"));
    REQUIRE(podman);
    CHECK(podman->socketPath == QLatin1String("/run/user/1000/podman/podman.sock"));
    CHECK(podman->describe() == QLatin1String("/run/user/1000/podman/podman.sock"));
    const auto tcp = DockerEndpoint::parse(QStringLiteral("tcp://127.0.0.1:2375/"));
    REQUIRE(tcp);
    CHECK(tcp->hostPort == QLatin1String("127.0.0.1:2375"));
    QString error;
    CHECK_FALSE(DockerEndpoint::parse(QStringLiteral("ssh://me@host"), &error));
    CHECK(error.contains(QLatin1String("only unix:// and tcp://")));
    CHECK_FALSE(DockerEndpoint::parse(QStringLiteral("unix://relative.sock"), &error));
}

TEST_CASE("Engine error bodies become typed errors with the HTTP status", "[error]")
{
    const DockerError notFound = DockerError::fromHttp(404, R"({"message":"No such image: nope:latest"})");
    CHECK(notFound.kind == DockerError::Kind::NotFound);
    CHECK(notFound.httpStatus == 404);
    CHECK(notFound.message == QLatin1String("No such image: nope:latest"));
    CHECK(DockerError::fromHttp(409, R"({"message":"Conflict."})").kind == DockerError::Kind::Conflict);
    CHECK(DockerError::fromHttp(400, "{}").kind == DockerError::Kind::BadRequest);
    const DockerError server = DockerError::fromHttp(500, "plain text failure\n");
    CHECK(server.kind == DockerError::Kind::ServerError);
    CHECK(server.message == QLatin1String("plain text failure"));
    CHECK(DockerError::fromHttp(503, "").message == QLatin1String("HTTP status 503"));
}

TEST_CASE("a container spec renders the create body CodaLab runs need", "[spec]")
{
    ContainerSpec spec;
    spec.name = QStringLiteral("codalab_run_0x1");
    spec.image = QStringLiteral("codalab/default-cpu:latest");
    spec.cmd = { QStringLiteral("/bin/bash"), QStringLiteral("-c"),
        QStringLiteral("( echo hi; ) >stdout 2>stderr") };
    spec.entrypoint = QStringList();
    spec.workingDir = QStringLiteral("/0x1");
    spec.env = { QStringLiteral("HOME=/0x1"), QStringLiteral("CODALAB=true") };
    spec.user = QStringLiteral("1000:1000");
    spec.mounts = { { QStringLiteral("/work/runs/0x1"), QStringLiteral("/0x1"), false },
        { QStringLiteral("/work/deps/0x2"), QStringLiteral("/0x1_dependencies/data"), true } };
    spec.memoryBytes = 2147483648;
    spec.memorySwapBytes = 2147483648;
    spec.cpusetCpus = QStringLiteral("0,1");
    spec.shmSizeBytes = 1073741824;
    spec.pidsLimit = 4096;
    spec.securityOpt = { QStringLiteral("no-new-privileges") };
    spec.gpuUuids = { QStringLiteral("GPU-aaaa"), QStringLiteral("GPU-bbbb") };
    spec.labels.insert(QStringLiteral("codalab.bundle"), QStringLiteral("0x1"));

    const QJsonObject body = spec.toCreateBody();
    CHECK(body[QLatin1String("Entrypoint")].toArray() == QJsonArray { QString() });
    CHECK(body[QLatin1String("User")].toString() == QLatin1String("1000:1000"));
    CHECK(body[QLatin1String("Tty")].toBool() == false);
    const QJsonObject host = body[QLatin1String("HostConfig")].toObject();
    CHECK(host[QLatin1String("NetworkMode")].toString() == QLatin1String("none"));
    CHECK(host[QLatin1String("Privileged")].toBool() == false);
    CHECK(host[QLatin1String("Memory")].toInteger() == 2147483648);
    CHECK(host[QLatin1String("MemorySwap")].toInteger() == 2147483648);
    CHECK(host[QLatin1String("CpusetCpus")].toString() == QLatin1String("0,1"));
    CHECK(host[QLatin1String("ShmSize")].toInteger() == 1073741824);
    CHECK(host[QLatin1String("PidsLimit")].toInteger() == 4096);
    CHECK(host[QLatin1String("SecurityOpt")].toArray() == QJsonArray { QLatin1String("no-new-privileges") });
    const QJsonArray mounts = host[QLatin1String("Mounts")].toArray();
    REQUIRE(mounts.size() == 2);
    CHECK(mounts[0].toObject()[QLatin1String("ReadOnly")].toBool() == false);
    CHECK(mounts[1].toObject()[QLatin1String("ReadOnly")].toBool() == true);
    CHECK(
        mounts[1].toObject()[QLatin1String("Target")].toString() == QLatin1String("/0x1_dependencies/data"));
    const QJsonObject gpu = host[QLatin1String("DeviceRequests")].toArray().first().toObject();
    CHECK(gpu[QLatin1String("Driver")].toString() == QLatin1String("nvidia"));
    CHECK(gpu[QLatin1String("DeviceIDs")].toArray()
        == QJsonArray { QLatin1String("GPU-aaaa"), QLatin1String("GPU-bbbb") });
    // [["gpu"]]: a list of capability sets (spelled out: nested one-element braces collapse under clang).
    const QJsonArray capabilities = gpu[QLatin1String("Capabilities")].toArray();
    REQUIRE(capabilities.size() == 1);
    REQUIRE(capabilities.first().isArray());
    CHECK(capabilities.first().toArray().size() == 1);
    CHECK(capabilities.first().toArray().first().toString() == QLatin1String("gpu"));

    SECTION("no GPUs, no device requests; no network unless asked")
    {
        ContainerSpec plain;
        plain.image = QStringLiteral("x");
        plain.networkMode.clear();
        const QJsonObject h = plain.toCreateBody()[QLatin1String("HostConfig")].toObject();
        CHECK_FALSE(h.contains(QLatin1String("DeviceRequests")));
        CHECK(h[QLatin1String("NetworkMode")].toString() == QLatin1String("none"));
        CHECK_FALSE(plain.toCreateBody().contains(QLatin1String("Entrypoint")));
    }
}

TEST_CASE("inspect answers parse into container state with nanosecond times", "[info]")
{
    const QJsonObject json = parse(R"({"Id":"abc","Name":"/codalab_run_0x1","Image":"sha256:img",
        "Config":{"Image":"codalab-test/busybox:latest","Tty":false,"Labels":{"a":"b"}},
        "State":{"Status":"exited","Running":false,"OOMKilled":true,"ExitCode":137,"Pid":0,"Error":"",
                 "StartedAt":"2026-11-27T18:20:01.123456789Z","FinishedAt":"2026-11-27T18:20:03.5Z"}})");
    const ContainerInfo info = ContainerInfo::fromInspect(json);
    CHECK(info.name == QLatin1String("codalab_run_0x1"));
    CHECK(info.status == QLatin1String("exited"));
    CHECK(info.oomKilled);
    CHECK(info.exitCode == 137);
    CHECK(info.labels.value(QStringLiteral("a")) == QLatin1String("b"));
    REQUIRE(info.startedAt.isValid());
    CHECK(info.startedAt.msecsTo(info.finishedAt) == 2377);
    CHECK_FALSE(ContainerInfo::parseTime(QStringLiteral("0001-01-01T00:00:00Z")).isValid());
}

TEST_CASE("image answers give the digest CodaLab reports", "[info]")
{
    const ImageInfo pulled = ImageInfo::fromInspect(parse(
        R"({"Id":"sha256:1","RepoTags":["busybox:latest"],"RepoDigests":["busybox@sha256:d1"],"Size":4261550})"));
    CHECK(pulled.digest() == QLatin1String("busybox@sha256:d1"));
    CHECK(pulled.sizeBytes == 4261550);
    const ImageInfo imported = ImageInfo::fromListEntry(parse(
        R"({"Id":"sha256:2","RepoTags":["<none>:<none>"],"RepoDigests":null,"Size":5,"Created":1700000000})"));
    CHECK(imported.repoTags.isEmpty());
    CHECK(imported.digest() == QLatin1String("sha256:2"));
    CHECK(imported.created.toSecsSinceEpoch() == 1700000000);
}

TEST_CASE("stats give CPU as docker stats computes it and memory without page cache", "[stats]")
{
    const ContainerStats s = ContainerStats::fromJson(parse(R"({
        "cpu_stats":{"cpu_usage":{"total_usage":3000000000,"usage_in_usermode":2000000000,"usage_in_kernelmode":900000000},
                     "system_cpu_usage":20000000000,"online_cpus":2},
        "precpu_stats":{"cpu_usage":{"total_usage":2000000000},"system_cpu_usage":18000000000},
        "memory_stats":{"usage":104857600,"limit":209715200,"stats":{"total_inactive_file":4857600}},
        "pids_stats":{"current":7}})"));
    CHECK(s.cpuFraction == Approx(1.0)); // 1 s of CPU over 2 s of host time on 2 CPUs
    CHECK(s.cpuUserNs == 2000000000);
    CHECK(s.memoryUsageBytes == 100000000);
    CHECK(s.memoryFraction() == Approx(100000000.0 / 209715200.0));
    CHECK(s.pids == 7);

    const ContainerStats stopped
        = ContainerStats::fromJson(parse(R"({"cpu_stats":{},"precpu_stats":{},"memory_stats":{}})"));
    CHECK(stopped.cpuFraction == 0.0);
    CHECK(stopped.memoryFraction() == 0.0);
}
