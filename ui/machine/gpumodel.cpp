// SPDX-License-Identifier: GPL-3.0-or-later
#include "machine/gpumodel.h"

#include "common/units.h"

#include <QJsonArray>

namespace codalab::ui {

GpuModel::GpuModel(QObject *parent)
    : KeyedTableModel({ tr("#"), tr("GPU"), tr("Memory"), tr("Driver"), tr("Utilisation"), tr("Memory used"),
                          tr("Used for runs") },
        parent)
{ }

void GpuModel::setStatus(const QJsonObject &status)
{
    constexpr double MiB = 1024.0 * 1024.0;
    QList<Row> rows;
    for (const QJsonValue &value : status.value(QLatin1String("gpus")).toArray()) {
        const QJsonObject g = value.toObject();
        Row row;
        row.key = g.value(QLatin1String("uuid")).toString();
        row.rowValues.insert(UuidRole, row.key);
        // A GPU the probe has not described (yet) has only its uuid and whether it is enabled.
        const bool described = g.contains(QLatin1String("name"));
        row.setText(
            IndexColumn, described ? QString::number(g.value(QLatin1String("index")).toInt()) : tr("?"));
        row.setText(NameColumn, described ? g.value(QLatin1String("name")).toString() : row.key);
        row.set(NameColumn, Qt::ToolTipRole, row.key);
        const double total = g.value(QLatin1String("memory_total_mib")).toDouble();
        const double used = g.value(QLatin1String("memory_used_mib")).toDouble();
        row.setText(MemoryColumn, described ? Units::bytes(total * MiB) : tr("—"));
        row.setText(DriverColumn, described ? g.value(QLatin1String("driver_version")).toString() : tr("—"));
        row.setText(UtilizationColumn,
            described ? Units::percent(g.value(QLatin1String("utilization_percent")).toDouble() / 100)
                      : tr("—"));
        row.setText(MemoryUsedColumn,
            !described      ? tr("—")
                : total > 0 ? tr("%1 (%2)").arg(Units::bytes(used * MiB), Units::percent(used / total))
                            : Units::bytes(used * MiB));
        const bool enabled = g.value(QLatin1String("enabled")).toBool();
        row.setText(EnabledColumn, enabled ? tr("Yes") : tr("No"));
        row.set(EnabledColumn, Qt::CheckStateRole, int(enabled ? Qt::Checked : Qt::Unchecked));
        for (int column : { UtilizationColumn, MemoryColumn, MemoryUsedColumn }) {
            row.set(column, Qt::TextAlignmentRole, int(Qt::AlignRight | Qt::AlignVCenter));
        }
        rows.append(row);
    }
    setRows(rows);
}

Qt::ItemFlags GpuModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = KeyedTableModel::flags(index);
    if (index.isValid() && index.column() == EnabledColumn) {
        f |= Qt::ItemIsUserCheckable;
    }
    return f;
}

bool GpuModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || index.column() != EnabledColumn
        || role != Qt::CheckStateRole) {
        return false;
    }
    // The worker decides; the check box follows the next status.
    Q_EMIT enabledChangeRequested(keyAt(index.row()), value.toInt() == int(Qt::Checked));
    return true;
}

} // namespace codalab::ui
