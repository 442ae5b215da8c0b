// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

class QSettings;

namespace codalab::ui {

/// A Slurm cluster the desktop starts a worker manager for (codalab-worker-manager slurm): how to reach Slurm
/// (this machine's sbatch/squeue, or a login node over ssh with the user's own ssh config and agent — no
/// password is stored), the queue tag it serves and its limits. Kept in the desktop's settings (a list under
/// "clusters"); never a secret: the manager gets the account through its environment.
struct ClusterProfile
{
    QString name; ///< what the user calls it ("lab cluster"); unique
    QString sshHost; ///< empty: Slurm's commands on this machine
    QString tag; ///< the queue tag: runs submitted with --request-queue TAG go to the cluster
    QString partition; ///< empty: Slurm's default partition
    QString account;
    QString gpuType; ///< --gres=gpu:TYPE:N when set
    int maxWorkers = 4;
    int minWorkers = 0;
    int idleSeconds = 60;
    QString workerArgs; ///< more flags for each job's codalab-worker, as typed
    QStringList sbatchArgs; ///< more for sbatch, one per entry
    /// On the cluster: where the jobs' output goes and the password file each job's worker reads. A local
    /// profile may leave them empty (the manager's defaults; the jobs inherit the account from sbatch's
    /// environment); ssh does not carry the environment, so an ssh profile needs both.
    QString logDir;
    QString passwordFile;

    bool operator==(const ClusterProfile &) const = default;

    /// Every problem, as sentences; empty when the manager can start with it. `others`: the other profiles
    /// (a name or a tag used twice would make two managers fight over one control socket).
    QStringList validate(const QList<ClusterProfile> &others = {}) const;

    /// The manager's control socket: the same path `codalab-worker-manager --tag TAG` uses by default, so a
    /// manager started by hand for the tag is seen too.
    QString socketPath() const;
    /// Where the desktop appends the manager's own output: $XDG_STATE_HOME/CodaLab/manager-<tag>.log.
    QString managerLogPath() const;
    /// `slurm --server URL --tag TAG ...` for codalab-worker-manager.
    QStringList managerArguments(const QString &serverUrl) const;
    /// "this computer" or "ssh login.example.org".
    QString reachText() const;

    static QList<ClusterProfile> load(QSettings *settings);
    static void save(QSettings *settings, const QList<ClusterProfile> &profiles);
};

} // namespace codalab::ui
