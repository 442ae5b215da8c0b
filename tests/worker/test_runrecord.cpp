// SPDX-License-Identifier: GPL-3.0-or-later
// Run records, run reports and container specs: what the server and Docker are told, checked field by field.
#include "worker/runcontainer.h"
#include "worker/runrecord.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <catch2/catch.hpp>
#include <limits>

using namespace codalab::worker;

namespace {
const QString Uuid = QStringLiteral("0x0123456789abcdef0123456789abcdef");

QJsonObject runMessage()
{
    return QJsonDocument::fromJson(QStringLiteral(R"({"type": "run",
        "bundle": {"uuid": "%1", "bundle_type": "run", "owner_id": "0", "command": "echo hi",
                   "metadata": {"exclude_patterns": ["*.tmp"], "store": ""}, "dependencies": [], "location": null},
        "resources": {"cpus": 2, "gpus": 1, "docker_image": "img:latest", "time": 60, "memory": 1073741824,
                      "disk": 1048576, "network": false, "tag": "", "tag_exclusive": false, "runs_left": null}})")
                                       .arg(Uuid)
                                       .toUtf8())
        .object();
}
} // namespace

TEST_CASE("a run message becomes a record, and unsafe ones are refused", "[worker][record]")
{
    QString error;
    auto record = RunRecord::fromRunMessage(runMessage(), &error);
    REQUIRE(record);
    CHECK(record->uuid == Uuid);
    CHECK(record->resources.cpus == 2);
    CHECK(record->resources.gpus == 1);
    CHECK(record->resources.memoryBytes == 1073741824);
    CHECK(record->resources.timeSec == 60);
    CHECK(record->excludePatterns == QStringList { QStringLiteral("*.tmp") });

    QJsonObject bad = runMessage();
    QJsonObject b = bad.value(QLatin1String("bundle")).toObject();
    for (const char *child : { "../escape", "/abs", "a/../../b" }) {
        b.insert(QStringLiteral("dependencies"),
            QJsonArray { QJsonObject { { QStringLiteral("child_path"), QLatin1String(child) },
                { QStringLiteral("parent_uuid"), Uuid }, { QStringLiteral("parent_path"), QString() } } });
        bad.insert(QStringLiteral("bundle"), b);
        INFO(child);
        CHECK_FALSE(RunRecord::fromRunMessage(bad, &error));
        CHECK(error.contains(QLatin1String("unsafe dependency")));
    }
    QJsonObject noResources = runMessage();
    noResources.remove(QStringLiteral("resources"));
    CHECK_FALSE(RunRecord::fromRunMessage(noResources, &error));
}

TEST_CASE("a record survives the state file's JSON unchanged", "[worker][record]")
{
    QString error;
    RunRecord r = *RunRecord::fromRunMessage(runMessage(), &error);
    r.enterStage(RunStage::Running, 1000.5);
    r.allocation = Allocation { { 2, 3 }, { QStringLiteral("GPU-a") } };
    r.containerId = QStringLiteral("abc");
    r.exitCode = 0;
    r.killed = true;
    r.killMessage = QStringLiteral("Kill requested");
    r.dependencyLinks = { QStringLiteral("in") };
    const auto back = RunRecord::fromJson(r.toJson(), &error);
    REQUIRE(back);
    CHECK(back->toJson() == r.toJson());
    CHECK(back->allocation->cpus == QList<int> { 2, 3 });

    QJsonObject broken = r.toJson();
    broken.insert(QStringLiteral("stage"), QStringLiteral("RUN_STAGE.BOGUS"));
    CHECK_FALSE(RunRecord::fromJson(broken, &error));
}

TEST_CASE(
    "a run report has every key the server requires, with integers where it compares", "[worker][record]")
{
    QString error;
    RunRecord r = *RunRecord::fromRunMessage(runMessage(), &error);
    r.enterStage(RunStage::Preparing, 100);
    r.enterStage(RunStage::Running, 110);
    r.containerStartMs = 110000;
    r.diskUtilization = 4096;
    const QJsonObject report = r.report(QStringLiteral("w1"), 130);
    for (const char *key : { "uuid", "run_status", "bundle_start_time", "container_time_total",
             "container_time_user", "container_time_system", "docker_image", "state", "remote", "exitcode",
             "failure_message", "bundle_profile_stats", "cpu_usage", "memory_usage", "disk_utilization" }) {
        INFO(key);
        CHECK(report.contains(QLatin1String(key)));
    }
    CHECK(report.value(QLatin1String("state")).toString() == QLatin1String("running"));
    CHECK(report.value(QLatin1String("container_time_total")).toDouble() == Approx(20));
    CHECK(QJsonDocument(report).toJson(QJsonDocument::Compact).contains("\"disk_utilization\":4096"));
    const QJsonObject profile = report.value(QLatin1String("bundle_profile_stats")).toObject();
    for (const char *stage : { "RUN_STAGE.PREPARING", "RUN_STAGE.RUNNING", "RUN_STAGE.CLEANING_UP",
             "RUN_STAGE.UPLOADING_RESULTS", "RUN_STAGE.FINALIZING" }) {
        INFO(stage);
        CHECK(profile.contains(QLatin1String(stage)));
    }
    CHECK(profile.value(QLatin1String("RUN_STAGE.PREPARING"))
              .toObject()
              .value(QLatin1String("elapsed"))
              .toDouble()
        == Approx(10));
    r.enterStage(RunStage::Restaged, 140);
    CHECK(r.report(QStringLiteral("w1"), 140).value(QLatin1String("state")).toString()
        == QLatin1String("staged"));
}

TEST_CASE("run containers are built as upstream's, with the limits it lacks", "[worker][container]")
{
    QString error;
    RunRecord r = *RunRecord::fromRunMessage(runMessage(), &error);
    r.allocation = Allocation { { 4, 5 }, { QStringLiteral("GPU-b") } };
    WorkerConfig config;
    config.id = QStringLiteral("w");
    const auto spec = RunContainer::spec(r, config,
        { QStringLiteral("/work/runs/x"), { { QStringLiteral("/cache/d"), QStringLiteral("in") } },
            QStringLiteral("1000:1000") });
    CHECK(spec.name == QLatin1String("codalab_run_") + Uuid);
    CHECK(spec.cmd
        == QStringList { QStringLiteral("/bin/bash"), QStringLiteral("-c"),
            QStringLiteral("( echo hi; ) >stdout 2>stderr") });
    CHECK(spec.entrypoint == QStringList());
    CHECK(spec.workingDir == QLatin1Char('/') + Uuid);
    CHECK(spec.user == QLatin1String("1000:1000"));
    REQUIRE(spec.mounts.size() == 2);
    CHECK_FALSE(spec.mounts[0].readOnly);
    CHECK(spec.mounts[1].readOnly);
    CHECK(spec.mounts[1].containerPath == QLatin1Char('/') + Uuid + QStringLiteral("_dependencies/in"));
    CHECK(spec.memoryBytes == 1073741824);
    CHECK(spec.memorySwapBytes == 1073741824);
    CHECK(spec.cpusetCpus == QLatin1String("4,5"));
    CHECK(spec.gpuUuids == QStringList { QStringLiteral("GPU-b") });
    CHECK(spec.securityOpt.contains(QStringLiteral("no-new-privileges")));
    CHECK(spec.pidsLimit > 0);
    CHECK(spec.networkMode == QLatin1String("none")); // not the internal bridge: it reaches the host
    const QJsonObject body = spec.toCreateBody();
    const QJsonArray requests
        = body.value(QLatin1String("HostConfig")).toObject().value(QLatin1String("DeviceRequests")).toArray();
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].toObject().value(QLatin1String("DeviceIDs")).toArray()
        == QJsonArray { QStringLiteral("GPU-b") });

    r.resources.network = true;
    CHECK(RunContainer::spec(r, config, {}).networkMode == QLatin1String("codalab_worker_network_ext"));
    config.runsWithoutNetwork = true;
    CHECK(RunContainer::spec(r, config, {}).networkMode == QLatin1String("none"));
    CHECK(RunContainer::wrapCommand(QStringLiteral("a; b;")) == QLatin1String("( a; b; ) >stdout 2>stderr"));
}

TEST_CASE("limits are worded as upstream words them", "[worker][container]")
{
    QString error;
    RunRecord r = *RunRecord::fromRunMessage(runMessage(), &error);
    r.containerStartMs = 1000;
    CHECK(RunContainer::limitExceeded(r, 30000).isEmpty());
    CHECK(RunContainer::limitExceeded(r, 1000 + 61000)
        == QLatin1String("Time limit exceeded. (Container uptime 1m1s > time limit 1m0s)"));
    r.diskUtilization = 2 * 1048576;
    CHECK(RunContainer::limitExceeded(r, 2000).contains(QLatin1String("Disk limit 1mb exceeded.")));
    r.maxMemoryBytes = 2LL * 1073741824;
    // size_str with no "b" in the memory message, as upstream's worker writes it (unlike the disk one).
    CHECK(RunContainer::limitExceeded(r, 2000).contains(QLatin1String("Memory limit 1g exceeded.")));
    CHECK(RunContainer::memoryLimitMessage(qint64(3) << 29) == QLatin1String("Memory limit 1.5g exceeded."));
    // The uptime keeps its tenths below a minute.
    r.resources.timeSec = 2;
    r.maxMemoryBytes = 0;
    r.diskUtilization = 0;
    CHECK(RunContainer::limitExceeded(r, 1000 + 2600)
        == QLatin1String("Time limit exceeded. (Container uptime 2.6s > time limit 2.0s)"));
}

TEST_CASE("resources beyond qint64 from a server clamp instead of overflowing", "[worker][record]")
{
    const RunResources r = RunResources::fromJson(QJsonDocument::fromJson(
        R"({"cpus":1,"gpus":0,"docker_image":"x","time":1e30,"memory":-1e300,"disk":"12"})")
                                                      .object());
    CHECK(r.timeSec == std::numeric_limits<qint64>::max());
    CHECK(r.memoryBytes == std::numeric_limits<qint64>::min());
    CHECK(r.diskBytes == 0); // not a number
}
