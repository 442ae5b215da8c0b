// SPDX-License-Identifier: GPL-3.0-or-later
#include "cluster/clusterfit.h"

#include "util/bytesize.h"
#include "util/duration.h"

#include <limits>

namespace codalab::cluster {

namespace {

constexpr qint64 MiB = qint64(1) << 20;
constexpr qint64 MaxMiB = std::numeric_limits<qint64>::max() / MiB;

/// Why one partition cannot take the job; empty when it can.
QStringList problems(const server::RunRequest &request, const SlurmPartition &p, int margin)
{
    QStringList out;
    if (p.availability == QLatin1String("down")) {
        // Slurm still takes the job; it waits.
        out << ClusterFit::tr("Partition %1 is down.").arg(p.name);
    } else if (!p.up) {
        out << ClusterFit::tr("Partition %1 takes no new jobs (it is %2).").arg(p.name, p.availability);
    }
    if (p.nodes <= 0) {
        out << ClusterFit::tr("Partition %1 has no nodes.").arg(p.name);
        return out;
    }

    // The job's size as JobScript asks for it: at least one CPU, the run's GPUs, --mem in MiB rounded up.
    const int cpus = qMax(1, request.cpus);
    if (cpus > p.maxCpusPerNode) {
        out << ClusterFit::tr("Asks for %n CPU(s); the largest node of partition %1 has %2.", nullptr, cpus)
                   .arg(p.name, QString::number(p.maxCpusPerNode));
    }
    if (request.gpus > p.maxGpusPerNode) {
        out << (p.maxGpusPerNode == 0
                ? ClusterFit::tr("Asks for %n GPU(s); partition %1 has no GPUs.", nullptr, request.gpus)
                      .arg(p.name)
                : ClusterFit::tr(
                    "Asks for %n GPU(s); partition %1 has at most %2 per node.", nullptr, request.gpus)
                      .arg(p.name, ClusterFit::tr("%n GPU(s)", nullptr, p.maxGpusPerNode)));
    }
    if (const auto bytes = util::ByteSize::parse(request.memory); bytes && *bytes > 0) {
        const qint64 mib = *bytes / MiB + (*bytes % MiB != 0 ? 1 : 0);
        if (mib > p.maxMemoryMiBPerNode) {
            // The request as typed ("500g"), the node's size in the same vocabulary.
            out << ClusterFit::tr("Asks for %1 of memory; the largest node of partition %2 has %3.")
                       .arg(request.memory.trimmed(), p.name,
                           util::ByteSize::format(qMin(p.maxMemoryMiBPerNode, MaxMiB) * MiB));
        }
    }
    if (const auto seconds = util::Duration::parse(request.time);
        seconds && *seconds > 0 && p.maxTimeSeconds) {
        // --time is the run's time plus the margin, which Slurm keeps in whole minutes, rounded up (the
        // first comparison keeps the sum from overflowing).
        const qint64 allowed = *p.maxTimeSeconds;
        const auto jobSeconds = [&] {
            const qint64 job = *seconds + margin;
            return (job / 60 + (job % 60 != 0 ? 1 : 0)) * 60;
        };
        if (*seconds > allowed || jobSeconds() > allowed) {
            const QString limit = util::Duration::format(allowed);
            out << (margin > 0
                    ? ClusterFit::tr("Asks for %1; partition %2 allows %3, less the manager's margin of %4.")
                          .arg(request.time.trimmed(), p.name, limit, util::Duration::format(margin))
                    : ClusterFit::tr("Asks for %1; partition %2 allows %3.")
                          .arg(request.time.trimmed(), p.name, limit));
        }
    }
    return out;
}

} // namespace

QStringList ClusterFit::check(const server::RunRequest &request, const QList<SlurmPartition> &partitions,
    const QString &partition, int timeMarginSeconds)
{
    QStringList missing;
    const QList<SlurmPartition> targets = SlurmPartition::select(partitions, partition, &missing);
    QStringList out;
    // Slurm refuses a job naming any partition it does not have, even when another named one would do.
    for (const QString &name : missing) {
        out << tr("The cluster has no partition %1.").arg(name);
    }
    if (targets.isEmpty() && missing.isEmpty()) {
        return { tr("The cluster has no default partition.") };
    }
    QStringList why;
    for (const SlurmPartition &p : targets) {
        const QStringList these = problems(request, p, qMax(0, timeMarginSeconds));
        if (these.isEmpty() && missing.isEmpty()) {
            return {};
        }
        why << these;
    }
    return out + why;
}

} // namespace codalab::cluster
