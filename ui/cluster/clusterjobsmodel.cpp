// SPDX-License-Identifier: GPL-3.0-or-later
#include "cluster/clusterjobsmodel.h"

#include "common/units.h"

#include <QColor>
#include <QJsonArray>

namespace codalab::ui {

ClusterJobsModel::ClusterJobsModel(QObject *parent)
    : KeyedTableModel({ tr("Job"), tr("Run"), tr("State"), tr("Node"), tr("Reason"), tr("Age") }, parent)
{ }

QString ClusterJobsModel::stateText(const QString &state, bool cancelledByManager)
{
    if (state == QLatin1String("CANCELLED") && cancelledByManager) {
        return tr("Cancelled by the manager");
    }
    if (state.isEmpty()) {
        return tr("Unknown");
    }
    QString words = state.toLower();
    words.replace(QLatin1Char('_'), QLatin1Char(' '));
    words[0] = words[0].toUpper();
    return words;
}

QString ClusterJobsModel::reasonText(const QString &reason)
{
    if (reason.isEmpty() || reason == QLatin1String("None")) {
        return {};
    }
    // The reasons a pending job shows most (squeue(1), "JOB REASON CODES"), in words.
    if (reason == QLatin1String("Resources")) {
        return tr("Resources: waiting for free CPUs, memory or GPUs");
    }
    if (reason == QLatin1String("Priority")) {
        return tr("Priority: jobs of higher priority go first");
    }
    if (reason == QLatin1String("PartitionTimeLimit")) {
        return tr("PartitionTimeLimit: asks for more time than the partition allows; it will never start");
    }
    if (reason == QLatin1String("ReqNodeNotAvail")) {
        return tr("ReqNodeNotAvail: the nodes it needs are down or reserved");
    }
    if (reason == QLatin1String("QOSMaxJobsPerUserLimit") || reason == QLatin1String("AssocMaxJobsLimit")) {
        return tr("%1: you have as many jobs as you may").arg(reason);
    }
    return reason;
}

void ClusterJobsModel::setStatus(const QJsonObject &status)
{
    QList<Row> rows;
    for (const QJsonValue &v : status.value(QLatin1String("jobs")).toArray()) {
        const QJsonObject job = v.toObject();
        const QString id = job.value(QLatin1String("id")).toString();
        const QString run = job.value(QLatin1String("run")).toString();
        const QString state = job.value(QLatin1String("state")).toString();
        Row row;
        row.key = id;
        row.setText(JobColumn, id);
        row.setText(RunColumn, run.isEmpty() ? tr("spare") : Units::shortUuid(run));
        row.set(RunColumn, Qt::ToolTipRole,
            run.isEmpty() ? tr("A spare job (--min-workers): it takes whichever run comes") : run);
        row.setText(StateColumn, stateText(state, job.value(QLatin1String("cancelled_by_manager")).toBool()));
        QVariant colour;
        if (state == QLatin1String("PENDING")) {
            colour = QColor(0xb2, 0x6a, 0x00);
        } else if (state == QLatin1String("RUNNING") || state == QLatin1String("COMPLETING")) {
            colour = QColor(0x15, 0x65, 0xc0);
        } else if (state == QLatin1String("COMPLETED")) {
            colour = QColor(0x2e, 0x7d, 0x32);
        } else if (state != QLatin1String("CANCELLED")) {
            colour = QColor(0xc6, 0x28, 0x28); // FAILED, TIMEOUT, NODE_FAIL, OUT_OF_MEMORY, BOOT_FAIL...
        }
        if (colour.isValid()) {
            row.set(StateColumn, Qt::ForegroundRole, colour);
        }
        row.setText(NodeColumn, job.value(QLatin1String("node")).toString());
        const QString reason = job.value(QLatin1String("reason")).toString();
        row.setText(ReasonColumn, reasonText(reason));
        row.set(ReasonColumn, Qt::ToolTipRole, reasonText(reason));
        row.setText(AgeColumn, Units::duration(job.value(QLatin1String("age_seconds")).toInteger()));
        row.rowValues.insert(JobIdRole, id);
        row.rowValues.insert(RunRole, run);
        row.rowValues.insert(LogRole, job.value(QLatin1String("log")).toString());
        row.rowValues.insert(StateRole, state);
        rows << row;
    }
    setRows(rows);
}

} // namespace codalab::ui
