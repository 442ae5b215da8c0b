// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/keyedtablemodel.h"

#include <QJsonObject>
#include <QPointer>

namespace codalab::ui {

class UserNames;

/// The worker's run containers: one row per run of the status that has a container or is past preparing,
/// keyed by the run's uuid. Columns: the container's name (`codalab_run_<uuid>`), the bundle's short uuid
/// (as `cl` shows it; the whole one in its tooltip), its owner's user id, stage and run status ("Preparing:
/// Pulling image", or the status alone when it names the stage), image, elapsed against requested time
/// ("0:12:03 / 1:00:00", "0:00:05 / no limit"), CPU ("45 %" of the CPUs it holds), memory against its limit
/// ("1.2 GiB / 2 GiB") and GPUs.
///
/// Usage: setStatus() with each status; rows are updated in place (dataChanged for the changed cells only),
/// so a selection survives. UuidRole and RunDirRole answer on every cell; StageRole gives the raw stage.
class ContainerModel : public KeyedTableModel
{
    Q_OBJECT
public:
    enum Column {
        ContainerColumn,
        BundleColumn,
        OwnerColumn,
        StageColumn,
        ImageColumn,
        TimeColumn,
        CpuColumn,
        MemoryColumn,
        GpuColumn,
        GpuUseColumn, ///< the run's own GPU utilisation and memory (its processes, from nvidia-smi)
        ColumnCount
    };
    enum Role { UuidRole = Qt::UserRole + 1, RunDirRole, StageRole };

    explicit ContainerModel(QObject *parent = nullptr);

    void setStatus(const QJsonObject &status);
    /// Owners are shown by name from `names` (not owned); without it, as the worker's user ids.
    void setUserNames(UserNames *names);

    /// "RUN_STAGE.CLEANING_UP" → "Cleaning up".
    static QString stageText(const QString &stage);

private:
    QPointer<UserNames> m_names;
    QJsonObject m_status; ///< the last status, shown again when a name arrives
};

} // namespace codalab::ui
