// SPDX-License-Identifier: GPL-3.0-or-later
// The limits and isolation a CodaLab run container gets, checked from inside real containers.
#include "support/dockertestenv.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <unistd.h>

using namespace codalab::docker;
using namespace codalab::test;

namespace {

// A directory the container user can reach: QTemporaryDir makes 0700 dirs, which a non-root uid
// inside the container could not enter.
std::unique_ptr<QTemporaryDir> sharedTempDir()
{
    auto dir = std::make_unique<QTemporaryDir>();
    REQUIRE(dir->isValid());
    REQUIRE(::chmod(QFile::encodeName(dir->path()).constData(), 0755) == 0);
    return dir;
}

} // namespace

TEST_CASE("a memory limit kills the container: OOMKilled and 137", "[docker][limits]")
{
    DockerScope scope;
    ContainerSpec spec
        = scope.spec(QStringLiteral("x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo survived ${#x}"));
    spec.memoryBytes = 32 * 1024 * 1024;
    spec.memorySwapBytes = spec.memoryBytes; // no swap past the limit
    const RunOutcome run = scope.run(spec);
    CHECK(run.waitStatusCode == 137);
    CHECK(run.info.exitCode == 137);
    CHECK(run.info.oomKilled);
    CHECK_FALSE(run.out.contains("survived"));
}

TEST_CASE("the cpuset is applied", "[docker][limits]")
{
    DockerScope scope;
    const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    const QString last = QString::number(cpus - 1);
    ContainerSpec spec = scope.spec(QStringLiteral("grep Cpus_allowed_list /proc/self/status"));
    spec.cpusetCpus = last;
    const RunOutcome run = scope.run(spec);
    CHECK(run.waitStatusCode == 0);
    CHECK(QString::fromUtf8(run.out).simplified() == QStringLiteral("Cpus_allowed_list: ") + last);
}

TEST_CASE("a read-only mount refuses writes and a read-write one takes them", "[docker][limits]")
{
    DockerScope scope;
    auto ro = sharedTempDir();
    auto rw = sharedTempDir();
    {
        QFile f(ro->filePath(QStringLiteral("input.txt")));
        REQUIRE(f.open(QIODevice::WriteOnly));
        f.write("dependency data\n");
    }
    ContainerSpec spec = scope.spec(QStringLiteral("cat /dep/input.txt; if echo x > /dep/new.txt; then echo "
                                                   "WROTE-RO; fi; echo result > /run/out.txt; true"));
    spec.mounts
        = { { ro->path(), QStringLiteral("/dep"), true }, { rw->path(), QStringLiteral("/run"), false } };
    const RunOutcome run = scope.run(spec);
    CHECK(run.out.startsWith("dependency data\n"));
    CHECK_FALSE(run.out.contains("WROTE-RO"));
    CHECK(run.err.contains("Read-only file system"));
    CHECK_FALSE(QFile::exists(ro->filePath(QStringLiteral("new.txt"))));
    QFile out(rw->filePath(QStringLiteral("out.txt")));
    REQUIRE(out.open(QIODevice::ReadOnly));
    CHECK(out.readAll() == "result\n");
}

TEST_CASE("the container runs as the given uid:gid and its files are theirs on the host", "[docker][limits]")
{
    DockerScope scope;
    auto dir = sharedTempDir();
    const QByteArray path = QFile::encodeName(dir->path());
    const bool root = ::geteuid() == 0;
    const uid_t uid = root ? 4321 : ::geteuid();
    const gid_t gid = root ? 4322 : ::getegid();
    if (root) {
        REQUIRE(::chown(path.constData(), uid, gid) == 0);
    }
    ContainerSpec spec = scope.spec(QStringLiteral("id -u; id -g; touch /work/made-here"));
    spec.user = QStringLiteral("%1:%2").arg(uid).arg(gid);
    spec.mounts = { { dir->path(), QStringLiteral("/work"), false } };
    spec.securityOpt = { QStringLiteral("no-new-privileges") };
    const RunOutcome run = scope.run(spec);
    CHECK(run.waitStatusCode == 0);
    CHECK(run.out == QStringLiteral("%1\n%2\n").arg(uid).arg(gid).toUtf8());
    struct stat st
    {
    };
    REQUIRE(::stat(QFile::encodeName(dir->filePath(QStringLiteral("made-here"))).constData(), &st) == 0);
    CHECK(st.st_uid == uid);
    CHECK(st.st_gid == gid);
}

TEST_CASE("no-new-privileges, a pids limit and no network hold inside the container", "[docker][limits]")
{
    DockerScope scope;
    ContainerSpec spec = scope.spec(QStringLiteral(
        "grep NoNewPrivs /proc/self/status; ls /sys/class/net; "
        "(for i in $(seq 1 40); do sleep 2 & done; wait); p=(/proc/[0-9]*); echo procs ${#p[@]}"));
    spec.securityOpt = { QStringLiteral("no-new-privileges") };
    spec.pidsLimit = 16;
    const RunOutcome run = scope.run(spec);
    const QString out = QString::fromUtf8(run.out);
    CHECK(out.contains(QRegularExpression(QStringLiteral("NoNewPrivs:\\s+1"))));
    CHECK(out.contains(QLatin1String("\nlo\n"))); // loopback only
    CHECK_FALSE(out.contains(QLatin1String("eth0")));
    // 40 background sleeps would make 41 processes; the limit stops the loop (bash gives up on fork).
    const QRegularExpressionMatch procs = QRegularExpression(QStringLiteral("procs (\\d+)")).match(out);
    REQUIRE(procs.hasMatch());
    CHECK(procs.captured(1).toInt() <= 16);
    CHECK(run.err.contains("fork"));
}
