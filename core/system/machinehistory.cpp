// SPDX-License-Identifier: GPL-3.0-or-later
#include "system/machinehistory.h"

#include <QFile>

namespace codalab::system {

namespace {
constexpr qint64 MiB = 1024 * 1024;

double mibOrUnknown(qint64 mib)
{
    return mib < 0 ? -1.0 : double(mib * MiB);
}
} // namespace

MachineHistory::MachineHistory(int intervalMs, QString procRoot, QObject *parent)
    : QObject(parent)
    , m_intervalMs(intervalMs)
    , m_procRoot(std::move(procRoot))
{
    m_lastCpu = readCpuTimes(); // so the first sample measures the time until it, not since boot
}

std::optional<MachineHistory::CpuTimes> MachineHistory::parseProcStat(const QByteArray &procStat)
{
    for (const QByteArray &line : procStat.split('\n')) {
        const QList<QByteArray> f = line.simplified().split(' ');
        if (f.value(0) != "cpu" || f.size() < 5) {
            continue;
        }
        // user nice system idle iowait irq softirq steal; guest time is already counted in user.
        CpuTimes t;
        for (int i = 1; i < qMin<qsizetype>(f.size(), 9); ++i) {
            bool ok = false;
            const quint64 v = f.at(i).toULongLong(&ok);
            if (!ok) {
                return std::nullopt;
            }
            t.total += v;
            if (i != 4 && i != 5) {
                t.busy += v;
            }
        }
        return t;
    }
    return std::nullopt;
}

double MachineHistory::cpuPercent(const CpuTimes &before, const CpuTimes &after)
{
    if (after.total <= before.total || after.busy < before.busy) {
        return -1;
    }
    return qBound(0.0, 100.0 * double(after.busy - before.busy) / double(after.total - before.total), 100.0);
}

std::optional<MachineHistory::CpuTimes> MachineHistory::readCpuTimes() const
{
    QFile f(m_procRoot + QStringLiteral("/stat"));
    return f.open(QIODevice::ReadOnly) ? parseProcStat(f.readAll()) : std::nullopt;
}

QJsonObject MachineHistory::sampleJson(const MachineSpecs &specs, double cpuPercent, qint64 tMs)
{
    QJsonArray gpus;
    for (const GpuInfo &g : specs.gpus) {
        gpus.append(QJsonObject { { QStringLiteral("uuid"), g.uuid }, { QStringLiteral("name"), g.name },
            { QStringLiteral("util"), g.utilizationPercent },
            { QStringLiteral("memUsed"), mibOrUnknown(g.memoryUsedMiB) },
            { QStringLiteral("memTotal"), mibOrUnknown(g.memoryTotalMiB) } });
    }
    return { { QStringLiteral("t"), double(tMs) }, { QStringLiteral("cpu"), cpuPercent },
        { QStringLiteral("memUsed"),
            double(qMax<qint64>(0, specs.memoryTotalBytes - specs.memoryAvailableBytes)) },
        { QStringLiteral("memTotal"), double(specs.memoryTotalBytes) },
        { QStringLiteral("diskUsed"), double(qMax<qint64>(0, specs.diskTotalBytes - specs.diskFreeBytes)) },
        { QStringLiteral("diskTotal"), double(specs.diskTotalBytes) }, { QStringLiteral("gpus"), gpus } };
}

void MachineHistory::record(const MachineSpecs &specs, qint64 nowMs)
{
    const std::optional<CpuTimes> now = readCpuTimes();
    double cpu = -1;
    if (now && m_lastCpu) {
        cpu = cpuPercent(*m_lastCpu, *now);
    }
    if (cpu < 0 && now) {
        cpu = cpuPercent({}, *now); // no time passed since the last reading: the average since boot
    }
    if (now) {
        m_lastCpu = now;
    }
    const QJsonObject sample = sampleJson(specs, cpu, nowMs);
    m_samples.append(sample);
    // An hour by time, and by count too, so a client asking for probes in a loop cannot grow it.
    const qsizetype maxCount = 2 * WindowMs / qMax(1, m_intervalMs);
    while (!m_samples.isEmpty()
        && (m_samples.size() > maxCount
            || qint64(m_samples.first().value(QLatin1String("t")).toDouble()) < nowMs - WindowMs)) {
        m_samples.removeFirst();
    }
    Q_EMIT sampled(sample);
}

QJsonObject MachineHistory::toJson() const
{
    QJsonArray samples;
    for (const QJsonObject &s : m_samples) {
        samples.append(s);
    }
    return { { QStringLiteral("intervalMs"), m_intervalMs }, { QStringLiteral("samples"), samples } };
}

} // namespace codalab::system
