// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cluster/slurmpartition.h"
#include "server/runrequest.h"

#include <QCoreApplication>
#include <QStringList>

namespace codalab::cluster {

/// Whether the Slurm job the worker manager would submit for a run fits the cluster's partitions, as
/// sentences for the user ("Asks for 64 CPUs; the largest node of partition main has 32."). The job is
/// sized as JobScript sizes it: one node, the run's CPUs, GPUs and memory (in MiB, rounded up), and the run's
/// time plus the manager's margin (in minutes, rounded up, as Slurm keeps it). A run that asks for no time
/// (or no memory) gets no --time (or --mem), so nothing is said about it: Slurm gives such a job the
/// partition's default.
///
/// Usage: ClusterFit::check(request, partitions, config.partition, config.timeMarginSeconds) with what
/// SlurmClient::partitions() gave; an empty list means it fits. Advice, as FitCheck's: the per-node values
/// are each the largest node's, so a job asking for the most of everything may still wait for a node that
/// has it all. Values the request cannot parse are left to RunRequest::validate().
class ClusterFit
{
    Q_DECLARE_TR_FUNCTIONS(ClusterFit)

public:
    ClusterFit() = delete;

    /// `partition`: the manager's --partition (a comma-separated list; empty: the cluster's default). The
    /// run fits when every named partition exists and at least one of them takes it (Slurm runs the job in
    /// whichever starts it first); otherwise the sentences say why each does not: missing partitions first,
    /// then per partition its state, CPUs, GPUs, memory and time.
    static QStringList check(const server::RunRequest &request, const QList<SlurmPartition> &partitions,
        const QString &partition, int timeMarginSeconds = 300);
};

} // namespace codalab::cluster
