// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace codalab::cluster {

/// One Slurm partition as `sinfo` describes it: what the largest of its nodes offers a one-node job, and how
/// long a job may run there. The desktop checks a run against these before the worker manager submits a job
/// for it (ClusterFit).
///
/// Usage: run `sinfo` with arguments() (SlurmClient::partitions does), hand its output to parse(), and pick
/// the partitions a job would go to with select().
struct SlurmPartition
{
    QString name;
    bool isDefault = false; ///< the partition of a job that names none
    bool up = false; ///< takes and starts jobs (availability "up")
    std::optional<qint64> maxTimeSeconds; ///< nullopt = no limit (INFINITE/UNLIMITED)
    int nodes = 0;
    /// Per node, the largest node's. Each resource's largest may be on a different node: a job asking for
    /// many CPUs *and* many GPUs can still find no single node with both.
    int maxCpusPerNode = 0;
    qint64 maxMemoryMiBPerNode = 0;
    int maxGpusPerNode = 0;
    /// sinfo's word (%a): "up", "down" (jobs are taken and wait), "drain", "inactive" (no new jobs).
    QString availability;

    /// What parse() reads: `sinfo` with these arguments. --exact: without it, nodes of one partition that
    /// differ share a line showing the *smallest* CPU and memory values with a "+" ("250+"), which would
    /// hide the larger nodes.
    static QStringList arguments();
    /// The output of `sinfo --noheader --exact --format=%P|%a|%l|%c|%m|%G|%D`, one line per partition and
    /// node configuration; a partition's lines are merged (the largest per-node values, the sum of nodes),
    /// in the order sinfo first names them. A line that cannot be read makes the whole result empty, with
    /// `*error` naming the line; an empty output is no partitions, no error.
    static QList<SlurmPartition> parse(const QString &sinfoOutput, QString *error);
    /// The partitions a job submitted with `--partition=<configured>` may go to: each of a comma-separated
    /// list (Slurm runs the job in whichever starts it first), or the default partition when `configured`
    /// is empty. Names the cluster lacks (Slurm then refuses the job) go to `*missing` when given.
    static QList<SlurmPartition> select(
        const QList<SlurmPartition> &partitions, const QString &configured, QStringList *missing = nullptr);
};

} // namespace codalab::cluster
