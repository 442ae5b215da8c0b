// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace codalab::cluster {

/// What `codalab-worker-manager slurm` was told (flags as upstream's `cl-worker-manager` where they overlap).
struct ManagerConfig
{
    QString serverUrl;
    QString passwordFile; ///< handed to each job's worker as a path; empty: CODALAB_USERNAME/PASSWORD
    QString tag;
    int maxWorkers = 10;
    int minWorkers = 0;
    QString partition;
    QString account;
    QString gpuType; ///< --gres=gpu:<type>:N when set
    QStringList sbatchArgs; ///< passed to sbatch as they are, after ours
    QStringList workerArgs; ///< appended to each job's codalab-worker command line
    QString workerExecutable = QStringLiteral("codalab-worker");
    int idleSeconds = 60;
    int runsPerJob = 1;
    QString workDirTemplate; ///< "%j" becomes the job id; default: under the log dir
    QString logDir; ///< where the jobs' output goes (%x-%j.out)
    QString jobNamePrefix = QStringLiteral("codalab");
    QString sshHost; ///< run the Slurm commands on this host over ssh (the user's own ssh config and agent)
    bool searchAllUsers = false; ///< without `.mine` (upstream does this for the user "codalab")
    int pollSeconds = 5;
    int maxFailures = 3; ///< failures in a row (sbatch refused, job failed) before it stops submitting
    int timeMarginSeconds = 300; ///< added to a run's request_time for its job's --time
    /// Defaults of a spare job (--min-workers), which is sized by no run.
    int spareCpus = 1;
    qint64 spareMemoryBytes = 2LL << 30;

    /// The job name prefix of this manager's jobs: "<prefix>-<tag>-".
    QString jobNameStem() const;
    /// Checks the values; false and *error when one cannot work.
    bool validate(QString *error) const;
};

} // namespace codalab::cluster
