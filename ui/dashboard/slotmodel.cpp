// SPDX-License-Identifier: GPL-3.0-or-later
#include "dashboard/slotmodel.h"

#include "common/units.h"

#include <QBrush>
#include <QJsonArray>
#include <QPalette>

namespace codalab::ui {

SlotModel::SlotModel(QObject *parent)
    : KeyedTableModel({ tr("Slot"), tr("CPUs"), tr("GPUs"), tr("Run") }, parent)
{ }

void SlotModel::setStatus(const QJsonObject &status)
{
    QHash<QString, QJsonObject> runs;
    for (const QJsonValue &r : status.value(QLatin1String("runs")).toArray()) {
        runs.insert(r[QLatin1String("uuid")].toString(), r.toObject());
    }
    const QJsonArray gpus = status.value(QLatin1String("gpus")).toArray();
    QList<Row> rows;
    for (const QJsonValue &s : status.value(QLatin1String("slots")).toArray()) {
        const int index = s[QLatin1String("index")].toInt();
        const QString uuid = s[QLatin1String("run")].toString();
        Row row;
        row.key = QString::number(index);
        row.setText(SlotColumn, QString::number(index + 1));
        row.set(SlotColumn, Qt::TextAlignmentRole, int(Qt::AlignCenter));
        const QString cpus = Units::cpuRanges(s[QLatin1String("cpuset")].toArray());
        const QString gpuNames = Units::gpus(s[QLatin1String("gpuset")].toArray(), gpus);
        // An idle slot holds nothing yet: CPUs and GPUs are chosen when a run arrives.
        row.setText(CpusColumn, cpus.isEmpty() ? tr("—") : cpus);
        row.setText(GpusColumn, gpuNames.isEmpty() ? tr("—") : gpuNames);
        row.rowValues.insert(RunUuidRole, uuid);
        if (uuid.isEmpty()) {
            row.setText(RunColumn, tr("idle"));
            row.rowValues.insert(
                Qt::ForegroundRole, QBrush(QPalette().color(QPalette::Disabled, QPalette::Text)));
        } else {
            const QString command = runs.value(uuid).value(QLatin1String("command")).toString();
            row.setText(RunColumn, tr("%1  %2").arg(Units::shortUuid(uuid), command.simplified()));
            row.set(RunColumn, Qt::ToolTipRole, tr("%1\n%2").arg(uuid, command));
        }
        rows.append(row);
    }
    setRows(rows);
}

} // namespace codalab::ui
