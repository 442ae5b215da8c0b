// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/keyedtablemodel.h"

#include <QJsonObject>

namespace codalab::ui {

/// A worker manager's Slurm jobs, from its status (`codalab-worker-manager status --json`: jobs with id, run,
/// state, reason, node, age_seconds, log), one row per job keyed by its job id. Columns: the job id, the run
/// it was submitted for (short uuid as `cl` shows it, the whole one in its tooltip; "spare" for a
/// --min-workers job), Slurm's state in words ("Pending", "Cancelled by the manager"), the node, Slurm's
/// reason with what it means when it is one of the common ones, and the age.
///
/// Usage: setStatus() with each status; rows are updated in place, so the selection survives. JobIdRole,
/// RunRole and LogRole answer on every cell.
class ClusterJobsModel : public KeyedTableModel
{
    Q_OBJECT
public:
    enum Column { JobColumn, RunColumn, StateColumn, NodeColumn, ReasonColumn, AgeColumn, ColumnCount };
    enum Role { JobIdRole = Qt::UserRole + 1, RunRole, LogRole, StateRole };

    explicit ClusterJobsModel(QObject *parent = nullptr);

    void setStatus(const QJsonObject &status);

    /// "RUNNING" → "Running", "OUT_OF_MEMORY" → "Out of memory".
    static QString stateText(const QString &state, bool cancelledByManager);
    /// Slurm's reason, with a few words on the ones a user meets most ("Resources" → "Resources: waiting for
    /// free CPUs, memory or GPUs"); "None" → "".
    static QString reasonText(const QString &reason);
};

} // namespace codalab::ui
