// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/keyedtablemodel.h"

#include <QJsonObject>

namespace codalab::ui {

/// The worker's GPUs, one row per GPU of its status (keyed by uuid): index, name, memory, driver,
/// utilisation, memory used, and whether runs may use it (a check box).
///
/// Usage: setStatus() with each status. Toggling the Enabled check box changes nothing by itself: it emits
/// enabledChangeRequested() (the machine page asks the worker), and the next status shows the outcome.
class GpuModel : public KeyedTableModel
{
    Q_OBJECT
public:
    enum Column {
        IndexColumn,
        NameColumn,
        MemoryColumn,
        DriverColumn,
        UtilizationColumn,
        MemoryUsedColumn,
        EnabledColumn,
        ColumnCount
    };
    enum Role { UuidRole = Qt::UserRole + 1 };

    explicit GpuModel(QObject *parent = nullptr);

    void setStatus(const QJsonObject &status);

    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

Q_SIGNALS:
    void enabledChangeRequested(const QString &uuid, bool enabled);
};

} // namespace codalab::ui
