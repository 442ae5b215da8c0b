// SPDX-License-Identifier: GPL-3.0-or-later
// Which container uses which GPU: nvidia-smi's per-process output as real drivers print it,
// /proc/<pid>/cgroup as cgroup v1, v2 and nested Docker write it, and the probe that puts them together.
#include "system/cgroupcontainer.h"
#include "system/gpuprocessprobe.h"
#include "system/nvidiasmi.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <catch2/catch.hpp>
#include <memory>

using namespace codalab::system;

namespace {

constexpr qint64 MiB = 1024 * 1024;
const QString idA = QStringLiteral("3f4e5d6c7b8a99001122334455667788aabbccddeeff00112233445566778899");
const QString idB = QStringLiteral("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");

void writeFile(const QString &path, const QByteArray &text)
{
    REQUIRE(QDir().mkpath(QFileInfo(path).path()));
    QFile f(path);
    REQUIRE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}

/// A fake /proc with the given pids' cgroup files.
void addProc(const QString &root, qint64 pid, const QByteArray &cgroup)
{
    writeFile(QStringLiteral("%1/%2/cgroup").arg(root).arg(pid), cgroup);
}

} // namespace

TEST_CASE(
    "nvidia-smi --query-compute-apps lines parse, [N/A] memory unknown, strange lines named", "[system][gpu]")
{
    QStringList warnings;
    const QList<GpuProcess> apps
        = GpuProcess::parseComputeApps("4242, GPU-5c3d8b0e-1f2a-4b6c-9d7e-0a1b2c3d4e5f, 1536\n"
                                       "4243, GPU-9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b, [N/A]\n"
                                       "\n"
                                       "ERROR: GPU is lost\n"
                                       "4244, GPU-9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b\n"
                                       "abc, GPU-9e8d7c6b, 12\n"
                                       "4245, GPU-9e8d7c6b, lots\n",
            &warnings);
    REQUIRE(apps.size() == 2);
    CHECK(apps[0].pid == 4242);
    CHECK(apps[0].gpuUuids == QStringList { QStringLiteral("GPU-5c3d8b0e-1f2a-4b6c-9d7e-0a1b2c3d4e5f") });
    CHECK(apps[0].memoryBytes == 1536 * MiB);
    CHECK(apps[0].smPercent == -1);
    CHECK(apps[1].memoryBytes == -1);
    CHECK(warnings
        == QStringList { QStringLiteral("Unexpected nvidia-smi line: ERROR: GPU is lost"),
            QStringLiteral("Unexpected nvidia-smi line: 4244, GPU-9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"),
            QStringLiteral("Unexpected nvidia-smi line: abc, GPU-9e8d7c6b, 12"),
            QStringLiteral("Unexpected nvidia-smi line: 4245, GPU-9e8d7c6b, lots") });

    // Older drivers say so when nothing runs; newer ones print nothing. Neither is a problem.
    warnings.clear();
    CHECK(GpuProcess::parseComputeApps("No running processes found\n", &warnings).isEmpty());
    CHECK(GpuProcess::parseComputeApps("", &warnings).isEmpty());
    CHECK(warnings.isEmpty());
}

TEST_CASE("pmon tables of old and new drivers parse by their header, '-' being no value", "[system][gpu]")
{
    QStringList warnings;
    // Driver 470: no jpg/ofa/ccpm columns; a GPU without processes is a row of dashes.
    const QList<GpuProcess> old
        = GpuProcess::parsePmon("# gpu        pid  type    sm   mem   enc   dec    fb   command\n"
                                "# Idx          #   C/G     %     %     %     %    MB   name\n"
                                "    0       4242     C    45    12     -     -  1536   python train.py\n"
                                "    1       4243     C     -     -     -     -   300   python\n"
                                "    1          -     -     -     -     -     -     -   -\n",
            &warnings);
    CHECK(warnings.isEmpty());
    REQUIRE(old.size() == 2);
    CHECK(old[0].pid == 4242);
    CHECK(old[0].smPercent == 45);
    CHECK(old[0].memoryBytes == 1536 * MiB);
    CHECK(old[1].smPercent == -1);
    CHECK(old[1].memoryBytes == 300 * MiB);

    // Driver 550: jpg, ofa and ccpm columns move fb; the header says where.
    const QList<GpuProcess> now = GpuProcess::parsePmon(
        "# gpu         pid   type     sm    mem    enc    dec    jpg    ofa     fb   ccpm    command \n"
        "# Idx           #    C/G      %      %      %      %      %      %     MB     MB    name \n"
        "    0       7001     C     99     40      -      -      -      -  20480      0    python3 \n"
        "    0       7002     C      3      1      -      -      -      -    512      0    python3 \n"
        "    0       7003     X      ?      ?      -      -      -      -    512      0    python3 \n"
        "  garbage\n",
        &warnings);
    REQUIRE(now.size() == 2);
    CHECK(now[0].smPercent == 99);
    CHECK(now[0].memoryBytes == 20480 * MiB);
    CHECK(now[1].pid == 7002);
    CHECK(warnings.size() == 2);
    CHECK(warnings.first().contains(QLatin1String("7003")));
    CHECK(warnings.last() == QLatin1String("Unexpected nvidia-smi line: garbage"));

    // Rows before any header cannot be read: named, not guessed.
    warnings.clear();
    CHECK(GpuProcess::parsePmon("    0   4242   C   45   12   -   -   1536   python\n", &warnings).isEmpty());
    CHECK(warnings.size() == 1);
}

TEST_CASE("one process on two GPUs is one entry with its figures summed", "[system][gpu]")
{
    const QList<GpuProcess> apps
        = GpuProcess::parseComputeApps("10, GPU-a, 100\n10, GPU-b, 200\n11, GPU-a, [N/A]\n");
    const QList<GpuProcess> pmon = GpuProcess::parsePmon("# gpu pid type sm mem enc dec fb command\n"
                                                         "0 10 C 30 1 - - 100 x\n"
                                                         "1 10 C 50 1 - - 200 x\n"
                                                         "0 11 C 5 1 - - 64 y\n"
                                                         "0 12 C 7 1 - - - z\n");
    const QList<GpuProcess> merged = GpuProcess::merge(apps, pmon);
    REQUIRE(merged.size() == 3);
    CHECK(merged[0].pid == 10);
    CHECK(merged[0].gpuUuids == QStringList { QStringLiteral("GPU-a"), QStringLiteral("GPU-b") });
    CHECK(merged[0].memoryBytes == 300 * MiB);
    CHECK(merged[0].smPercent == 80);
    CHECK(merged[1].memoryBytes == 64 * MiB); // the compute apps had no figure: pmon's fb stands in
    CHECK(merged[2].pid == 12);
    CHECK(merged[2].memoryBytes == -1);
    CHECK(merged[2].smPercent == 7);
}

TEST_CASE("the container id is found in cgroup v1, v2 and nested Docker paths", "[system][gpu][cgroup]")
{
    const QByteArray v1 = "12:memory:/docker/" + idA.toLatin1() + "\n11:cpu,cpuacct:/docker/" + idA.toLatin1()
        + "\n1:name=systemd:/docker/" + idA.toLatin1() + "\n";
    CHECK(CgroupContainer::parse(v1) == idA);
    CHECK(CgroupContainer::parse("0::/system.slice/docker-" + idA.toLatin1() + ".scope\n") == idA);
    CHECK(CgroupContainer::parse("0::/docker/" + idA.toLatin1() + "\n") == idA);
    CHECK(CgroupContainer::parse("0::/system.slice/docker-" + idA.toLatin1() + ".scope/init.scope\n") == idA);
    CHECK(CgroupContainer::parse("0::/machine.slice/libpod-" + idA.toLatin1() + ".scope/container\n") == idA);
    // A dockerd inside a container: the innermost id is the container that dockerd made.
    CHECK(CgroupContainer::parse("0::/docker/" + idB.toLatin1() + "/docker/" + idA.toLatin1() + "\n") == idA);
    CHECK(
        CgroupContainer::parse("5:devices:/kubepods/besteffort/pod1/docker/" + idA.toLatin1() + "\n") == idA);
    // Not in a container: a user session, the root, a short or upper-case "id", a file of garbage.
    CHECK(CgroupContainer::parse("0::/user.slice/user-1000.slice/session-2.scope\n").isEmpty());
    CHECK(CgroupContainer::parse("0::/\n").isEmpty());
    CHECK(CgroupContainer::parse("0::/docker/abc123\n").isEmpty());
    CHECK(CgroupContainer::parse("0::/docker/" + idA.toUpper().toLatin1() + "\n").isEmpty());
    CHECK(CgroupContainer::parse("0::/docker/" + idA.toLatin1() + "x\n").isEmpty());
    CHECK(CgroupContainer::parse("not a cgroup file").isEmpty());
}

TEST_CASE(
    "a pid maps to its container through a /proc tree, and a vanished pid says so", "[system][gpu][cgroup]")
{
    QTemporaryDir proc;
    addProc(proc.path(), 100, "0::/system.slice/docker-" + idA.toLatin1() + ".scope\n");
    addProc(proc.path(), 101, "0::/user.slice/user-1000.slice/session-2.scope\n");
    QString error;
    CHECK(CgroupContainer::ofPid(proc.path(), 100, &error) == idA);
    CHECK(CgroupContainer::ofPid(proc.path(), 101, &error) == QString());
    CHECK(error.isEmpty());
    CHECK_FALSE(CgroupContainer::ofPid(proc.path(), 102, &error));
    CHECK(error.startsWith(QLatin1String("process 102 has no readable ")));
    CHECK(error.contains(QLatin1String("/102/cgroup")));

    // The real /proc: this very process is there (in a container or not).
    error.clear();
    CHECK(CgroupContainer::ofPid(QStringLiteral("/proc"), QCoreApplication::applicationPid(), &error));
    CHECK(error.isEmpty());
}

TEST_CASE("the probe sums each container's GPU processes from nvidia-smi and /proc", "[system][gpu]")
{
    QTemporaryDir dir;
    const QString proc = dir.filePath(QStringLiteral("proc"));
    addProc(proc, 200, "0::/system.slice/docker-" + idA.toLatin1() + ".scope\n");
    addProc(proc, 201, "0::/system.slice/docker-" + idA.toLatin1() + ".scope/init.scope\n");
    addProc(proc, 202, "0::/docker/" + idB.toLatin1() + "\n");
    addProc(proc, 203, "0::/user.slice/user-1000.slice/session-2.scope\n");
    // 204 ended before the probe read /proc: left out.
    const QString apps = dir.filePath(QStringLiteral("apps.csv"));
    writeFile(apps,
        "200, GPU-5c3d8b0e-1f2a-4b6c-9d7e-0a1b2c3d4e5f, 1000\n"
        "201, GPU-9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b, 24\n"
        "202, GPU-9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b, 512\n"
        "203, GPU-9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b, 8\n"
        "204, GPU-9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b, 8\n");
    const QString pmon = dir.filePath(QStringLiteral("pmon.txt"));
    writeFile(pmon,
        "# gpu        pid  type    sm   mem   enc   dec    fb   command\n"
        "# Idx          #   C/G     %     %     %     %    MB   name\n"
        "    0        200     C    60    10     -     -  1000   python\n"
        "    1        201     C    15     2     -     -    24   python\n"
        "    1        202     C     -     -     -     -   512   python\n");
    qputenv("FAKE_NVIDIA_SMI_APPS", QFile::encodeName(apps));
    qputenv("FAKE_NVIDIA_SMI_PMON", QFile::encodeName(pmon));

    GpuProcessProbe probe(QStringLiteral(FAKE_NVIDIA_SMI), proc);
    QSignalSpy done(&probe, &GpuProcessProbe::finished);
    REQUIRE(probe.start());
    CHECK_FALSE(probe.start()); // one at a time
    REQUIRE(done.wait(20000));
    CHECK_FALSE(probe.isRunning());
    CHECK(done.first().at(1).toString().isEmpty());
    CHECK(done.first().at(2).toStringList().isEmpty());
    CHECK(probe.utilizationKnown());
    const auto processes = done.first().at(0).value<QList<GpuProcess>>();
    CHECK(processes.size() == 4);
    const auto uses = GpuProcessProbe::perContainer(processes);
    REQUIRE(uses.size() == 2);
    CHECK(uses.value(idA).memoryBytes == 1024 * MiB);
    CHECK(uses.value(idA).utilizationPercent == 75);
    CHECK(uses.value(idA).gpuUuids.size() == 2);
    CHECK(uses.value(idB).memoryBytes == 512 * MiB);
    CHECK(uses.value(idB).utilizationPercent == -1); // pmon had no figure for it

    // A broken nvidia-smi: the figures are unknown, and the error says which query failed.
    qputenv("FAKE_NVIDIA_SMI_APPS", QFile::encodeName(dir.filePath(QStringLiteral("missing"))));
    done.clear();
    REQUIRE(probe.start());
    REQUIRE(done.wait(20000));
    CHECK(done.first().at(1).toString().startsWith(QLatin1String("nvidia-smi --query-compute-apps")));
    CHECK(done.first().at(0).value<QList<GpuProcess>>().isEmpty());

    // pmon failing keeps the memory figures, with a warning.
    qputenv("FAKE_NVIDIA_SMI_APPS", QFile::encodeName(apps));
    qputenv("FAKE_NVIDIA_SMI_PMON", QFile::encodeName(dir.filePath(QStringLiteral("missing"))));
    done.clear();
    REQUIRE(probe.start());
    REQUIRE(done.wait(20000));
    CHECK(done.first().at(1).toString().isEmpty());
    CHECK(done.first().at(2).toStringList().value(0).startsWith(QLatin1String("nvidia-smi pmon failed")));
    CHECK_FALSE(probe.utilizationKnown());
    CHECK(GpuProcessProbe::perContainer(done.first().at(0).value<QList<GpuProcess>>()).value(idA).memoryBytes
        == 1024 * MiB);
    qunsetenv("FAKE_NVIDIA_SMI_APPS");
    qunsetenv("FAKE_NVIDIA_SMI_PMON");

    // Without nvidia-smi there is nothing to ask: unknown, said plainly.
    GpuProcessProbe none(QStringLiteral("codalab-test-no-such-nvidia-smi"), proc);
    CHECK(none.programPath().isEmpty());
    QSignalSpy noneDone(&none, &GpuProcessProbe::finished);
    REQUIRE(none.start());
    REQUIRE(noneDone.wait(5000));
    CHECK(noneDone.first().at(1).toString() == QLatin1String("no nvidia-smi on this machine"));
}

TEST_CASE("an nvidia-smi still running when its owner goes answers nobody", "[system][gpu]")
{
    // Found under UBSan: the owner's destructor deleted the QProcess, whose destructor waited for the program
    // and delivered its answer to the half-destroyed owner.
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString slow = dir.filePath(QStringLiteral("nvidia-smi"));
    QFile script(slow);
    REQUIRE(script.open(QIODevice::WriteOnly));
    script.write("#!/bin/sh\nsleep 1\necho answer\n");
    script.close();
    REQUIRE(script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    bool answered = false;
    auto owner = std::make_unique<QObject>();
    codalab::system::NvidiaSmi::run(owner.get(), slow, {}, QStringLiteral("nvidia-smi"),
        [&answered](const QByteArray &, const QString &) { answered = true; });
    QTest::qWait(200); // started, not finished
    owner.reset();
    CHECK_FALSE(answered);
}
