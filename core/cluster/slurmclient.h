// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cluster/slurmjob.h"
#include "cluster/slurmpartition.h"

#include <QObject>
#include <QStringList>

#include <functional>

namespace codalab::cluster {

/// What one Slurm command said.
struct SlurmResult
{
    bool ok = false;
    int exitCode = -1;
    QString output; ///< stdout
    QString error; ///< stderr, or why the command did not run; trimmed
    /// Slurm never answered (no controller, no ssh, no such program): worth trying again later, unlike a
    /// request Slurm read and refused.
    bool unreachable = false;
};

/// Slurm's commands (sbatch, squeue, scancel, sinfo), run as processes on this machine or, with an ssh host,
/// on a login node through the user's own ssh configuration and agent (never a stored password). Every call
/// is asynchronous: the callback runs later on this object's thread, never inside the call.
class SlurmClient : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const SlurmResult &)>;
    static constexpr int TimeoutMs = 60000;

    explicit SlurmClient(QString sshHost = {}, QObject *parent = nullptr);
    /// Kills the commands still running; their callbacks never run.
    ~SlurmClient() override;

    /// sbatch with `args`, the batch script on stdin; the output is the job id (--parsable).
    void submit(const QStringList &args, const QString &script, Callback done);
    /// This user's jobs whose name starts with `namePrefix`, finished ones Slurm still remembers included.
    void jobs(
        const QString &namePrefix, std::function<void(const SlurmResult &, const QList<SlurmJob> &)> done);
    void cancel(const QStringList &jobIds, Callback done);
    /// The partitions this user may submit to, with their limits (sinfo, SlurmPartition::arguments()). An
    /// output that cannot be read is a failed result (`ok` false, not unreachable) saying why, with no
    /// partitions.
    void partitions(std::function<void(const SlurmResult &, const QList<SlurmPartition> &)> done);
    /// Any Slurm command (the partitions' limits for the desktop: sinfo).
    void run(const QString &program, const QStringList &args, const QByteArray &input, Callback done);

private:
    QString m_sshHost;
};

} // namespace codalab::cluster
