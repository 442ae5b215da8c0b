// SPDX-License-Identifier: GPL-3.0-or-later
// How the desktop reads a Slurm cluster's partitions from `sinfo` (SlurmPartition): the formats Slurm 22.05
// prints, one partition over several node configurations, and output that must not be half read.
#include "cluster/slurmpartition.h"

#include <catch2/catch.hpp>

using namespace codalab::cluster;

namespace {

QList<SlurmPartition> parsed(const QString &output)
{
    QString error;
    const QList<SlurmPartition> out = SlurmPartition::parse(output, &error);
    INFO(error.toStdString());
    REQUIRE(error.isEmpty());
    return out;
}

/// The error for output that must be refused; the result must be empty.
QString refused(const QString &output)
{
    QString error;
    const QList<SlurmPartition> out = SlurmPartition::parse(output, &error);
    CHECK(out.isEmpty());
    CHECK_FALSE(error.isEmpty());
    return error;
}

std::optional<qint64> limitOf(const QString &timeField)
{
    const QList<SlurmPartition> p = parsed(QStringLiteral("p|up|%1|4|1000|(null)|1\n").arg(timeField));
    REQUIRE(p.size() == 1);
    return p[0].maxTimeSeconds;
}

int gpusOf(const QString &gresField)
{
    const QList<SlurmPartition> p = parsed(QStringLiteral("p|up|infinite|4|1000|%1|1\n").arg(gresField));
    REQUIRE(p.size() == 1);
    return p[0].maxGpusPerNode;
}

} // namespace

TEST_CASE("sinfo is asked for exact per-node values in the format parse() reads", "[cluster][unit]")
{
    CHECK(SlurmPartition::arguments()
        == QStringList { QStringLiteral("--noheader"), QStringLiteral("--exact"),
            QStringLiteral("--format=%P|%a|%l|%c|%m|%G|%D") });
}

TEST_CASE("the test cluster's two partitions: the default one marked with *", "[cluster][unit]")
{
    const QList<SlurmPartition> p = parsed(QStringLiteral("main*|up|infinite|16|63000|(null)|1\n"
                                                          "short|up|1:00|16|63000|(null)|1\n"));
    REQUIRE(p.size() == 2);
    CHECK(p[0].name == QLatin1String("main"));
    CHECK(p[0].isDefault);
    CHECK(p[0].up);
    CHECK(p[0].availability == QLatin1String("up"));
    CHECK_FALSE(p[0].maxTimeSeconds.has_value());
    CHECK(p[0].nodes == 1);
    CHECK(p[0].maxCpusPerNode == 16);
    CHECK(p[0].maxMemoryMiBPerNode == 63000);
    CHECK(p[0].maxGpusPerNode == 0);
    CHECK(p[1].name == QLatin1String("short"));
    CHECK_FALSE(p[1].isDefault);
    CHECK(p[1].maxTimeSeconds == 60);
}

TEST_CASE("time limits in every form Slurm writes or reads", "[cluster][unit]")
{
    // sinfo's own: M:SS below an hour, H:MM:SS below a day, D-HH:MM:SS above.
    CHECK(limitOf(QStringLiteral("30:00")) == 1800);
    CHECK(limitOf(QStringLiteral("1:00")) == 60);
    CHECK(limitOf(QStringLiteral("4:00:00")) == 4 * 3600);
    CHECK(limitOf(QStringLiteral("12:30:15")) == 12 * 3600 + 30 * 60 + 15);
    CHECK(limitOf(QStringLiteral("2-00:00:00")) == 2 * 86400);
    CHECK(limitOf(QStringLiteral("7-12:05:09")) == 7 * 86400 + 12 * 3600 + 5 * 60 + 9);
    // Slurm's other spellings (time_str2secs): minutes alone, days-hours, days-hours:minutes.
    CHECK(limitOf(QStringLiteral("90")) == 90 * 60);
    CHECK(limitOf(QStringLiteral("1-12")) == 86400 + 12 * 3600);
    CHECK(limitOf(QStringLiteral("1-12:30")) == 86400 + 12 * 3600 + 30 * 60);
    // No limit.
    CHECK_FALSE(limitOf(QStringLiteral("infinite")).has_value());
    CHECK_FALSE(limitOf(QStringLiteral("UNLIMITED")).has_value());
    CHECK_FALSE(limitOf(QStringLiteral("n/a")).has_value());
}

TEST_CASE("GPUs per node from generic resources: types, sockets, several kinds, MPS", "[cluster][unit]")
{
    CHECK(gpusOf(QStringLiteral("(null)")) == 0);
    CHECK(gpusOf(QStringLiteral("gpu:2")) == 2);
    CHECK(gpusOf(QStringLiteral("gpu:0")) == 0);
    CHECK(gpusOf(QStringLiteral("gpu")) == 1); // as Slurm reads Gres=gpu
    CHECK(gpusOf(QStringLiteral("gpu:a100")) == 1);
    CHECK(gpusOf(QStringLiteral("gpu:a100:4")) == 4);
    CHECK(gpusOf(QStringLiteral("gpu:a100:4(S:0-1)")) == 4);
    CHECK(gpusOf(QStringLiteral("gpu:4(S:0,2)")) == 4); // a comma inside the socket list
    CHECK(gpusOf(QStringLiteral("gpu:a100:4,gpu:v100:2")) == 6);
    CHECK(gpusOf(QStringLiteral("gpu:a100:4(S:0-1),gpu:v100:2(S:1)")) == 6);
    CHECK(gpusOf(QStringLiteral("gpu:4,mps:100")) == 4); // MPS shares the GPUs, it adds none
    CHECK(gpusOf(QStringLiteral("mps:400,gpu:tesla:2(S:0)")) == 2);
    CHECK(gpusOf(QStringLiteral("bandwidth:lustre:no_consume:4G")) == 0);
    CHECK(gpusOf(QStringLiteral("gpu:1K")) == 1024);
}

TEST_CASE("one partition over several node configurations is merged", "[cluster][unit]")
{
    // As `sinfo --exact` prints a partition whose nodes differ: a line per configuration.
    const QList<SlurmPartition> p = parsed(QStringLiteral("gpu|up|2-00:00:00|32|257000|gpu:a100:4(S:0-1)|4\n"
                                                          "cpu*|up|7-00:00:00|128|515000|(null)|20\n"
                                                          "gpu|up|2-00:00:00|64|128000|gpu:v100:8|2\n"
                                                          "cpu*|up|7-00:00:00|64|256000|(null)|10\n"
                                                          "gpu|up|2-00:00:00|16|64000|(null)|1\n"));
    REQUIRE(p.size() == 2);
    CHECK(p[0].name == QLatin1String("gpu")); // in the order sinfo first names them
    CHECK_FALSE(p[0].isDefault);
    CHECK(p[0].nodes == 7);
    CHECK(p[0].maxCpusPerNode == 64);
    CHECK(p[0].maxMemoryMiBPerNode == 257000);
    CHECK(p[0].maxGpusPerNode == 8);
    CHECK(p[0].maxTimeSeconds == 2 * 86400);
    CHECK(p[1].name == QLatin1String("cpu"));
    CHECK(p[1].isDefault);
    CHECK(p[1].nodes == 30);
    CHECK(p[1].maxCpusPerNode == 128);
    CHECK(p[1].maxMemoryMiBPerNode == 515000);
}

TEST_CASE("values with + (sinfo without --exact) and 1024-based CPU counts", "[cluster][unit]")
{
    // "+": the smallest of the line's nodes, all that such a line tells.
    const QList<SlurmPartition> p = parsed(QStringLiteral("big|up|infinite|8+|1000+|(null)|3\n"
                                                          "huge|up|infinite|2K|4096000|(null)|1\n"));
    REQUIRE(p.size() == 2);
    CHECK(p[0].maxCpusPerNode == 8);
    CHECK(p[0].maxMemoryMiBPerNode == 1000);
    CHECK(p[1].maxCpusPerNode == 2048);
}

TEST_CASE("availability: up, down, drain, inactive", "[cluster][unit]")
{
    const QList<SlurmPartition> p = parsed(QStringLiteral("a|up|infinite|1|1|(null)|1\n"
                                                          "b|down|infinite|1|1|(null)|1\n"
                                                          "c|drain|infinite|1|1|(null)|1\n"
                                                          "d|inactive|infinite|1|1|(null)|1\n"
                                                          "e|inact|infinite|1|1|(null)|1\n"));
    REQUIRE(p.size() == 5);
    CHECK(p[0].up);
    for (int i = 1; i < 5; ++i) {
        CHECK_FALSE(p[i].up);
    }
    CHECK(p[1].availability == QLatin1String("down"));
    CHECK(p[3].availability == QLatin1String("inactive"));
}

TEST_CASE("empty output, blank lines, CRLF and nodes in no partition", "[cluster][unit]")
{
    CHECK(parsed(QString()).isEmpty());
    CHECK(parsed(QStringLiteral("\n\n")).isEmpty());
    const QList<SlurmPartition> p
        = parsed(QStringLiteral("\r\nmain*|up|infinite|4|1000|(null)|2\r\nn/a|n/a|n/a|4|1000|(null)|1\r\n"));
    REQUIRE(p.size() == 1);
    CHECK(p[0].name == QLatin1String("main"));
    CHECK(p[0].nodes == 2);
}

TEST_CASE("malformed output is refused whole, naming the line", "[cluster][unit]")
{
    const QString good = QStringLiteral("main*|up|infinite|4|1000|(null)|1\n");
    CHECK(refused(good + QStringLiteral("short|up|1:00|4|1000|(null)\n")).contains(QLatin1String("line 2")));
    CHECK(refused(good + QStringLiteral("short|up|1:00|4|1000|(null)|1|x\n"))
              .contains(QLatin1String("fields")));
    CHECK(refused(QStringLiteral("PARTITION AVAIL  TIMELIMIT  NODES  STATE NODELIST\n"))
              .contains(QLatin1String("line 1")));
    CHECK(refused(good + QStringLiteral("|up|1:00|4|1000|(null)|1\n")).contains(QLatin1String("name")));
    CHECK(refused(good + QStringLiteral("*|up|1:00|4|1000|(null)|1\n")).contains(QLatin1String("name")));
    CHECK(refused(good + QStringLiteral("s|maybe|1:00|4|1000|(null)|1\n"))
              .contains(QLatin1String("availability")));
    for (const char *time : { "", "1h", "1:2:3:4", "-1:00", "1-", "a:00", "1:00:00:00" }) {
        INFO(time);
        CHECK(refused(good + QStringLiteral("s|up|%1|4|1000|(null)|1\n").arg(QLatin1String(time)))
                  .contains(QLatin1String("time limit")));
    }
    for (const char *cpus : { "", "x", "-4", "4.5", "99999999999" }) {
        INFO(cpus);
        CHECK(refused(good + QStringLiteral("s|up|1:00|%1|1000|(null)|1\n").arg(QLatin1String(cpus)))
                  .contains(QLatin1String("CPU")));
    }
    for (const char *memory : { "", "1G", "++", "12.5" }) {
        INFO(memory);
        CHECK(refused(good + QStringLiteral("s|up|1:00|4|%1|(null)|1\n").arg(QLatin1String(memory)))
                  .contains(QLatin1String("memory")));
    }
    for (const char *gres :
        { "gpu:a100:4(S:0-1", "gpu:2)", "gpu:2,", ",gpu:2", "gpu:2x", "gpu:2+", "gpu::" }) {
        INFO(gres);
        CHECK(refused(good + QStringLiteral("s|up|1:00|4|1000|%1|1\n").arg(QLatin1String(gres)))
                  .contains(QLatin1String("generic resources")));
    }
    for (const char *nodes : { "", "1+", "two" }) {
        INFO(nodes);
        CHECK(refused(good + QStringLiteral("s|up|1:00|4|1000|(null)|%1\n").arg(QLatin1String(nodes)))
                  .contains(QLatin1String("node count")));
    }
}

TEST_CASE("select: the configured partitions, or the default one", "[cluster][unit]")
{
    const QList<SlurmPartition> all = parsed(QStringLiteral("cpu|up|infinite|64|256000|(null)|10\n"
                                                            "main*|up|infinite|16|64000|(null)|4\n"
                                                            "gpu|up|2-00:00:00|32|128000|gpu:4|2\n"));
    const auto names = [](const QList<SlurmPartition> &ps) {
        QStringList n;
        for (const SlurmPartition &p : ps) {
            n << p.name;
        }
        return n;
    };
    QStringList missing;
    CHECK(names(SlurmPartition::select(all, QString(), &missing)) == QStringList { QStringLiteral("main") });
    CHECK(names(SlurmPartition::select(all, QStringLiteral("  "), &missing))
        == QStringList { QStringLiteral("main") });
    CHECK(names(SlurmPartition::select(all, QStringLiteral("gpu"), &missing))
        == QStringList { QStringLiteral("gpu") });
    CHECK(names(SlurmPartition::select(all, QStringLiteral("gpu, cpu,gpu"), &missing))
        == QStringList { QStringLiteral("gpu"), QStringLiteral("cpu") });
    CHECK(missing.isEmpty());
    CHECK(names(SlurmPartition::select(all, QStringLiteral("gpu,nope"), &missing))
        == QStringList { QStringLiteral("gpu") });
    CHECK(missing == QStringList { QStringLiteral("nope") });
    CHECK(
        names(SlurmPartition::select(all, QStringLiteral(" , "))) == QStringList { QStringLiteral("main") });
    CHECK(SlurmPartition::select(all, QStringLiteral("Main")).isEmpty()); // names are case-sensitive
    CHECK(SlurmPartition::select(all.mid(0, 1), QString()).isEmpty()); // no default partition
}
