// SPDX-License-Identifier: GPL-3.0-or-later
// What a run container can and cannot do, seen from inside it (issue #8): a run submitted to a real local
// server and started by a real worker on the real dockerd probes its own limits and prints them, and the
// test reads its stdout.
#include "support/codalabtestdata.h"
#include "support/dockertestenv.h"
#include "util/tarbuilder.h"
#include "worker/workerharness.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QJsonDocument>
#include <QNetworkInterface>
#include <QRegularExpression>
#include <QTcpServer>

#include <catch2/catch.hpp>
#include <cstdio>
#include <unistd.h>

using namespace codalab;
using namespace codalab::test;

namespace {

/// Run as `bash dep/probe.sh HOST PORT` with the dependency at `dep`; prints one "check: result" line per
/// check. Each attempt that must fail prints "allowed" or "refused (<the error>)". The pids probe is last:
/// it fills the pids cgroup with busybox ash, which forks without bash's retries and exits at the first
/// fork that fails; only shell builtins run until the sleepers are killed.
const QByteArray ProbeScript = R"PROBE(
host=$1 port=$2
probe() {
  local out
  if out=$(eval "$2" 2>&1); then echo "$1: allowed"; else echo "$1: refused (${out##*: })"; fi
}
echo "uid: $(id -u)"
echo "dependency data: $(cat dep/data.txt)"
probe "dependency create" "echo x > dep/new.txt"
probe "dependency append" "echo x >> dep/data.txt"
probe "dependency mkdir" "mkdir dep/sub"
probe "dependency chmod" "chmod 0777 dep/data.txt"
probe "dependency rm" "rm -f dep/data.txt && ! test -e dep/data.txt"
echo "dependency mount: $(grep '_dependencies/dep ' /proc/mounts | cut -d' ' -f4)"
echo "interfaces: $(ls /sys/class/net | sort | tr '\n' ' ')"
echo "net devices: $(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | sort | tr '\n' ' ')"
probe "connect to host" "timeout 5 bash -c ': <>/dev/tcp/$host/$port'"
while read -r key value; do
  case $key in NoNewPrivs:|CapEff:|CapPrm:|CapBnd:|Seccomp:) echo "${key%:}: $value" ;; esac
done </proc/self/status
cg=/sys/fs/cgroup
if [ -r $cg/memory/memory.limit_in_bytes ]; then
  read -r mem <$cg/memory/memory.limit_in_bytes
else
  read -r mem <$cg/memory.max
fi
echo "memory limit: $mem"
if [ -r $cg/pids/pids.max ]; then pcg=$cg/pids; else pcg=$cg; fi
read -r pmax <$pcg/pids.max
busybox ash -c 'i=0; while [ $i -lt 2000 ]; do sleep 100 & echo $! >>spawned; read c <'$pcg'/pids.current;
  echo $c >peak; i=$((i+1)); done' 2>fork.err
while read -r p; do kill $p; done <spawned
read -r peak <peak
read -r forkerr <fork.err
n=0; while read -r p; do n=$((n+1)); done <spawned
echo "pids: max $pmax, got to $peak processes ($n sleepers), then: ${forkerr:-no fork failed}"
)PROBE";

/// "check: result" lines of the probe's stdout.
QMap<QString, QString> parseProbe(const QByteArray &out)
{
    QMap<QString, QString> checks;
    for (const QByteArray &line : out.split('\n')) {
        const qsizetype colon = line.indexOf(": ");
        if (colon > 0) {
            checks.insert(QString::fromUtf8(line.left(colon)), QString::fromUtf8(line.mid(colon + 2)));
        }
    }
    return checks;
}

/// An address of this machine that a container with a network could reach (not loopback, which inside a
/// container is the container's own).
QHostAddress hostAddress()
{
    for (const QHostAddress &a : QNetworkInterface::allAddresses()) {
        if (a.protocol() == QAbstractSocket::IPv4Protocol && !a.isLoopback()) {
            return a;
        }
    }
    return {};
}

/// The three networks a worker with networks creates (prefix of this test alone), removed at the end.
struct NetworkSweep
{
    QString prefix;
    ~NetworkSweep()
    {
        docker::DockerClient docker;
        for (const char *suffix : { "_ext", "_int", "_general" }) {
            waitReply(docker.removeNetwork(prefix + QLatin1String(suffix)));
        }
    }
};

const QStringList Final { QStringLiteral("ready"), QStringLiteral("failed"), QStringLiteral("killed") };

} // namespace

TEST_CASE("Container isolation checked from inside a run container", "[worker][isolation]")
{
    const QHostAddress host = hostAddress();
    if (host.isNull()) {
        WARN("skipped: this machine has no IPv4 address besides loopback to aim a connection at");
        return;
    }
    // Listens on one host address (never on Any): a run that has a network reaches it, one without must not.
    QTcpServer listener;
    REQUIRE(listener.listen(host, 0));
    const QString target = QStringLiteral("%1 %2").arg(host.toString()).arg(listener.serverPort());

    LocalServerFixture f;
    constexpr qint64 PidsLimit = 128;
    const NetworkSweep sweep { QStringLiteral("codalab_iso_%1").arg(QCoreApplication::applicationPid()) };
    WorkerHarness h(f, [&](worker::WorkerConfig &c) {
        c.runsWithoutNetwork = false; // as a real worker: networks per request_network
        c.networkPrefix = sweep.prefix;
        c.pidsLimit = PidsLimit;
    });
    h.start();
    auto client = f.root();
    TarBuilder tar(TarBuilder::Compression::Gzip);
    // A world-writable file: only the read-only mount stands between the run and the cached dependency.
    tar.file("probe.sh", ProbeScript).file("data.txt", "cached\n", 0666);
    const QString deps
        = createDataset(*client, QStringLiteral("probe"), QStringLiteral("probe.tar.gz"), tar.finish());

    const QString uuid = submitRun(*client, QStringLiteral("bash dep/probe.sh ") + target,
        { { QStringLiteral("request_network"), false },
            { QStringLiteral("request_memory"), QStringLiteral("64m") } },
        { dependency(QStringLiteral("dep"), deps) });
    const QJsonObject b = waitForState(*client, uuid, Final, 90000);
    const QByteArray out = readBundleFile(*client, uuid, QStringLiteral("stdout"));
    INFO(QJsonDocument(b).toJson().toStdString()
        << "stdout:\n"
        << out.toStdString() << "stderr:\n"
        << readBundleFile(*client, uuid, QStringLiteral("stderr")).toStdString());
    REQUIRE(b.value(QLatin1String("state")).toString() == QLatin1String("ready"));
    const QMap<QString, QString> c = parseProbe(out);
    // A probe's result as text Catch can show when a check fails.
    const auto v = [&c](const char *key) { return c.value(QLatin1String(key)).trimmed().toStdString(); };

    // Not root.
    CHECK(v("uid") != "0");
    if (::geteuid() == 0) {
        CHECK(c.value(QStringLiteral("uid")).toInt() == h.config.runAsUid);
    }
    std::printf("isolation: uid inside the run %s (a root worker runs containers as %d)\n",
        qPrintable(c.value(QStringLiteral("uid"))), h.config.runAsUid);

    // Dependencies: readable, and no way to change them.
    CHECK(v("dependency data") == "cached");
    for (const char *op : { "create", "append", "mkdir", "chmod", "rm" }) {
        const QString result = c.value(QStringLiteral("dependency ") + QLatin1String(op));
        INFO(op << ": " << result.toStdString());
        CHECK(result.startsWith(QLatin1String("refused")));
        std::printf("isolation: dependency %s: %s\n", op, qPrintable(result));
    }
    const QStringList mountOptions = c.value(QStringLiteral("dependency mount")).split(QLatin1Char(','));
    CHECK(mountOptions.value(0).toStdString() == "ro");
    std::printf("isolation: dependency mount options %s\n", qPrintable(mountOptions.join(QLatin1Char(','))));

    // No network: the loopback device alone, and the host cannot be reached.
    CHECK(v("interfaces") == "lo");
    CHECK(v("net devices") == "lo");
    const QString connect = c.value(QStringLiteral("connect to host"));
    INFO(connect.toStdString());
    CHECK(connect.startsWith(QLatin1String("refused")));
    CHECK_FALSE(listener.hasPendingConnections());
    std::printf("isolation: request_network=false: interfaces [%s], connect to %s: %s\n",
        qPrintable(c.value(QStringLiteral("interfaces")).trimmed()), qPrintable(target), qPrintable(connect));

    // No privileges to gain and none held.
    CHECK(v("NoNewPrivs") == "1");
    CHECK(v("CapEff") == "0000000000000000");
    CHECK(v("CapPrm") == "0000000000000000");
    std::printf("isolation: NoNewPrivs %s, CapEff %s, CapPrm %s (CapBnd %s), Seccomp %s\n",
        qPrintable(c.value(QStringLiteral("NoNewPrivs"))), qPrintable(c.value(QStringLiteral("CapEff"))),
        qPrintable(c.value(QStringLiteral("CapPrm"))), qPrintable(c.value(QStringLiteral("CapBnd"))),
        qPrintable(c.value(QStringLiteral("Seccomp"))));

    // The memory limit is the run's request_memory.
    CHECK(c.value(QStringLiteral("memory limit")).toLongLong() == qint64(64) * 1024 * 1024);
    std::printf("isolation: request_memory 64m: cgroup memory limit %s bytes\n",
        qPrintable(c.value(QStringLiteral("memory limit"))));

    // The pids limit holds: the spawner got to the limit and no further, and a fork failed there.
    const QRegularExpression pidsLine(
        QStringLiteral("^max (\\d+), got to (\\d+) processes \\((\\d+) sleepers\\), then: (.*)$"));
    const QRegularExpressionMatch pids = pidsLine.match(c.value(QStringLiteral("pids")));
    INFO(v("pids"));
    REQUIRE(pids.hasMatch());
    CHECK(pids.captured(1).toLongLong() == PidsLimit);
    CHECK(pids.captured(2).toLongLong() <= PidsLimit);
    CHECK(pids.captured(3).toInt() < 2000);
    CHECK(pids.captured(4).contains(QLatin1String("fork")));
    std::printf("isolation: pids limit %s: got to %s processes (%s sleepers), then \"%s\"\n",
        qPrintable(pids.captured(1)), qPrintable(pids.captured(2)), qPrintable(pids.captured(3)),
        qPrintable(pids.captured(4)));

    // The control: the same probe with a network reaches the host, so the refusals above are the
    // container's doing and not a broken probe.
    const QString open = submitRun(*client, QStringLiteral("bash dep/probe.sh ") + target,
        { { QStringLiteral("request_network"), true } }, { dependency(QStringLiteral("dep"), deps) });
    const QJsonObject ob = waitForState(*client, open, Final, 90000);
    const QMap<QString, QString> oc = parseProbe(readBundleFile(*client, open, QStringLiteral("stdout")));
    INFO(QJsonDocument(ob).toJson().toStdString());
    CHECK(oc.value(QStringLiteral("connect to host")).toStdString() == "allowed");
    CHECK(oc.value(QStringLiteral("interfaces")).split(QLatin1Char(' '), Qt::SkipEmptyParts).size() > 1);
    CHECK(waitUntil([&] { return listener.hasPendingConnections(); }, 5000));
    std::printf("isolation: control with request_network=true: interfaces [%s], connect to %s: %s\n",
        qPrintable(oc.value(QStringLiteral("interfaces")).trimmed()), qPrintable(target),
        qPrintable(oc.value(QStringLiteral("connect to host"))));
}
