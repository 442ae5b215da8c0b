// SPDX-License-Identifier: GPL-3.0-or-later
#include "system/gpuinfo.h"

#include "util/jsonnumber.h"

#include <QStringList>

namespace codalab::system {

namespace {

/// nvidia-smi prints "[N/A]" or "[Not Supported]" for values a GPU does not report.
qint64 numberOr(const QString &field, qint64 missing)
{
    bool ok = false;
    const qint64 value = field.trimmed().toLongLong(&ok);
    return ok ? value : missing;
}

} // namespace

QString GpuInfo::queryFields()
{
    return QStringLiteral("index,uuid,name,memory.total,memory.used,utilization.gpu,driver_version");
}

QList<GpuInfo> GpuInfo::parseCsv(const QByteArray &output, QStringList *warnings)
{
    QList<GpuInfo> gpus;
    for (const QByteArray &raw : output.split('\n')) {
        const QString line = QString::fromUtf8(raw).trimmed();
        if (line.isEmpty()) {
            continue;
        }
        // GPU names contain no commas; driver versions neither. Seven fields or the line is not ours.
        const QStringList f = line.split(QLatin1Char(','));
        bool indexOk = false;
        GpuInfo gpu;
        gpu.index = f.value(0).trimmed().toInt(&indexOk);
        gpu.uuid = f.value(1).trimmed();
        if (f.size() != 7 || !indexOk || !gpu.uuid.startsWith(QLatin1String("GPU-"))) {
            if (warnings) {
                warnings->append(QStringLiteral("Unexpected nvidia-smi line: %1").arg(line));
            }
            continue;
        }
        gpu.name = f.at(2).trimmed();
        gpu.memoryTotalMiB = numberOr(f.at(3), -1);
        gpu.memoryUsedMiB = numberOr(f.at(4), -1);
        gpu.utilizationPercent = int(numberOr(f.at(5), -1));
        gpu.driverVersion = f.at(6).trimmed();
        gpus.append(gpu);
    }
    return gpus;
}

} // namespace codalab::system

namespace codalab::system {

QJsonObject GpuInfo::toJson() const
{
    return { { QStringLiteral("index"), index }, { QStringLiteral("uuid"), uuid },
        { QStringLiteral("name"), name }, { QStringLiteral("memory_total_mib"), double(memoryTotalMiB) },
        { QStringLiteral("memory_used_mib"), double(memoryUsedMiB) },
        { QStringLiteral("utilization_percent"), utilizationPercent },
        { QStringLiteral("driver_version"), driverVersion } };
}

GpuInfo GpuInfo::fromJson(const QJsonObject &json)
{
    GpuInfo g;
    g.index = json.value(QLatin1String("index")).toInt(-1);
    g.uuid = json.value(QLatin1String("uuid")).toString();
    g.name = json.value(QLatin1String("name")).toString();
    g.memoryTotalMiB = util::jsonInt64(json.value(QLatin1String("memory_total_mib")), -1);
    g.memoryUsedMiB = util::jsonInt64(json.value(QLatin1String("memory_used_mib")), -1);
    g.utilizationPercent = json.value(QLatin1String("utilization_percent")).toInt(-1);
    g.driverVersion = json.value(QLatin1String("driver_version")).toString();
    return g;
}

} // namespace codalab::system
