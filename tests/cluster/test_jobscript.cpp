// SPDX-License-Identifier: GPL-3.0-or-later
// What a worker manager's job asks Slurm for and runs (JobScript), and how it reads Slurm and the server
// (SlurmJob, StagedRun, ManagerConfig).
#include "cluster/jobscript.h"
#include "cluster/slurmjob.h"

#include <QJsonDocument>
#include <QProcess>

#include <catch2/catch.hpp>

using namespace codalab::cluster;

namespace {

ManagerConfig config()
{
    ManagerConfig c;
    c.serverUrl = QStringLiteral("https://cl.example.org");
    c.passwordFile = QStringLiteral("/home/me/.codalab/pass word");
    c.tag = QStringLiteral("gpu");
    c.logDir = QStringLiteral("/shared/logs");
    c.partition = QStringLiteral("long");
    c.account = QStringLiteral("lab");
    c.sbatchArgs = { QStringLiteral("--qos=normal") };
    c.workerArgs = { QStringLiteral("--no-network") };
    return c;
}

QString bash(const QStringList &args, const QByteArray &input = {})
{
    QProcess p;
    p.start(QStringLiteral("bash"), args);
    p.write(input);
    p.closeWriteChannel();
    REQUIRE(p.waitForFinished(10000));
    return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
}

} // namespace

TEST_CASE("a run's job asks for what the run asked for, and a margin of time", "[cluster][script]")
{
    StagedRun r;
    r.uuid = QStringLiteral("0x0123456789abcdef0123456789abcdef");
    r.cpus = 4;
    r.gpus = 2;
    r.memoryBytes = 3LL * 1024 * 1024 * 1024 + 1; // rounded up to whole MiB
    r.timeSeconds = 3600;
    const JobScript job = JobScript::forRun(config(), r);
    CHECK(job.name == QStringLiteral("codalab-gpu-0x0123456789abcdef0123456789abcdef"));
    const QStringList &a = job.sbatchArgs;
    CHECK(a.contains(QStringLiteral("--parsable")));
    CHECK(a.contains(QStringLiteral("--job-name=") + job.name));
    CHECK(a.contains(QStringLiteral("--cpus-per-task=4")));
    CHECK(a.contains(QStringLiteral("--mem=3073M")));
    CHECK(a.contains(QStringLiteral("--gres=gpu:2")));
    CHECK(a.contains(QStringLiteral("--time=0-01:05:00"))); // 3600 s + the 300 s margin
    CHECK(a.contains(QStringLiteral("--partition=long")));
    CHECK(a.contains(QStringLiteral("--account=lab")));
    CHECK(a.contains(QStringLiteral("--output=/shared/logs/%x-%j.out")));
    CHECK(a.last() == QStringLiteral("--qos=normal")); // the user's own sbatch arguments come last and win

    ManagerConfig typed = config();
    typed.gpuType = QStringLiteral("a100");
    CHECK(JobScript::forRun(typed, r).sbatchArgs.contains(QStringLiteral("--gres=gpu:a100:2")));
    r.gpus = 0;
    r.timeSeconds = 0;
    r.memoryBytes = 0;
    const JobScript plain = JobScript::forRun(config(), r);
    for (const QString &arg : plain.sbatchArgs) {
        CHECK_FALSE(arg.startsWith(QLatin1String("--gres")));
        CHECK_FALSE(arg.startsWith(QLatin1String("--time")));
        CHECK_FALSE(arg.startsWith(QLatin1String("--mem")));
    }
    CHECK(plain.script.contains(QLatin1String("--gpuset NONE")));
}

TEST_CASE(
    "the job script is valid bash, runs one worker for the tag, and holds no password", "[cluster][script]")
{
    StagedRun r;
    r.uuid = QStringLiteral("0xabc");
    const JobScript job = JobScript::forRun(config(), r);
    CHECK(bash({ QStringLiteral("-n") }, job.script.toUtf8()).isEmpty());
    CHECK(job.script.startsWith(QLatin1String("#!/bin/bash\n")));
    CHECK(job.script.contains(QLatin1String("--password-file '/home/me/.codalab/pass word'")));
    CHECK(job.script.contains(QLatin1String("--tag 'gpu' --tag-exclusive")));
    CHECK(job.script.contains(QLatin1String("--exit-when-idle --idle-seconds 60 --exit-after-num-runs 1")));
    CHECK(job.script.contains(QLatin1String("'--no-network'")));
    CHECK(job.script.contains(QLatin1String("work_dir='/shared/logs/work-'\"$SLURM_JOB_ID\"''")));
    ManagerConfig c = config();
    c.passwordFile.clear(); // credentials from the environment sbatch passes on
    const JobScript fromEnv = JobScript::forRun(c, r);
    CHECK_FALSE(fromEnv.script.contains(QLatin1String("password")));

    const JobScript spare = JobScript::spare(config(), QStringLiteral("1f"));
    CHECK(spare.name == QStringLiteral("codalab-gpu-spare-1f"));
    CHECK_FALSE(spare.script.contains(QLatin1String("--exit-when-idle")));
    CHECK(bash({ QStringLiteral("-n") }, spare.script.toUtf8()).isEmpty());
}

TEST_CASE("job names lead back to their run; spares and other tags' jobs to none", "[cluster][script]")
{
    const ManagerConfig c = config();
    CHECK(JobScript::runOf(c, QStringLiteral("codalab-gpu-0xabc")) == QStringLiteral("0xabc"));
    CHECK(JobScript::runOf(c, QStringLiteral("codalab-gpu-spare-12")).isEmpty());
    CHECK(JobScript::isOurs(c, QStringLiteral("codalab-gpu-spare-12")));
    CHECK_FALSE(JobScript::isOurs(c, QStringLiteral("codalab-gpu2-0xabc")));
    CHECK(JobScript::runOf(c, QStringLiteral("codalab-cpu-0xabc")).isEmpty());
}

TEST_CASE("quoting survives bash, and Slurm times are D-HH:MM:SS", "[cluster][script]")
{
    const QString nasty = QStringLiteral("it's a \"$HOME\" `x` \\ ;");
    CHECK(
        bash({ QStringLiteral("-c"), QStringLiteral("printf %s ") + JobScript::shellQuote(nasty) }) == nasty);
    CHECK(JobScript::slurmTime(59) == QStringLiteral("0-00:00:59"));
    CHECK(JobScript::slurmTime(90061) == QStringLiteral("1-01:01:01"));
}

TEST_CASE("squeue's lines are read field by field; Slurm's states mean what Slurm says", "[cluster][slurm]")
{
    const QList<SlurmJob> jobs = SlurmJob::parse(QStringLiteral(
        "12|PENDING|Resources|(null)|2026-12-06T11:12:45|2026-12-06T12:00:00|codalab-gpu-0xa\n"
        "13|RUNNING|None|node7|2026-12-06T11:12:46|2026-12-06T11:12:50|name|with|bars\n"
        "garbage line\n"
        "14|PENDING|PartitionTimeLimit|(null)|2026-12-06T11:12:47|N/A|codalab-gpu-0xb\n"
        "15|FAILED|NonZeroExitCode|node7|2026-12-06T11:12:47|2026-12-06T11:12:48|codalab-gpu-0xc\n"));
    REQUIRE(jobs.size() == 4);
    CHECK(jobs[0].id == QStringLiteral("12"));
    CHECK(jobs[0].isPending());
    CHECK(jobs[0].node.isEmpty());
    CHECK_FALSE(jobs[0].started.isValid()); // squeue's %S of a pending job is only an estimate
    CHECK_FALSE(jobs[0].cannotStart());
    CHECK(jobs[1].name == QStringLiteral("name|with|bars"));
    CHECK(jobs[1].node == QStringLiteral("node7"));
    CHECK(jobs[1].started == QDateTime(QDate(2026, 12, 6), QTime(11, 12, 50)));
    CHECK(jobs[1].isActive());
    CHECK_FALSE(jobs[1].endedBadly());
    CHECK(jobs[2].cannotStart());
    CHECK_FALSE(jobs[3].isActive());
    CHECK(jobs[3].endedBadly());
}

TEST_CASE("a staged run's request comes from its metadata as cl run wrote it", "[cluster][server]")
{
    const QJsonObject resource = QJsonDocument::fromJson(R"({"type":"bundles","id":"0xfeed",
        "attributes":{"metadata":{"name":"train","request_cpus":3,"request_gpus":1,"request_memory":"6g",
        "request_time":"2h","request_queue":"tag=gpu"}}})")
                                     .object();
    const auto r = StagedRun::fromResource(resource);
    REQUIRE(r);
    CHECK(r->uuid == QStringLiteral("0xfeed"));
    CHECK(r->cpus == 3);
    CHECK(r->gpus == 1);
    CHECK(r->memoryBytes == 6LL << 30);
    CHECK(r->timeSeconds == 7200);
    CHECK(r->queue == QStringLiteral("tag=gpu"));
    const auto bare
        = StagedRun::fromResource(QJsonDocument::fromJson(R"({"id":"0x1","attributes":{}})").object());
    REQUIRE(bare);
    CHECK(bare->cpus == 1);
    CHECK(bare->memoryBytes == 0);
    CHECK_FALSE(StagedRun::fromResource(QJsonObject()));
}

TEST_CASE("a configuration that cannot work is refused with the flag to fix", "[cluster][config]")
{
    ManagerConfig c = config();
    QString error;
    CHECK(c.validate(&error));
    c.tag = QStringLiteral("a tag");
    CHECK_FALSE(c.validate(&error));
    CHECK(error.contains(QLatin1String("--tag")));
    c = config();
    c.minWorkers = 11;
    CHECK_FALSE(c.validate(&error));
    CHECK(error.contains(QLatin1String("--min-workers")));
    c = config();
    c.serverUrl.clear();
    CHECK_FALSE(c.validate(&error));
    CHECK(error.contains(QLatin1String("--server")));
    // ssh passes no environment: without a password file on the cluster the jobs' workers could not log in.
    c = config();
    c.sshHost = QStringLiteral("login");
    CHECK(c.validate(&error));
    c.passwordFile.clear();
    CHECK_FALSE(c.validate(&error));
    CHECK(error.contains(QLatin1String("--password-file")));
}
