// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cluster/slurmpartition.h"

#include <QList>
#include <QString>

namespace codalab::ui {

/// A queue tag a Slurm cluster serves through the desktop's worker manager, as the submission dialog offers
/// it and checks a run against (ui/cluster fills it, ui/submit reads it).
struct ClusterQueue
{
    QString name; ///< the cluster profile's name
    QString tag;
    QString partition; ///< the manager's partition; empty: Slurm's default
    bool managerRunning = false;
    /// What sinfo said, once it answered; partitionsError when it did not.
    bool partitionsKnown = false;
    QList<cluster::SlurmPartition> partitions;
    QString partitionsError;
};

} // namespace codalab::ui
