// SPDX-License-Identifier: GPL-3.0-or-later
// SlurmClient::partitions against the real one-node test cluster (the "slurm" fixture,
// scripts/ensure-slurm.sh): what sinfo says of its partitions main and short, read as the desktop reads them,
// and a client whose sinfo cannot reach a controller or cannot run at all.
#include "cluster/clusterfit.h"
#include "cluster/slurmclient.h"
#include "support/spinuntil.h"

#include <QFile>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace codalab;
using namespace codalab::cluster;

namespace {

struct Answer
{
    bool done = false;
    SlurmResult result;
    QList<SlurmPartition> partitions;
};

/// SlurmClient::partitions() with the environment `env` adds, restored once sinfo has started (QProcess
/// takes the environment when it starts the program, inside the call).
Answer partitions(const QList<QPair<QByteArray, QByteArray>> &env = {})
{
    QList<QPair<QByteArray, QByteArray>> saved;
    qputenv("SLURM_CONF", CODALAB_SLURM_CONF);
    for (const auto &[name, value] : env) {
        saved.append({ name, qgetenv(name.constData()) });
        qputenv(name.constData(), value);
    }
    SlurmClient client;
    Answer a;
    client.partitions([&a](const SlurmResult &r, const QList<SlurmPartition> &p) {
        a.done = true;
        a.result = r;
        a.partitions = p;
    });
    for (const auto &[name, value] : saved) {
        qputenv(name.constData(), value);
    }
    qputenv("SLURM_CONF", CODALAB_SLURM_CONF);
    REQUIRE(test::spinUntil([&a] { return a.done; }, SlurmClient::TimeoutMs + 10000, 20));
    return a;
}

/// The fixture's slurm.conf.
QString conf()
{
    QFile f(QStringLiteral(CODALAB_SLURM_CONF));
    REQUIRE(f.open(QIODevice::ReadOnly));
    return QString::fromUtf8(f.readAll());
}

/// A value of the conf's NodeName line ("CPUs", "RealMemory").
qint64 nodeValue(const QString &key)
{
    const QRegularExpressionMatch m = QRegularExpression(
        QStringLiteral("^NodeName=\\S+ .*\\b%1=(\\d+)").arg(key), QRegularExpression::MultilineOption)
                                          .match(conf());
    REQUIRE(m.hasMatch());
    return m.captured(1).toLongLong();
}

} // namespace

TEST_CASE("sinfo's partitions of the test cluster: main by default without a limit, short of 1 minute",
    "[cluster][slurm]")
{
    const Answer a = partitions();
    INFO(a.result.error.toStdString());
    REQUIRE(a.result.ok);
    REQUIRE(a.partitions.size() == 2);
    const SlurmPartition &main = a.partitions[0];
    const SlurmPartition &shortOne = a.partitions[1];
    CHECK(main.name == QLatin1String("main"));
    CHECK(main.isDefault);
    CHECK(main.up);
    CHECK_FALSE(main.maxTimeSeconds.has_value());
    CHECK(main.nodes == 1);
    CHECK(main.maxCpusPerNode == nodeValue(QStringLiteral("CPUs")));
    CHECK(main.maxMemoryMiBPerNode == nodeValue(QStringLiteral("RealMemory")));
    CHECK(main.maxGpusPerNode == 0);
    CHECK(shortOne.name == QLatin1String("short"));
    CHECK_FALSE(shortOne.isDefault);
    CHECK(shortOne.up);
    CHECK(shortOne.maxTimeSeconds == 60);
    CHECK(shortOne.nodes == 1);
    CHECK(shortOne.maxCpusPerNode == main.maxCpusPerNode);

    // What the desktop would then say, consistent with what this cluster does to the manager's jobs (see
    // test_workermanager.cpp: a 2h run in short is refused for PartitionTimeLimit).
    server::RunRequest run;
    run.command = QStringLiteral("true");
    CHECK(ClusterFit::check(run, a.partitions, QString()).isEmpty());
    run.time = QStringLiteral("2h");
    CHECK(ClusterFit::check(run, a.partitions, QStringLiteral("short"))
        == QStringList {
            QStringLiteral("Asks for 2h; partition short allows 1m0s, less the manager's margin of 5m0s.") });
    run.time.clear();
    run.cpus = main.maxCpusPerNode + 1;
    CHECK(ClusterFit::check(run, a.partitions, QStringLiteral("main")).size() == 1);
}

TEST_CASE(
    "sinfo that cannot reach a controller is reported unreachable, with Slurm's error", "[cluster][slurm]")
{
    // The fixture's conf with the controller on a port nothing listens on.
    quint16 port = 0;
    {
        QTcpServer probe;
        REQUIRE(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    QString text = conf();
    text.replace(
        QRegularExpression(QStringLiteral("^SlurmctldPort=\\d+"), QRegularExpression::MultilineOption),
        QStringLiteral("SlurmctldPort=%1").arg(port));
    REQUIRE(text.contains(QStringLiteral("SlurmctldPort=%1").arg(port)));
    text += QStringLiteral("MessageTimeout=2\n"); // sinfo gives up after 1 s instead of 9
    const QString path = dir.filePath(QStringLiteral("slurm.conf"));
    QFile f(path);
    REQUIRE(f.open(QIODevice::WriteOnly));
    f.write(text.toUtf8());
    f.close();

    const Answer a = partitions({ { "SLURM_CONF", path.toLocal8Bit() } });
    INFO(a.result.error.toStdString());
    CHECK_FALSE(a.result.ok);
    CHECK(a.result.unreachable);
    CHECK(a.result.error.contains(QLatin1String("Unable to contact slurm controller")));
    CHECK(a.partitions.isEmpty());
}

TEST_CASE("sinfo that cannot run at all is reported unreachable, saying so", "[cluster][slurm]")
{
    QTemporaryDir empty; // a PATH without sinfo
    REQUIRE(empty.isValid());
    const Answer a = partitions({ { "PATH", empty.path().toLocal8Bit() } });
    CHECK_FALSE(a.result.ok);
    CHECK(a.result.unreachable);
    CHECK(a.result.error.startsWith(QLatin1String("cannot run sinfo")));
    CHECK(a.partitions.isEmpty());
}
