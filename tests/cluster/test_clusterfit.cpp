// SPDX-License-Identifier: GPL-3.0-or-later
// Whether the job the worker manager would submit for a run fits a cluster's partitions (ClusterFit): each
// sentence, the fitting case, several partitions, and the time margin's boundary.
#include "cluster/clusterfit.h"

#include <QTranslator>

#include <catch2/catch.hpp>

using namespace codalab;
using namespace codalab::cluster;

namespace {

/// main (default): 1 node of 32 CPUs and 64 GiB; gpu: 2 nodes, the larger with 1 GPU; short: 10 minutes.
QList<SlurmPartition> testCluster()
{
    QString error;
    const QList<SlurmPartition> p
        = SlurmPartition::parse(QStringLiteral("main*|up|infinite|32|65536|(null)|1\n"
                                               "gpu|up|2-00:00:00|16|32768|gpu:1|1\n"
                                               "gpu|up|2-00:00:00|8|16384|(null)|1\n"
                                               "short|up|10:00|32|65536|(null)|1\n"
                                               "tiny|up|1:00|32|65536|(null)|1\n"
                                               "off|down|infinite|32|65536|(null)|1\n"
                                               "gone|drain|infinite|32|65536|(null)|1\n"
                                               "empty|up|infinite|0|0|(null)|0\n"),
            &error);
    REQUIRE(error.isEmpty());
    return p;
}

server::RunRequest run(
    int cpus = 1, int gpus = 0, const QString &memory = QStringLiteral("2g"), const QString &time = {})
{
    server::RunRequest r;
    r.command = QStringLiteral("true");
    r.cpus = cpus;
    r.gpus = gpus;
    r.memory = memory;
    r.time = time;
    return r;
}

QStringList check(const server::RunRequest &r, const QString &partition = {}, int margin = 300)
{
    return ClusterFit::check(r, testCluster(), partition, margin);
}

/// Resolves the "(s)" of the numerus sentences as the desktop's English plurals do, to see that each
/// passes its count.
class Plurals : public QTranslator
{
public:
    QString translate(const char *, const char *source, const char *, int n) const override
    {
        return n < 0
            ? QString()
            : QString::fromUtf8(source).replace(QLatin1String("(s)"), QLatin1String(n == 1 ? "" : "s"));
    }
    bool isEmpty() const override { return false; }
};

} // namespace

TEST_CASE("a run that fits the default partition gets no sentence", "[cluster][unit]")
{
    CHECK(check(run()).isEmpty());
    CHECK(check(run(32, 0, QStringLiteral("64g"), QStringLiteral("30d"))).isEmpty()); // exactly the node
    CHECK(check(run(0, 0, QString())).isEmpty()); // no memory asked: no --mem
    CHECK(check(run(16, 1, QStringLiteral("32g"), QStringLiteral("1d")), QStringLiteral("gpu")).isEmpty());
}

TEST_CASE("CPUs: the largest node's count", "[cluster][unit]")
{
    CHECK(check(run(64))
        == QStringList { QStringLiteral("Asks for 64 CPU(s); the largest node of partition main has 32.") });
    // The larger of gpu's two node configurations counts.
    CHECK(check(run(17), QStringLiteral("gpu"))
        == QStringList { QStringLiteral("Asks for 17 CPU(s); the largest node of partition gpu has 16.") });
}

TEST_CASE("GPUs: none in the partition, or fewer per node", "[cluster][unit]")
{
    CHECK(
        check(run(1, 2)) == QStringList { QStringLiteral("Asks for 2 GPU(s); partition main has no GPUs.") });
    CHECK(check(run(1, 2), QStringLiteral("gpu"))
        == QStringList { QStringLiteral("Asks for 2 GPU(s); partition gpu has at most 1 GPU(s) per node.") });
}

TEST_CASE("memory: the request as typed, the node's size as core writes sizes", "[cluster][unit]")
{
    CHECK(check(run(1, 0, QStringLiteral("500g")))
        == QStringList {
            QStringLiteral("Asks for 500g of memory; the largest node of partition main has 64g.") });
    // --mem is in MiB, rounded up: one byte over the node's size is over.
    CHECK(check(run(1, 0, QStringLiteral("68719476737"))).size() == 1);
    CHECK(check(run(1, 0, QStringLiteral("68719476736"))).isEmpty());
}

TEST_CASE("time: the run's time plus the manager's margin against the partition's limit", "[cluster][unit]")
{
    CHECK(check(run(1, 0, QStringLiteral("2g"), QStringLiteral("2d")), QStringLiteral("tiny"))
        == QStringList {
            QStringLiteral("Asks for 2d; partition tiny allows 1m0s, less the manager's margin of 5m0s.") });
    CHECK(check(run(1, 0, QStringLiteral("2g"), QStringLiteral("3d")), QStringLiteral("gpu"))
        == QStringList {
            QStringLiteral("Asks for 3d; partition gpu allows 2d0h, less the manager's margin of 5m0s.") });
    // Without a margin the sentence says none.
    CHECK(check(run(1, 0, QStringLiteral("2g"), QStringLiteral("1h")), QStringLiteral("short"), 0)
        == QStringList { QStringLiteral("Asks for 1h; partition short allows 10m0s.") });
    // No time asked: the manager sends no --time, Slurm gives the job the partition's default.
    CHECK(check(run(), QStringLiteral("tiny")).isEmpty());
    // The margin alone can be too much.
    CHECK(check(run(1, 0, QStringLiteral("2g"), QStringLiteral("1s")), QStringLiteral("tiny")).size() == 1);
    CHECK(check(run(1, 0, QStringLiteral("2g"), QStringLiteral("1s")), QStringLiteral("tiny"), 0).isEmpty());
}

TEST_CASE("the margin's boundary: Slurm keeps --time in whole minutes, rounded up", "[cluster][unit]")
{
    // short allows 10 minutes; with the 5-minute margin a run may ask for 5 minutes exactly.
    CHECK(check(run(1, 0, QStringLiteral("2g"), QStringLiteral("300")), QStringLiteral("short")).isEmpty());
    CHECK(check(run(1, 0, QStringLiteral("2g"), QStringLiteral("5m")), QStringLiteral("short")).isEmpty());
    // One second more is 601 s, which Slurm rounds up to 11 minutes.
    CHECK(check(run(1, 0, QStringLiteral("2g"), QStringLiteral("301")), QStringLiteral("short"))
        == QStringList { QStringLiteral(
            "Asks for 301; partition short allows 10m0s, less the manager's margin of 5m0s.") });
    // Another margin moves the boundary with it.
    CHECK(
        check(run(1, 0, QStringLiteral("2g"), QStringLiteral("9m")), QStringLiteral("short"), 60).isEmpty());
    CHECK(check(run(1, 0, QStringLiteral("2g"), QStringLiteral("541")), QStringLiteral("short"), 60).size()
        == 1);
    // A margin that is not whole minutes: 5m + 270 s = 570 s, rounded up to the 10 minutes allowed; 571 s
    // and 30 s of margin are 601 s, 11 minutes.
    CHECK(
        check(run(1, 0, QStringLiteral("2g"), QStringLiteral("5m")), QStringLiteral("short"), 270).isEmpty());
    CHECK(check(run(1, 0, QStringLiteral("2g"), QStringLiteral("571")), QStringLiteral("short"), 30).size()
        == 1);
}

TEST_CASE("partitions that are down, draining, empty or missing", "[cluster][unit]")
{
    CHECK(check(run(), QStringLiteral("off")) == QStringList { QStringLiteral("Partition off is down.") });
    CHECK(check(run(), QStringLiteral("gone"))
        == QStringList { QStringLiteral("Partition gone takes no new jobs (it is drain).") });
    CHECK(check(run(), QStringLiteral("empty"))
        == QStringList { QStringLiteral("Partition empty has no nodes.") });
    CHECK(check(run(), QStringLiteral("nope"))
        == QStringList { QStringLiteral("The cluster has no partition nope.") });
    CHECK(ClusterFit::check(run(), testCluster().mid(1), QString())
        == QStringList { QStringLiteral("The cluster has no default partition.") });
    CHECK(ClusterFit::check(run(), {}, QString())
        == QStringList { QStringLiteral("The cluster has no default partition.") });
}

TEST_CASE("several partitions: one that takes the run is enough, a missing one is not", "[cluster][unit]")
{
    CHECK(check(run(1, 1), QStringLiteral("main,gpu")).isEmpty());
    CHECK(check(run(1, 2), QStringLiteral("main,gpu"))
        == QStringList { QStringLiteral("Asks for 2 GPU(s); partition main has no GPUs."),
            QStringLiteral("Asks for 2 GPU(s); partition gpu has at most 1 GPU(s) per node.") });
    // Slurm refuses a job that names a partition it lacks, even when another would take it.
    CHECK(check(run(), QStringLiteral("main,nope"))
        == QStringList { QStringLiteral("The cluster has no partition nope.") });
}

TEST_CASE("every problem of a partition is said, in order", "[cluster][unit]")
{
    CHECK(check(run(64, 1, QStringLiteral("1t"), QStringLiteral("1h")), QStringLiteral("tiny"))
        == QStringList { QStringLiteral("Asks for 64 CPU(s); the largest node of partition tiny has 32."),
            QStringLiteral("Asks for 1 GPU(s); partition tiny has no GPUs."),
            QStringLiteral("Asks for 1t of memory; the largest node of partition tiny has 64g."),
            QStringLiteral("Asks for 1h; partition tiny allows 1m0s, less the manager's margin of 5m0s.") });
}

TEST_CASE("values the request cannot parse are left to its validation", "[cluster][unit]")
{
    CHECK(check(run(1, 0, QStringLiteral("lots"), QStringLiteral("forever")), QStringLiteral("tiny"))
              .isEmpty());
}

TEST_CASE("the counted sentences pass their counts to the translator", "[cluster][unit]")
{
    Plurals plurals;
    REQUIRE(QCoreApplication::installTranslator(&plurals));
    const QStringList one = check(run(64, 1));
    const QStringList two = check(run(1, 2), QStringLiteral("gpu"));
    QCoreApplication::removeTranslator(&plurals);
    CHECK(one
        == QStringList { QStringLiteral("Asks for 64 CPUs; the largest node of partition main has 32."),
            QStringLiteral("Asks for 1 GPU; partition main has no GPUs.") });
    CHECK(
        two == QStringList { QStringLiteral("Asks for 2 GPUs; partition gpu has at most 1 GPU per node.") });
}
