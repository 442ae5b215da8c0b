// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cluster/clusterprofile.h"
#include "cluster/slurmpartition.h"

#include <QDialog>
#include <QPointer>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace codalab::cluster {
class SlurmClient;
}

namespace codalab::ui {

/// Adds or edits a cluster profile: how to reach Slurm (this computer, or a login node over ssh with the
/// user's own ssh configuration and agent: no password asked or stored), the queue tag, the partition and
/// account, the limits. "Test" asks that Slurm for its partitions (sinfo) and offers them. OK says every
/// problem at once and keeps the dialog open until there is none.
class ClusterProfileDialog : public QDialog
{
    Q_OBJECT
public:
    /// `others`: the other profiles (names and tags must differ).
    ClusterProfileDialog(
        const ClusterProfile &profile, QList<ClusterProfile> others, QWidget *parent = nullptr);
    ~ClusterProfileDialog() override;

    ClusterProfile profile() const;
    /// What the last OK or Test said; empty when nothing.
    QString statusText() const;

    void accept() override;
    /// For a profile whose manager runs: its name, tag and way to Slurm stay as they are (the running manager
    /// serves them), and the dialog says that other changes apply when it starts again.
    void lockWhereItRuns();
    /// One partition in a line: "main (default): 1 node; per node 2 CPUs, 22.5 GiB and 0 GPUs; no time
    /// limit".
    static QString describe(const cluster::SlurmPartition &partition);
    /// sinfo through the profile's way to Slurm; the answer shows below the form.
    void testConnection();

Q_SIGNALS:
    /// The test ended (ok: Slurm answered).
    void tested(bool ok);

private:
    void showStatus(const QString &text, bool error);

    QList<ClusterProfile> m_others;
    QLineEdit *m_name;
    QCheckBox *m_overSsh;
    QLineEdit *m_sshHost;
    QLineEdit *m_tag;
    QComboBox *m_partition;
    QLineEdit *m_account;
    QLineEdit *m_gpuType;
    QSpinBox *m_maxWorkers;
    QSpinBox *m_minWorkers;
    QSpinBox *m_idleSeconds;
    QLineEdit *m_workerArgs;
    QLineEdit *m_sbatchArgs;
    QLineEdit *m_logDir;
    QLineEdit *m_passwordFile;
    QPushButton *m_test;
    QLabel *m_status;
    QLabel *m_locked;
    QPointer<cluster::SlurmClient> m_slurm;
};

} // namespace codalab::ui
