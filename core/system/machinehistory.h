// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "system/machinespecs.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>

#include <optional>

namespace codalab::system {

/// The last hour of the machine's figures, for the desktop's history charts: one sample per MachineProbe
/// result (every 10 s in the worker, and on start), with the CPU use since the previous sample read from
/// /proc/stat.
///
/// Usage: feed record() each MachineSpecs; sampled() gives each new sample, toJson() all of them. A sample
/// is {"t": epoch ms, "cpu": percent of the whole machine, "memUsed", "memTotal", "diskUsed", "diskTotal"
/// (the work dir's disk), "gpus": [{"uuid", "name", "util", "memUsed", "memTotal"}]}, bytes, -1 unknown.
class MachineHistory : public QObject
{
    Q_OBJECT
public:
    /// `procRoot` is "/proc" but for tests.
    explicit MachineHistory(
        int intervalMs, QString procRoot = QStringLiteral("/proc"), QObject *parent = nullptr);

    static constexpr qint64 WindowMs = qint64(3600) * 1000;

    void record(const MachineSpecs &specs, qint64 nowMs);
    /// {"intervalMs": n, "samples": [...]}, oldest first.
    QJsonObject toJson() const;

    /// Busy and total jiffies of all CPUs from /proc/stat text (its first "cpu" line); iowait counts as
    /// idle. nullopt when the text has no such line.
    struct CpuTimes
    {
        quint64 busy = 0;
        quint64 total = 0;
    };
    static std::optional<CpuTimes> parseProcStat(const QByteArray &procStat);
    /// The busy share between two readings in percent (0-100); -1 when no time passed between them.
    static double cpuPercent(const CpuTimes &before, const CpuTimes &after);
    static QJsonObject sampleJson(const MachineSpecs &specs, double cpuPercent, qint64 tMs);

Q_SIGNALS:
    void sampled(const QJsonObject &sample);

private:
    std::optional<CpuTimes> readCpuTimes() const;

    int m_intervalMs;
    QString m_procRoot;
    std::optional<CpuTimes> m_lastCpu;
    QList<QJsonObject> m_samples;
};

} // namespace codalab::system
