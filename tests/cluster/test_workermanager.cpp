// SPDX-License-Identifier: GPL-3.0-or-later
// The worker manager against a real one-node Slurm cluster (the "slurm" fixture), a real
// codalab-local-server and real Docker: staged runs become jobs whose workers run them.
#include "cluster/managertestsupport.h"
#include "cluster/workermanager.h"
#include "support/spinuntil.h"
#include "worker/workerharness.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>

#include <catch2/catch.hpp>

using namespace codalab;
using namespace codalab::test;

namespace {

QJsonObject queued(const QString &tag, const QJsonObject &more = {})
{
    QJsonObject m { { QStringLiteral("request_queue"), tag } };
    for (auto it = more.begin(); it != more.end(); ++it) {
        m.insert(it.key(), it.value());
    }
    return m;
}

QList<cluster::SlurmJob> jobsFor(const ManagerHarness &h, const QString &run)
{
    return slurmJobs(h.config.jobNameStem() + run);
}

QJsonArray refusedRuns(const ManagerHarness &h)
{
    return h.manager->status().value(QLatin1String("refused_runs")).toArray();
}

} // namespace

TEST_CASE("a staged run makes exactly one job, whose worker runs it in Docker to ready", "[cluster][slurm]")
{
    LocalServerFixture f;
    ManagerHarness h(f);
    auto client = f.root();
    const QString uuid = submitRun(*client, QStringLiteral("echo from the cluster"), queued(h.config.tag));
    // The real executable this time, as a user starts it, and its control socket.
    QProcess manager;
    manager.setProcessChannelMode(QProcess::MergedChannels);
    const QString socket = h.logDir.filePath(QStringLiteral("manager.sock"));
    manager.start(QStringLiteral(CODALAB_MANAGER_BIN),
        { QStringLiteral("slurm"), QStringLiteral("--server"), h.config.serverUrl,
            QStringLiteral("--password-file"), h.config.passwordFile, QStringLiteral("--tag"), h.config.tag,
            QStringLiteral("--log-dir"), h.config.logDir, QStringLiteral("--worker-executable"),
            h.config.workerExecutable, QStringLiteral("--worker-args"),
            h.config.workerArgs.join(QLatin1Char(' ')), QStringLiteral("--poll-seconds"), QStringLiteral("1"),
            QStringLiteral("--control-socket"), socket });
    REQUIRE(manager.waitForStarted());
    const QJsonObject done
        = waitForState(*client, uuid, { QStringLiteral("ready"), QStringLiteral("failed") }, 120000);
    INFO(manager.readAll().toStdString());
    CHECK(done.value(QLatin1String("state")).toString() == QLatin1String("ready"));
    CHECK(readBundleFile(*client, uuid, QStringLiteral("stdout")) == "from the cluster\n");
    const QList<cluster::SlurmJob> jobs = jobsFor(h, uuid);
    REQUIRE(jobs.size() == 1);
    CHECK(metadata(done, "remote").toString().startsWith(jobs[0].name)); // that job's worker ran it

    // `status` through the control socket lists the job, where it ran, and its log.
    QProcess status;
    status.start(QStringLiteral(CODALAB_MANAGER_BIN),
        { QStringLiteral("status"), QStringLiteral("--json"), QStringLiteral("--control-socket"), socket });
    REQUIRE(status.waitForFinished(30000));
    REQUIRE(status.exitCode() == 0);
    const QJsonObject s = QJsonDocument::fromJson(status.readAllStandardOutput()).object();
    CHECK(s.value(QLatin1String("tag")).toString() == h.config.tag);
    const QJsonArray listed = s.value(QLatin1String("jobs")).toArray();
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].toObject().value(QLatin1String("run")).toString() == uuid);
    CHECK_FALSE(listed[0].toObject().value(QLatin1String("node")).toString().isEmpty());
    QFile log(listed[0].toObject().value(QLatin1String("log")).toString());
    REQUIRE(log.open(QIODevice::ReadOnly));
    CHECK(log.readAll().contains("Worker started!"));
    manager.terminate();
    manager.waitForFinished(10000);
}

TEST_CASE("three runs with --max-workers 2 never have more than two jobs at once", "[cluster][slurm]")
{
    LocalServerFixture f;
    ManagerHarness h(f);
    h.config.maxWorkers = 2;
    auto client = f.root();
    QStringList runs;
    for (int i = 0; i < 3; ++i) {
        runs << submitRun(*client, QStringLiteral("sleep 2"), queued(h.config.tag));
    }
    h.start();
    int most = 0;
    QObject::connect(h.manager.get(), &cluster::WorkerManager::roundDone, [&] {
        int active = 0;
        for (const cluster::SlurmJob &j : slurmJobs(h.config.jobNameStem())) {
            active += j.isActive() ? 1 : 0;
        }
        most = qMax(most, active);
    });
    for (const QString &uuid : runs) {
        const QJsonObject done
            = waitForState(*client, uuid, { QStringLiteral("ready"), QStringLiteral("failed") }, 90000);
        INFO(metadata(done, "failure_message").toString().toStdString());
        INFO(h.messages.join(QLatin1Char('\n')).toStdString());
        REQUIRE(done.value(QLatin1String("state")).toString() == QLatin1String("ready"));
    }
    CHECK(most >= 1);
    CHECK(most <= 2);
    CHECK(slurmJobs(h.config.jobNameStem()).size() >= 3);
}

TEST_CASE("a run killed while its job is pending gets the job cancelled", "[cluster][slurm]")
{
    LocalServerFixture f;
    ManagerHarness h(f);
    h.config.sbatchArgs = { QStringLiteral("--begin=now+1hour") }; // the job waits, as on a full cluster
    auto client = f.root();
    const QString uuid = submitRun(*client, QStringLiteral("true"), queued(h.config.tag));
    h.start();
    REQUIRE(spinUntil([&] { return jobsFor(h, uuid).size() == 1; }, 30000, 200));
    CHECK(jobsFor(h, uuid)[0].isPending());
    killBundle(*client, uuid);
    waitForState(*client, uuid, { QStringLiteral("killed") }, 30000);
    REQUIRE(
        spinUntil([&] { return jobsFor(h, uuid).value(0).state == QLatin1String("CANCELLED"); }, 30000, 200));
    h.rounds(2);
    CHECK(jobsFor(h, uuid).size() == 1); // and nothing submitted for it again
    CHECK(h.manager->status().value(QLatin1String("failures_in_a_row")).toInt() == 0); // ours, not a failure
}

TEST_CASE("a job Slurm refuses (impossible --gres) is reported with Slurm's reason, once", "[cluster][slurm]")
{
    LocalServerFixture f;
    ManagerHarness h(f);
    auto client = f.root();
    const QString gpuRun = submitRun(
        *client, QStringLiteral("true"), queued(h.config.tag, { { QStringLiteral("request_gpus"), 1 } }));
    h.start();
    h.rounds(4);
    const QJsonArray refused = refusedRuns(h);
    REQUIRE(refused.size() == 1);
    CHECK(refused[0].toObject().value(QLatin1String("run")).toString() == gpuRun);
    CHECK(refused[0]
              .toObject()
              .value(QLatin1String("why"))
              .toString()
              .contains(QLatin1String("Invalid generic resource (gres) specification")));
    CHECK(jobsFor(h, gpuRun).isEmpty());
    CHECK(h.messages.filter(QStringLiteral("sbatch refused")).size() == 1); // not resubmitted each round
    CHECK(h.manager->status().value(QLatin1String("last_error")).toString().contains(gpuRun));

    // Failures in a row stop the submitting, with the reason, until resumed.
    const QString second = submitRun(
        *client, QStringLiteral("true"), queued(h.config.tag, { { QStringLiteral("request_gpus"), 2 } }));
    const QString third = submitRun(
        *client, QStringLiteral("true"), queued(h.config.tag, { { QStringLiteral("request_gpus"), 3 } }));
    h.rounds(3);
    const QJsonObject s = h.manager->status();
    CHECK(s.value(QLatin1String("state")).toString() == QLatin1String("halted"));
    CHECK(s.value(QLatin1String("last_error"))
              .toString()
              .contains(QLatin1String("stopped submitting after 3 failures")));
    const QString fine = submitRun(*client, QStringLiteral("true"), queued(h.config.tag));
    h.rounds(2);
    CHECK(jobsFor(h, fine).isEmpty()); // halted: nothing more goes to Slurm
    h.manager->resume();
    REQUIRE(spinUntil([&] { return !jobsFor(h, fine).isEmpty(); }, 30000, 200));
    Q_UNUSED(second);
    Q_UNUSED(third);
}

TEST_CASE("a pending job Slurm will never start is cancelled, said why, and not submitted again",
    "[cluster][slurm]")
{
    LocalServerFixture f;
    ManagerHarness h(f);
    h.config.partition = QStringLiteral("short"); // the test cluster's partition of 1-minute jobs
    auto client = f.root();
    const QString uuid = submitRun(*client, QStringLiteral("true"),
        queued(h.config.tag, { { QStringLiteral("request_time"), QStringLiteral("2h") } }));
    h.start();
    REQUIRE(spinUntil([&] { return refusedRuns(h).size() == 1; }, 60000, 200));
    CHECK(refusedRuns(h)[0]
              .toObject()
              .value(QLatin1String("why"))
              .toString()
              .contains(QLatin1String("PartitionTimeLimit")));
    REQUIRE(
        spinUntil([&] { return jobsFor(h, uuid).value(0).state == QLatin1String("CANCELLED"); }, 30000, 200));
    h.rounds(2);
    CHECK(jobsFor(h, uuid).size() == 1);
}

TEST_CASE("a manager started again finds its jobs by name and submits no duplicate", "[cluster][slurm]")
{
    LocalServerFixture f;
    ManagerHarness h(f);
    h.config.sbatchArgs = { QStringLiteral("--begin=now+1hour") };
    auto client = f.root();
    const QString uuid = submitRun(*client, QStringLiteral("true"), queued(h.config.tag));
    h.start();
    REQUIRE(spinUntil([&] { return jobsFor(h, uuid).size() == 1; }, 30000, 200));
    const QString id = jobsFor(h, uuid)[0].id;
    h.drop(); // killed: its job stays in Slurm's queue
    h.start();
    h.rounds(3);
    const QList<cluster::SlurmJob> jobs = jobsFor(h, uuid);
    REQUIRE(jobs.size() == 1);
    CHECK(jobs[0].id == id);
    CHECK(jobs[0].isPending());
    const QJsonArray listed = h.manager->status().value(QLatin1String("jobs")).toArray();
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].toObject().value(QLatin1String("run")).toString() == uuid);
}

TEST_CASE("a manager started again does not count the failed jobs of the one before", "[cluster][slurm]")
{
    LocalServerFixture f;
    ManagerHarness h(f);
    h.config.workerExecutable = QStringLiteral("/nonexistent/codalab-worker"); // each job fails at once
    h.config.maxFailures = 2;
    auto client = f.root();
    const QString uuid = submitRun(*client, QStringLiteral("echo second try"), queued(h.config.tag));
    h.start();
    REQUIRE(spinUntil(
        [&] {
            return h.manager->status().value(QLatin1String("state")).toString() == QLatin1String("halted");
        },
        60000, 100));
    REQUIRE(jobsFor(h, uuid).size() == 2);
    // The cause fixed, the manager started again: the two failures are history, not a reason to halt.
    h.config.workerExecutable = QStringLiteral(CODALAB_WORKER_BIN);
    h.start();
    const QJsonObject done
        = waitForState(*client, uuid, { QStringLiteral("ready"), QStringLiteral("failed") }, 120000);
    INFO(h.messages.join(QLatin1Char('\n')).toStdString());
    CHECK(done.value(QLatin1String("state")).toString() == QLatin1String("ready"));
    CHECK(h.manager->status().value(QLatin1String("state")).toString() == QLatin1String("running"));
    CHECK(h.manager->status().value(QLatin1String("failures_in_a_row")).toInt() == 0);
    CHECK(jobsFor(h, uuid).size() == 3);
}

TEST_CASE("stop cancels the pending jobs, leaves the running ones, and ends the manager", "[cluster][slurm]")
{
    LocalServerFixture f;
    ManagerHarness h(f);
    auto client = f.root();
    const QString running = submitRun(*client, QStringLiteral("sleep 3"), queued(h.config.tag));
    h.start();
    REQUIRE(spinUntil(
        [&] { return jobsFor(h, running).value(0).state == QLatin1String("RUNNING"); }, 60000, 200));
    // The next run's job waits, as on a full cluster.
    h.config.sbatchArgs = { QStringLiteral("--begin=now+1hour") };
    h.start(); // a manager started again with the new arguments finds the running job by name
    const QString waiting = submitRun(*client, QStringLiteral("true"), queued(h.config.tag));
    REQUIRE(spinUntil([&] { return jobsFor(h, waiting).value(0).isPending(); }, 30000, 200));
    bool finished = false;
    QObject::connect(h.manager.get(), &cluster::WorkerManager::finished, [&finished] { finished = true; });
    h.manager->stop();
    CHECK(h.manager->status().value(QLatin1String("state")).toString() == QLatin1String("stopping"));
    REQUIRE(spinUntil([&] { return finished; }, 30000));
    CHECK(jobsFor(h, waiting).value(0).state == QLatin1String("CANCELLED"));
    CHECK(jobsFor(h, running).value(0).state != QLatin1String("CANCELLED")); // it finishes its run
    CHECK(waitForState(*client, running, { QStringLiteral("ready"), QStringLiteral("failed") }, 60000)
              .value(QLatin1String("state"))
              .toString()
        == QLatin1String("ready"));
}
