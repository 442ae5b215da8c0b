// SPDX-License-Identifier: GPL-3.0-or-later
#include "bundles/transfermodel.h"

#include "bundles/transferqueue.h"
#include "common/units.h"

#include <QColor>

namespace codalab::ui {

TransferModel::TransferModel(TransferQueue *queue, QObject *parent)
    : KeyedTableModel({ tr("Transfer"), tr("Progress"), tr("Rate"), tr("Time left"), tr("State") }, parent)
    , m_queue(queue)
{
    connect(queue, &TransferQueue::changed, this, &TransferModel::rebuild);
    rebuild();
}

void TransferModel::rebuild()
{
    QList<Row> rows;
    for (const TransferQueue::Transfer &t : m_queue->transfers()) {
        Row row;
        row.key = QString::number(t.id);
        row.rowValues.insert(IdRole, t.id);
        const bool running = t.state == TransferQueue::State::Running;
        row.rowValues.insert(RunningRole, running);
        row.setText(NameColumn,
            (t.kind == TransferQueue::Kind::Upload ? tr("Upload: %1") : tr("Save: %1")).arg(t.title));
        row.set(NameColumn, Qt::ToolTipRole, t.target.isEmpty() ? t.title : t.target);
        row.setText(ProgressColumn, Units::transferred(t.done, t.total));
        row.set(ProgressColumn, FractionRole, t.total > 0 ? double(t.done) / double(t.total) : -1.0);
        row.setText(RateColumn,
            running && t.bytesPerSecond > 0 ? tr("%1/s").arg(Units::bytes(t.bytesPerSecond)) : QString());
        row.setText(LeftColumn, running && t.secondsLeft >= 0 ? Units::duration(t.secondsLeft) : QString());
        row.setText(StateColumn,
            running || t.message.isEmpty() ? t.stage : t.stage + QStringLiteral(": ") + t.message);
        row.set(StateColumn, Qt::ToolTipRole, t.message);
        if (t.state == TransferQueue::State::Failed) {
            row.set(StateColumn, Qt::ForegroundRole, QColor(0xc6, 0x28, 0x28));
        }
        rows.append(row);
    }
    setRows(rows);
}

} // namespace codalab::ui
