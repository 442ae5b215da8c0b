// SPDX-License-Identifier: GPL-3.0-or-later
// The worker engine against a real codalab-local-server and a real dockerd: runs from submission to a final
// state, with the results uploaded over HTTP (the worker on "another machine").
#include "support/codalabtestdata.h"
#include "support/dockertestenv.h"
#include "util/tarbuilder.h"
#include "worker/workerharness.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>

#include <catch2/catch.hpp>

using namespace codalab;
using namespace codalab::test;

TEST_CASE("a run reaches ready with its stdout, stderr and metadata", "[worker][runs]")
{
    LocalServerFixture f;
    WorkerHarness h(f);
    h.start();
    auto client = f.root();
    const QString uuid
        = submitRun(*client, QStringLiteral("echo hello; echo oops >&2; mkdir out; echo 42 > out/answer"));
    const QJsonObject b = waitForState(*client, uuid, { QStringLiteral("ready"), QStringLiteral("failed") });
    INFO(QJsonDocument(b).toJson().toStdString());
    CHECK(b.value(QLatin1String("state")).toString() == QLatin1String("ready"));
    CHECK(readBundleFile(*client, uuid, QStringLiteral("stdout")) == "hello\n");
    CHECK(readBundleFile(*client, uuid, QStringLiteral("stderr")) == "oops\n");
    CHECK(readBundleFile(*client, uuid, QStringLiteral("out/answer")) == "42\n");
    CHECK(metadata(b, "exitcode").toString() == QLatin1String("0"));
    CHECK(metadata(b, "data_size").toDouble() > 0);
    CHECK(metadata(b, "docker_image").toString().startsWith(QLatin1String("sha256:")));
    CHECK(metadata(b, "time_preparing").toDouble() >= 0);
    CHECK(metadata(b, "remote").toString() == h.config.id);
    // The worker forgets a finished run: no container, no run directory.
    CHECK(waitUntil([&] { return h.worker->runs().isEmpty(); }, 10000));
    CHECK_FALSE(QDir(h.config.runsDir() + QLatin1Char('/') + uuid).exists());
    CHECK(waitReply(h.docker.inspectContainer(QStringLiteral("codalab_run_") + uuid)).error.kind
        == docker::DockerError::Kind::NotFound);
}

TEST_CASE("a container left over under the run's name is replaced", "[worker][runs]")
{
    // As after a crash between create and start: the worker creates first, and only on a name conflict
    // removes what is there and creates again.
    LocalServerFixture f;
    WorkerHarness h(f);
    auto client = f.root();
    const QString uuid = submitRun(*client, QStringLiteral("echo fresh"));
    docker::ContainerSpec leftover;
    leftover.name = QStringLiteral("codalab_run_") + uuid;
    leftover.image = QStringLiteral("codalab-test/busybox:latest");
    leftover.cmd = { QStringLiteral("echo"), QStringLiteral("stale") };
    REQUIRE_FALSE(waitReply(h.docker.createContainer(leftover)).error);
    h.start();
    const QJsonObject b = waitForState(*client, uuid, { QStringLiteral("ready"), QStringLiteral("failed") });
    INFO(QJsonDocument(b).toJson().toStdString());
    CHECK(b.value(QLatin1String("state")).toString() == QLatin1String("ready"));
    CHECK(readBundleFile(*client, uuid, QStringLiteral("stdout")) == "fresh\n");
}

TEST_CASE("a non-zero exit fails the run with its exit code", "[worker][runs]")
{
    LocalServerFixture f;
    WorkerHarness h(f);
    h.start();
    auto client = f.root();
    const QString uuid = submitRun(*client, QStringLiteral("echo partial; exit 3"));
    const QJsonObject b = waitForState(*client, uuid, { QStringLiteral("ready"), QStringLiteral("failed") });
    CHECK(b.value(QLatin1String("state")).toString() == QLatin1String("failed"));
    CHECK(metadata(b, "exitcode").toString() == QLatin1String("3"));
    CHECK(metadata(b, "failure_message").toString() == QLatin1String("Exit code 3"));
    CHECK(readBundleFile(*client, uuid, QStringLiteral("stdout")) == "partial\n");
}

TEST_CASE("dependencies arrive as a file, a directory, a subpath and key dot, read-only",
    "[worker][runs][dependencies]")
{
    LocalServerFixture f;
    WorkerHarness h(f);
    h.start();
    auto client = f.root();
    const QString file
        = createDataset(*client, QStringLiteral("words"), QStringLiteral("words.txt"), "alpha\nbeta\n");
    TarBuilder tar;
    tar.file("a.txt", "in a\n").dir("sub").file("sub/b.txt", "in b\n");
    const QString dir
        = createDataset(*client, QStringLiteral("tree"), QStringLiteral("tree.tar.gz"), tar.finish());
    const QJsonArray deps { dependency(QStringLiteral("w"), file), dependency(QStringLiteral("t"), dir),
        dependency(QStringLiteral("nested/b"), dir, QStringLiteral("sub/b.txt")),
        dependency(QStringLiteral("."), dir) };
    const QString uuid = submitRun(*client,
        QStringLiteral("cat w t/a.txt nested/b a.txt sub/b.txt; touch t/x 2>/dev/null && echo writable || "
                       "echo read-only"),
        {}, deps);
    const QJsonObject b = waitForState(*client, uuid, { QStringLiteral("ready"), QStringLiteral("failed") });
    INFO(QJsonDocument(b).toJson().toStdString());
    CHECK(b.value(QLatin1String("state")).toString() == QLatin1String("ready"));
    CHECK(readBundleFile(*client, uuid, QStringLiteral("stdout"))
        == "alpha\nbeta\nin a\nin b\nin a\nin b\nread-only\n");
    // The links are gone from the results: only what the run wrote was uploaded.
    const HttpResult info = client->get(QStringLiteral("/rest/bundles/%1/contents/info/?depth=1").arg(uuid));
    QStringList names;
    for (const QJsonValue &c : info.json.object()
                                   .value(QLatin1String("data"))
                                   .toObject()
                                   .value(QLatin1String("contents"))
                                   .toArray()) {
        names << c.toObject().value(QLatin1String("name")).toString();
    }
    names.sort();
    CHECK(names == QStringList { QStringLiteral("stderr"), QStringLiteral("stdout") });
}

TEST_CASE(
    "a dependency that cannot be downloaded fails the run and says which", "[worker][runs][dependencies]")
{
    LocalServerFixture f;
    WorkerHarness h(f, [](worker::WorkerConfig &c) { c.downloadMaxRetries = 2; });
    h.start();
    auto client = f.root();
    const QString file
        = createDataset(*client, QStringLiteral("words"), QStringLiteral("words.txt"), "alpha\n");
    const QString uuid = submitRun(*client, QStringLiteral("cat in"), {},
        { dependency(QStringLiteral("in"), file, QStringLiteral("no/such/path")) });
    const QJsonObject b = waitForState(*client, uuid, { QStringLiteral("ready"), QStringLiteral("failed") });
    CHECK(b.value(QLatin1String("state")).toString() == QLatin1String("failed"));
    CHECK(metadata(b, "failure_message")
              .toString()
              .startsWith(QLatin1String("Failed to download dependency in: ")));
}

TEST_CASE("a missing image fails the run with Docker's message", "[worker][runs][images]")
{
    LocalServerFixture f;
    WorkerHarness h(f);
    h.start();
    auto client = f.root();
    const QString uuid = submitRun(*client, QStringLiteral("true"),
        { { QStringLiteral("request_docker_image"), QStringLiteral("codalab-test/no-such-image:1") } });
    const QJsonObject b = waitForState(*client, uuid, { QStringLiteral("ready"), QStringLiteral("failed") });
    CHECK(b.value(QLatin1String("state")).toString() == QLatin1String("failed"));
    CHECK(metadata(b, "failure_message")
              .toString()
              .startsWith(QLatin1String("Failed to download Docker image: ")));
}

TEST_CASE("cl kill stops a running run and it ends killed", "[worker][runs][kill]")
{
    LocalServerFixture f;
    WorkerHarness h(f);
    h.start();
    auto client = f.root();
    const QString uuid = submitRun(*client, QStringLiteral("echo started; sleep 120"));
    waitForState(*client, uuid, { QStringLiteral("running") });
    REQUIRE(waitUntil(
        [&] { return readBundleFile(*client, uuid, QStringLiteral("stdout")) == "started\n"; }, 20000));
    killBundle(*client, uuid);
    const QJsonObject b = waitForState(*client, uuid,
        { QStringLiteral("killed"), QStringLiteral("failed"), QStringLiteral("ready") }, 30000);
    CHECK(b.value(QLatin1String("state")).toString() == QLatin1String("killed"));
    CHECK(metadata(b, "failure_message").toString().contains(QLatin1String("Kill requested")));
    CHECK(readBundleFile(*client, uuid, QStringLiteral("stdout")) == "started\n");
}

TEST_CASE(
    "reading a running bundle's stdout through the server follows it as it grows", "[worker][runs][read]")
{
    LocalServerFixture f;
    WorkerHarness h(f);
    h.start();
    auto client = f.root();
    const QString uuid = submitRun(
        *client, QStringLiteral("i=0; while [ $i -lt 400 ]; do echo line $i; i=$((i+1)); sleep 0.1; done"));
    waitForState(*client, uuid, { QStringLiteral("running") });
    QByteArray first;
    REQUIRE(waitUntil(
        [&] {
            first = readBundleFile(*client, uuid, QStringLiteral("stdout"));
            return first.startsWith("line 0\n");
        },
        20000));
    QByteArray later;
    REQUIRE(waitUntil(
        [&] {
            later = readBundleFile(*client, uuid, QStringLiteral("stdout"));
            return later.size() > first.size();
        },
        20000));
    CHECK(later.startsWith(first));
    CHECK(bundle(*client, uuid).value(QLatin1String("state")).toString() == QLatin1String("running"));
}
