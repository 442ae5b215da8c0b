// SPDX-License-Identifier: GPL-3.0-or-later
#include "system/gpuprobe.h"
#include "system/machineprobe.h"

#include <QSignalSpy>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace codalab::system;

namespace {

struct ProbeResult
{
    QList<GpuInfo> gpus;
    QString warning;
};

ProbeResult probe(const QString &program, const QByteArray &mode = "two")
{
    qputenv("FAKE_NVIDIA_SMI", mode);
    GpuProbe p(program);
    QSignalSpy done(&p, &GpuProbe::finished);
    p.start();
    REQUIRE(done.wait(20000));
    return { done.first().at(0).value<QList<GpuInfo>>(), done.first().at(1).toString() };
}

} // namespace

TEST_CASE("nvidia-smi's CSV parses into GPUs, with [N/A] as unknown and strange lines named", "[system][gpu]")
{
    QStringList warnings;
    const QList<GpuInfo> gpus
        = GpuInfo::parseCsv("0, GPU-aaaa-1, NVIDIA A100-SXM4-40GB, 40960, 3, 12, 535.104.05\n"
                            "1, GPU-bbbb-2, Tesla T4, [N/A], [N/A], [Not Supported], 470.82.01\n"
                            "No devices were found\n\n",
            &warnings);
    REQUIRE(gpus.size() == 2);
    CHECK(gpus[0].index == 0);
    CHECK(gpus[0].uuid == QLatin1String("GPU-aaaa-1"));
    CHECK(gpus[0].name == QLatin1String("NVIDIA A100-SXM4-40GB"));
    CHECK(gpus[0].memoryTotalMiB == 40960);
    CHECK(gpus[0].memoryUsedMiB == 3);
    CHECK(gpus[0].utilizationPercent == 12);
    CHECK(gpus[0].driverVersion == QLatin1String("535.104.05"));
    CHECK(gpus[1].memoryTotalMiB == -1);
    CHECK(gpus[1].utilizationPercent == -1);
    CHECK(warnings == QStringList { QStringLiteral("Unexpected nvidia-smi line: No devices were found") });
}

TEST_CASE("GPUs come from nvidia-smi on the machine, asked the right question", "[system][gpu]")
{
    const ProbeResult two = probe(QStringLiteral(FAKE_NVIDIA_SMI));
    CHECK(two.warning.isEmpty());
    REQUIRE(two.gpus.size() == 2);
    CHECK(two.gpus[0].uuid == QLatin1String("GPU-5c3d8b0e-1f2a-4b6c-9d7e-0a1b2c3d4e5f"));
    CHECK(two.gpus[0].memoryUsedMiB == 1024);
    CHECK(two.gpus[0].utilizationPercent == 37);
    CHECK(two.gpus[1].index == 1);

    const ProbeResult none = probe(QStringLiteral(FAKE_NVIDIA_SMI), "none");
    CHECK(none.gpus.isEmpty());
    CHECK(none.warning.isEmpty());
}

TEST_CASE(
    "no nvidia-smi means no GPUs and no error; a failing one gives no GPUs and says why", "[system][gpu]")
{
    const ProbeResult missing = probe(QStringLiteral("codalab-test-no-such-nvidia-smi"));
    CHECK(missing.gpus.isEmpty());
    CHECK(missing.warning.isEmpty());

    const ProbeResult failing = probe(QStringLiteral(FAKE_NVIDIA_SMI), "fail");
    CHECK(failing.gpus.isEmpty());
    CHECK(
        failing.warning.startsWith(QLatin1String("nvidia-smi failed (exit code 9): NVIDIA-SMI has failed")));

    const ProbeResult garbage = probe(QStringLiteral(FAKE_NVIDIA_SMI), "garbage");
    REQUIRE(garbage.gpus.size() == 1);
    CHECK(garbage.warning.contains(QLatin1String("No devices were found")));
}

TEST_CASE("CPU model and memory are read from /proc text", "[system]")
{
    CHECK(MachineSpecs::parseCpuModel("processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) "
                                      "Xeon(R)  Gold 6248 CPU @ 2.50GHz\n")
        == QLatin1String("Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz"));
    CHECK(MachineSpecs::parseCpuModel("processor : 0\nBogoMIPS : 50.00\nHardware : BCM2835\n")
        == QLatin1String("BCM2835"));
    const auto [total, available] = MachineSpecs::parseMeminfo(
        "MemTotal:       24576000 kB\nMemFree:         100 kB\nMemAvailable:   20480000 kB\n");
    CHECK(total == qint64(24576000) * 1024);
    CHECK(available == qint64(20480000) * 1024);
}

TEST_CASE("the machine probe reports this machine, GPUs included", "[system]")
{
    QTemporaryDir work;
    qputenv("FAKE_NVIDIA_SMI", "two");
    MachineProbe probe(work.path(), QStringLiteral(FAKE_NVIDIA_SMI));
    QSignalSpy done(&probe, &MachineProbe::finished);
    probe.start();
    CHECK(probe.isRunning());
    REQUIRE(done.wait(20000));
    const MachineSpecs specs = done.first().first().value<MachineSpecs>();
    CHECK(specs.cpuThreads == MachineSpecs::affinityCpus().size());
    CHECK(specs.cpuThreads >= 1);
    CHECK(specs.memoryTotalBytes > 100 * 1024 * 1024);
    CHECK(specs.memoryAvailableBytes <= specs.memoryTotalBytes);
    CHECK(specs.diskTotalBytes > 0);
    CHECK(specs.diskFreeBytes <= specs.diskTotalBytes);
    CHECK(specs.workDir == work.path());
    CHECK(specs.gpus.size() == 2);
    CHECK_FALSE(probe.isRunning());
}
