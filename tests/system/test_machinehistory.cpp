// SPDX-License-Identifier: GPL-3.0-or-later
// The machine's last hour: CPU from /proc/stat deltas, memory, disk and GPUs from each probe's specs.
#include "system/machinehistory.h"
#include "system/machineprobe.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace codalab::system;

namespace {

void writeStat(const QString &procRoot, const QByteArray &cpuLine)
{
    QFile f(procRoot + QStringLiteral("/stat"));
    REQUIRE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(cpuLine + "\ncpu0 1 2 3 4 5 6 7 8 0 0\nintr 12345\n");
}

MachineSpecs specs()
{
    MachineSpecs s;
    s.memoryTotalBytes = 16000;
    s.memoryAvailableBytes = 6000;
    s.diskTotalBytes = 1000;
    s.diskFreeBytes = 250;
    GpuInfo g;
    g.uuid = QStringLiteral("GPU-a");
    g.name = QStringLiteral("Tesla T4");
    g.memoryTotalMiB = 15360;
    g.memoryUsedMiB = -1;
    g.utilizationPercent = 40;
    s.gpus = { g };
    return s;
}

} // namespace

TEST_CASE("/proc/stat gives busy and total CPU time, iowait counting as idle", "[system][history]")
{
    // user nice system idle iowait irq softirq steal guest guest_nice
    const auto t = MachineHistory::parseProcStat("cpu  100 5 50 800 40 3 2 0 10 0\ncpu0 1 1 1 1\n");
    REQUIRE(t);
    CHECK(t->total == 1000);
    CHECK(t->busy == 160);
    CHECK_FALSE(MachineHistory::parseProcStat("intr 1 2 3\n"));
    CHECK_FALSE(MachineHistory::parseProcStat("cpu  a b c d e\n"));
    CHECK(MachineHistory::cpuPercent({ 100, 1000 }, { 350, 1500 }) == Approx(50.0));
    CHECK(MachineHistory::cpuPercent({ 100, 1000 }, { 100, 1000 }) == -1); // no time passed
}

TEST_CASE("each probe result becomes a sample with the CPU use since the last one", "[system][history]")
{
    QTemporaryDir proc;
    writeStat(proc.path(), "cpu  100 0 100 800 0 0 0 0 0 0");
    MachineHistory history(10000, proc.path());
    QSignalSpy sampled(&history, &MachineHistory::sampled);
    writeStat(proc.path(), "cpu  400 0 100 1500 0 0 0 0 0 0"); // 300 busy of 1000
    history.record(specs(), 1'000'000);
    REQUIRE(sampled.size() == 1);
    const QJsonObject s = sampled.first().first().toJsonObject();
    CHECK(s.value(QLatin1String("t")).toDouble() == 1'000'000);
    CHECK(s.value(QLatin1String("cpu")).toDouble() == Approx(30.0));
    CHECK(s.value(QLatin1String("memUsed")).toDouble() == 10000);
    CHECK(s.value(QLatin1String("memTotal")).toDouble() == 16000);
    CHECK(s.value(QLatin1String("diskUsed")).toDouble() == 750);
    CHECK(s.value(QLatin1String("diskTotal")).toDouble() == 1000);
    const QJsonObject gpu = s.value(QLatin1String("gpus")).toArray().first().toObject();
    CHECK(gpu.value(QLatin1String("uuid")).toString() == QLatin1String("GPU-a"));
    CHECK(gpu.value(QLatin1String("name")).toString() == QLatin1String("Tesla T4"));
    CHECK(gpu.value(QLatin1String("util")).toInt() == 40);
    CHECK(gpu.value(QLatin1String("memUsed")).toDouble() == -1);
    CHECK(gpu.value(QLatin1String("memTotal")).toDouble() == 15360.0 * 1024 * 1024);

    // Two probes within one tick: the average since boot rather than nothing.
    history.record(specs(), 1'005'000);
    CHECK(sampled.last().first().toJsonObject().value(QLatin1String("cpu")).toDouble() == Approx(25.0));

    // An hour is kept: older samples fall out as new ones come.
    history.record(specs(), 1'000'000 + MachineHistory::WindowMs + 1);
    const QJsonObject all = history.toJson();
    CHECK(all.value(QLatin1String("intervalMs")).toInt() == 10000);
    const QJsonArray samples = all.value(QLatin1String("samples")).toArray();
    REQUIRE(samples.size() == 2);
    CHECK(samples.first().toObject().value(QLatin1String("t")).toDouble() == 1'005'000);
}

TEST_CASE("on this machine the samples hold sane figures", "[system][history]")
{
    QTemporaryDir work;
    qputenv("FAKE_NVIDIA_SMI", "two");
    MachineProbe probe(work.path(), QStringLiteral(FAKE_NVIDIA_SMI));
    MachineHistory history(10000);
    QObject::connect(&probe, &MachineProbe::finished,
        [&](const MachineSpecs &s) { history.record(s, QDateTime::currentMSecsSinceEpoch()); });
    QSignalSpy sampled(&history, &MachineHistory::sampled);
    probe.start();
    REQUIRE(sampled.wait(20000));
    const QJsonObject s = sampled.first().first().toJsonObject();
    CHECK(s.value(QLatin1String("cpu")).toDouble() >= 0);
    CHECK(s.value(QLatin1String("cpu")).toDouble() <= 100);
    CHECK(s.value(QLatin1String("memTotal")).toDouble() > 0);
    CHECK(s.value(QLatin1String("memUsed")).toDouble() > 0);
    CHECK(s.value(QLatin1String("memUsed")).toDouble() < s.value(QLatin1String("memTotal")).toDouble());
    CHECK(s.value(QLatin1String("diskTotal")).toDouble() > 0);
    CHECK(s.value(QLatin1String("gpus")).toArray().size() == 2);
}
