// SPDX-License-Identifier: GPL-3.0-or-later
#include "cluster/jobscript.h"

#include <QDir>

namespace codalab::cluster {

namespace {

constexpr auto SpareMark = "spare-";

JobScript build(const ManagerConfig &c, const QString &name, int cpus, int gpus, qint64 memoryBytes,
    qint64 timeSeconds, bool spare)
{
    JobScript job;
    job.name = name;
    QStringList &a = job.sbatchArgs;
    a << QStringLiteral("--parsable") << QStringLiteral("--job-name=%1").arg(name)
      << QStringLiteral("--output=%1").arg(QDir(c.logDir).filePath(QStringLiteral("%x-%j.out")))
      << QStringLiteral("--nodes=1") << QStringLiteral("--ntasks=1")
      << QStringLiteral("--cpus-per-task=%1").arg(qMax(1, cpus));
    if (memoryBytes > 0) {
        // Slurm's --mem is in MiB; rounded up so the run's limit fits in the job's.
        a << QStringLiteral("--mem=%1M").arg((memoryBytes + (1 << 20) - 1) >> 20);
    }
    if (gpus > 0) {
        a << (c.gpuType.isEmpty() ? QStringLiteral("--gres=gpu:%1").arg(gpus)
                                  : QStringLiteral("--gres=gpu:%1:%2").arg(c.gpuType).arg(gpus));
    }
    if (timeSeconds > 0) {
        a << QStringLiteral("--time=%1").arg(JobScript::slurmTime(timeSeconds + c.timeMarginSeconds));
    }
    if (!c.partition.isEmpty()) {
        a << QStringLiteral("--partition=%1").arg(c.partition);
    }
    if (!c.account.isEmpty()) {
        a << QStringLiteral("--account=%1").arg(c.account);
    }
    a << c.sbatchArgs;

    // The job's own work dir: %j is the job id, known only inside the job.
    QString workDir = c.workDirTemplate.isEmpty() ? QDir(c.logDir).filePath(QStringLiteral("work-%j"))
                                                  : c.workDirTemplate;
    workDir
        = JobScript::shellQuote(workDir).replace(QStringLiteral("%j"), QStringLiteral("'\"$SLURM_JOB_ID\"'"));
    QStringList worker { JobScript::shellQuote(c.workerExecutable), QStringLiteral("--server"),
        JobScript::shellQuote(c.serverUrl), QStringLiteral("--tag"), JobScript::shellQuote(c.tag),
        QStringLiteral("--tag-exclusive"), QStringLiteral("--id"),
        JobScript::shellQuote(name) + QStringLiteral("-\"$SLURM_JOB_ID\""), QStringLiteral("--work-dir"),
        QStringLiteral("\"$work_dir\""), QStringLiteral("--network-prefix"),
        QStringLiteral("codalab_job_\"$SLURM_JOB_ID\""), QStringLiteral("--cpuset"),
        QStringLiteral("\"$cpus\"") };
    if (!c.passwordFile.isEmpty()) {
        worker << QStringLiteral("--password-file") << JobScript::shellQuote(c.passwordFile);
    }
    if (!spare) {
        worker << QStringLiteral("--exit-when-idle") << QStringLiteral("--idle-seconds")
               << QString::number(c.idleSeconds) << QStringLiteral("--exit-after-num-runs")
               << QString::number(c.runsPerJob);
    }
    if (gpus == 0) {
        worker << QStringLiteral("--gpuset") << QStringLiteral("NONE");
    }
    for (const QString &w : c.workerArgs) {
        worker << JobScript::shellQuote(w);
    }
    job.script = QStringLiteral(
        "#!/bin/bash\n"
        "# A CodaLab worker started by codalab-worker-manager for the queue tag %1%2.\n"
        "set -e\n"
        "work_dir=%3\n"
        "mkdir -p \"$work_dir\"\n"
        "# The CPUs runs may use: those Slurm bound this job to (task/affinity, task/cgroup); on a cluster\n"
        "# that does not bind, as many as the job was given, so that the worker offers no more.\n"
        "cpus=$(taskset -cp $$ | sed 's/.*: //')\n"
        "if [ \"$(nproc)\" -gt \"${SLURM_CPUS_PER_TASK:-1}\" ]; then\n"
        "  cpus=\"0-$(( ${SLURM_CPUS_PER_TASK:-1} - 1 ))\"\n"
        "fi\n"
        "exec %4\n")
                     .arg(c.tag, spare ? QString() : QStringLiteral(", run ") + JobScript::runOf(c, name),
                         workDir, worker.join(QLatin1Char(' ')));
    return job;
}

} // namespace

JobScript JobScript::forRun(const ManagerConfig &config, const StagedRun &run)
{
    return build(
        config, config.jobNameStem() + run.uuid, run.cpus, run.gpus, run.memoryBytes, run.timeSeconds, false);
}

JobScript JobScript::spare(const ManagerConfig &config, const QString &suffix)
{
    return build(config, config.jobNameStem() + QLatin1String(SpareMark) + suffix, config.spareCpus, 0,
        config.spareMemoryBytes, 0, true);
}

bool JobScript::isOurs(const ManagerConfig &config, const QString &jobName)
{
    return jobName.startsWith(config.jobNameStem());
}

QString JobScript::runOf(const ManagerConfig &config, const QString &jobName)
{
    if (!isOurs(config, jobName)) {
        return {};
    }
    const QString rest = jobName.mid(config.jobNameStem().size());
    return rest.startsWith(QLatin1String(SpareMark)) ? QString() : rest;
}

QString JobScript::slurmTime(qint64 seconds)
{
    const qint64 days = seconds / 86400;
    const qint64 rest = seconds % 86400;
    return QStringLiteral("%1-%2:%3:%4")
        .arg(days)
        .arg(rest / 3600, 2, 10, QLatin1Char('0'))
        .arg(rest % 3600 / 60, 2, 10, QLatin1Char('0'))
        .arg(rest % 60, 2, 10, QLatin1Char('0'));
}

QString JobScript::shellQuote(const QString &text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

} // namespace codalab::cluster
