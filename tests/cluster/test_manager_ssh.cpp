// SPDX-License-Identifier: GPL-3.0-or-later
// The worker manager with --ssh: every Slurm command goes through a login node, here a real sshd on the
// loopback (SshLoopback) in front of the one-node test cluster. A run becomes a job submitted over ssh whose
// worker runs it to ready; the job's log and the partitions are read over ssh as the desktop reads them; a
// login node that refuses the key fails at once (BatchMode) with ssh's words and halts the manager.
#include "cluster/managertestsupport.h"
#include "cluster/slurmclient.h"
#include "cluster/sshloopback.h"
#include "cluster/workermanager.h"
#include "support/spinuntil.h"
#include "worker/workerharness.h"

#include <QJsonArray>

#include <catch2/catch.hpp>

using namespace codalab;
using namespace codalab::test;

namespace {

cluster::SlurmResult runOver(cluster::SlurmClient &slurm, const QString &program, const QStringList &args)
{
    std::optional<cluster::SlurmResult> result;
    slurm.run(program, args, {}, [&](const cluster::SlurmResult &r) { result = r; });
    REQUIRE(spinUntil([&] { return result.has_value(); }, 60000));
    return *result;
}

} // namespace

TEST_CASE("over ssh, a staged run becomes a job on the login node's cluster whose worker runs it to ready",
    "[cluster][slurm][ssh]")
{
    SshLoopback ssh;
    LocalServerFixture f;
    ManagerHarness h(f);
    h.config.sshHost = QString::fromLatin1(SshLoopback::Alias);
    auto client = f.root();
    const QString uuid = submitRun(
        *client, QStringLiteral("echo over ssh"), { { QStringLiteral("request_queue"), h.config.tag } });
    h.start();
    const QJsonObject done
        = waitForState(*client, uuid, { QStringLiteral("ready"), QStringLiteral("failed") }, 120000);
    INFO(h.messages.join(QLatin1Char('\n')).toStdString());
    CHECK(done.value(QLatin1String("state")).toString() == QLatin1String("ready"));
    CHECK(readBundleFile(*client, uuid, QStringLiteral("stdout")) == "over ssh\n");
    REQUIRE(slurmJobs(h.config.jobNameStem() + uuid).size() == 1);
    h.rounds(1);
    const QJsonArray jobs = h.manager->status().value(QLatin1String("jobs")).toArray();
    REQUIRE(jobs.size() == 1);

    // What the desktop reads over the same ssh: the job's worker log and the partitions' limits.
    cluster::SlurmClient remote(h.config.sshHost);
    const cluster::SlurmResult log = runOver(remote, QStringLiteral("tail"),
        { QStringLiteral("-c"), QStringLiteral("65536"),
            jobs[0].toObject().value(QLatin1String("log")).toString() });
    INFO(log.error.toStdString());
    REQUIRE(log.ok);
    CHECK(log.output.contains(QLatin1String("Worker started!")));
    std::optional<QList<cluster::SlurmPartition>> partitions;
    remote.partitions([&](const cluster::SlurmResult &r, const QList<cluster::SlurmPartition> &list) {
        CHECK(r.ok);
        partitions = list;
    });
    REQUIRE(spinUntil([&] { return partitions.has_value(); }, 60000));
    REQUIRE_FALSE(partitions->isEmpty());
    CHECK(partitions->first().name == QLatin1String("main"));
}

TEST_CASE("a login node that refuses the key fails at once with ssh's words, and the manager halts",
    "[cluster][slurm][ssh]")
{
    SshLoopback ssh;
    cluster::SlurmClient refused(QString::fromLatin1(SshLoopback::RefusedAlias));
    const cluster::SlurmResult r = runOver(refused, QStringLiteral("squeue"), { QStringLiteral("--me") });
    CHECK_FALSE(r.ok);
    CHECK(r.unreachable);
    CHECK(r.error.contains(QLatin1String("Permission denied")));

    LocalServerFixture f;
    ManagerHarness h(f);
    h.config.sshHost = QString::fromLatin1(SshLoopback::RefusedAlias);
    h.config.maxFailures = 2;
    auto client = f.root();
    const QString uuid = submitRun(
        *client, QStringLiteral("echo never"), { { QStringLiteral("request_queue"), h.config.tag } });
    h.start();
    h.rounds(3);
    const QJsonObject status = h.manager->status();
    CHECK(status.value(QLatin1String("state")).toString() == QLatin1String("halted"));
    CHECK(status.value(QLatin1String("last_error")).toString().contains(QLatin1String("Permission denied")));
    CHECK(status.value(QLatin1String("jobs")).toArray().isEmpty());
    CHECK(slurmJobs(h.config.jobNameStem() + uuid).isEmpty());
}
