// SPDX-License-Identifier: GPL-3.0-or-later
#include "dashboard/containermodel.h"

#include "common/units.h"
#include "common/usernames.h"

#include <QJsonArray>

namespace codalab::ui {

ContainerModel::ContainerModel(QObject *parent)
    : KeyedTableModel({ tr("Container"), tr("Bundle"), tr("Owner"), tr("Stage"), tr("Image"),
                          tr("Time / limit"), tr("CPU"), tr("Memory / limit"), tr("GPUs"), tr("GPU use") },
        parent)
{ }

QString ContainerModel::stageText(const QString &stage)
{
    QString words = stage.section(QLatin1Char('.'), -1).toLower().replace(QLatin1Char('_'), QLatin1Char(' '));
    if (!words.isEmpty()) {
        words[0] = words.at(0).toUpper();
    }
    return words;
}

void ContainerModel::setUserNames(UserNames *names)
{
    m_names = names;
    connect(names, &UserNames::resolved, this, [this] { setStatus(m_status); });
    setStatus(m_status);
}

void ContainerModel::setStatus(const QJsonObject &status)
{
    m_status = status;
    const QJsonArray gpus = status.value(QLatin1String("gpus")).toArray();
    QList<Row> rows;
    for (const QJsonValue &value : status.value(QLatin1String("runs")).toArray()) {
        const QJsonObject run = value.toObject();
        const QString uuid = run.value(QLatin1String("uuid")).toString();
        const QString stage = run.value(QLatin1String("stage")).toString();
        const QString containerId = run.value(QLatin1String("container_id")).toString();
        // A run still fetching its dependencies or image has no container to show yet.
        if (uuid.isEmpty() || (containerId.isEmpty() && stage == QLatin1String("RUN_STAGE.PREPARING"))) {
            continue;
        }
        Row row;
        row.key = uuid;
        row.rowValues.insert(UuidRole, uuid);
        row.rowValues.insert(RunDirRole, run.value(QLatin1String("run_dir")).toString());
        row.rowValues.insert(StageRole, stage);

        const QString name = QStringLiteral("codalab_run_") + uuid;
        row.setText(ContainerColumn, name);
        row.set(ContainerColumn, Qt::ToolTipRole,
            containerId.isEmpty() ? tr("%1\nNo container yet").arg(name)
                                  : tr("%1\nContainer id %2").arg(name, containerId.left(12)));
        row.setText(BundleColumn, Units::shortUuid(uuid));
        row.set(BundleColumn, Qt::ToolTipRole, uuid);
        const QString ownerId = run.value(QLatin1String("owner_id")).toString();
        const QString ownerName = m_names ? m_names->nameOf(ownerId) : QString();
        row.setText(OwnerColumn, ownerName.isEmpty() ? ownerId : ownerName);
        row.set(OwnerColumn, Qt::ToolTipRole, tr("User id %1 on the server").arg(ownerId));

        const QString runStatus = run.value(QLatin1String("run_status")).toString();
        QString stageLine = stageText(stage);
        if (run.value(QLatin1String("killed")).toBool()) {
            stageLine = tr("%1 (killed)").arg(stageLine);
        }
        // "Running: Running job in container." says one thing twice; the status alone says it once.
        const QString stageWord = stageText(stage);
        const bool statusSaysStage
            = !stageWord.isEmpty() && runStatus.startsWith(stageWord, Qt::CaseInsensitive);
        if (statusSaysStage && !run.value(QLatin1String("killed")).toBool()) {
            stageLine = runStatus;
        } else if (!runStatus.isEmpty()) {
            stageLine = tr("%1: %2").arg(stageLine, runStatus);
        }
        row.setText(StageColumn, stageLine);
        const QString failure = run.value(QLatin1String("failure_message")).toString();
        if (!failure.isEmpty()) {
            row.set(StageColumn, Qt::ToolTipRole, failure);
        }

        row.setText(ImageColumn, run.value(QLatin1String("image")).toString());
        row.set(ImageColumn, Qt::ToolTipRole, run.value(QLatin1String("image_digest")).toString());

        const QString elapsed
            = Units::duration(qint64(run.value(QLatin1String("container_time_total")).toDouble()));
        const qint64 limit = qint64(run.value(QLatin1String("time_limit")).toDouble());
        row.setText(
            TimeColumn, tr("%1 / %2").arg(elapsed, limit > 0 ? Units::duration(limit) : tr("no limit")));

        row.setText(CpuColumn, Units::percent(run.value(QLatin1String("cpu_usage")).toDouble()));
        row.set(CpuColumn, Qt::ToolTipRole,
            tr("Of the CPUs it holds: %1")
                .arg(Units::cpuRanges(run.value(QLatin1String("cpuset")).toArray())));
        row.set(CpuColumn, Qt::TextAlignmentRole, int(Qt::AlignRight | Qt::AlignVCenter));

        const QString used = Units::bytes(run.value(QLatin1String("memory_bytes")).toDouble());
        const double memoryLimit = run.value(QLatin1String("memory_limit")).toDouble();
        row.setText(
            MemoryColumn, memoryLimit > 0 ? tr("%1 / %2").arg(used, Units::bytes(memoryLimit)) : used);
        row.set(MemoryColumn, Qt::ToolTipRole,
            tr("Peak %1").arg(Units::bytes(run.value(QLatin1String("max_memory_bytes")).toDouble())));
        row.set(MemoryColumn, Qt::TextAlignmentRole, int(Qt::AlignRight | Qt::AlignVCenter));

        const QString gpuNames = Units::gpus(run.value(QLatin1String("gpuset")).toArray(), gpus);
        row.setText(GpuColumn, gpuNames.isEmpty() ? tr("—") : gpuNames);

        // What the run's own processes use, attributed through their cgroup: -1 when nvidia-smi cannot tell.
        const double gpuBytes = run.value(QLatin1String("gpu_memory_bytes")).toDouble(-1);
        const double gpuUtil = run.value(QLatin1String("gpu_utilization")).toDouble(-1);
        const bool usesGpu = !gpuNames.isEmpty() || gpuBytes > 0;
        row.setText(GpuUseColumn,
            usesGpu && gpuBytes >= 0
                ? tr("%1 · %2").arg(gpuUtil >= 0 ? QStringLiteral("%1 %").arg(qRound(gpuUtil)) : tr("? %"),
                    Units::bytes(gpuBytes))
                : tr("—"));
        row.set(GpuUseColumn, Qt::ToolTipRole,
            tr("GPU utilisation (100 % = one GPU busy) and GPU memory of the run's own processes"));
        row.set(GpuUseColumn, Qt::TextAlignmentRole, int(Qt::AlignRight | Qt::AlignVCenter));
        rows.append(row);
    }
    setRows(rows);
}

} // namespace codalab::ui
