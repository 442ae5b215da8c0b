// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/keyedtablemodel.h"

#include <QJsonObject>

namespace codalab::ui {

/// The worker's slots, one row per slot of its status: the slot number (from 1), the CPUs and GPUs the run
/// in it holds ("0-3", "GPU 0 (NVIDIA H100)"), and that run (short uuid and command) or "idle".
///
/// Usage: setStatus() with each status WorkerLink::statusChanged() brings (an empty one clears the table);
/// rows are updated in place. RunUuidRole gives the run's uuid (empty when idle) on every cell.
class SlotModel : public KeyedTableModel
{
    Q_OBJECT
public:
    enum Column { SlotColumn, CpusColumn, GpusColumn, RunColumn, ColumnCount };
    enum Role { RunUuidRole = Qt::UserRole + 1 };

    explicit SlotModel(QObject *parent = nullptr);

    void setStatus(const QJsonObject &status);
};

} // namespace codalab::ui
