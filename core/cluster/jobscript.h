// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cluster/managerconfig.h"
#include "cluster/stagedrun.h"

#include <QStringList>

namespace codalab::cluster {

/// One Slurm job of the manager: its sbatch options and the batch script (read by sbatch from stdin). The job
/// runs one codalab-worker for the manager's tag, sized to the run it was submitted for, in a work dir of
/// its own; the worker exits when idle or after its runs. No secret is in either: the worker reads the
/// password file, or the environment sbatch exports.
struct JobScript
{
    QString name;
    QStringList sbatchArgs;
    QString script;

    /// A job for `run`.
    static JobScript forRun(const ManagerConfig &config, const StagedRun &run);
    /// A spare job (--min-workers): the spare size, no run of its own, and a worker that does not exit when
    /// idle.
    static JobScript spare(const ManagerConfig &config, const QString &suffix);
    /// The run a job name of this manager was submitted for; empty for a spare or a name not ours.
    static QString runOf(const ManagerConfig &config, const QString &jobName);
    /// Whether a job name is one of this manager's (for its tag).
    static bool isOurs(const ManagerConfig &config, const QString &jobName);
    /// Slurm's --time for a run limited to `seconds`, the margin added: "D-HH:MM:SS".
    static QString slurmTime(qint64 seconds);
    /// `text` as one word for bash.
    static QString shellQuote(const QString &text);
};

} // namespace codalab::cluster
