// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cluster/managerconfig.h"
#include "cluster/slurmjob.h"
#include "cluster/stagedrun.h"

#include <QHash>
#include <QList>
#include <QSet>

namespace codalab::cluster {

/// One round of the worker manager's decisions, from what the server and Slurm said (no I/O here).
///
/// - A staged run with no job of ours for it gets one, sized to it, while fewer than --max-workers jobs
///   are active; the oldest staged run first (the search answers newest first).
/// - A run that Slurm refused (sbatch said no: an impossible request) gets none again.
/// - A pending job whose run is no longer staged (taken by another worker, killed, deleted) is cancelled.
/// - Spare jobs keep --min-workers active; extra spares are cancelled while still pending.
/// - Paused or stopping: nothing is submitted; stopping also cancels every pending job.
struct ManagerPlan
{
    QList<StagedRun> submit;
    int spares = 0;
    QStringList cancel; ///< job ids

    struct Inputs
    {
        QList<StagedRun> staged; ///< newest first, as the server answers
        QList<SlurmJob> jobs; ///< this manager's jobs that Slurm still lists as active
        QSet<QString> refused; ///< runs sbatch refused
        bool paused = false;
        bool stopping = false;
    };
    static ManagerPlan make(const ManagerConfig &config, const Inputs &in);
};

} // namespace codalab::cluster
