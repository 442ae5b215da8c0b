// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>

namespace codalab::test {

/// CPU clock ticks of a process from /proc/<pid>/stat: utime+stime (own), and cutime+cstime of its reaped
/// children; own is -1 when the process is gone.
struct CpuTicks
{
    qint64 own = -1;
    qint64 children = 0;
};
CpuTicks cpuTicksOf(qint64 pid);

/// What sampleProcesses() measured of one process. CPU figures are % of one core, -1 when the process was
/// gone at the start or the end of the span.
struct ProcessUsage
{
    double cpuPercent = -1;
    double cpuWithChildrenPercent = -1;
    double rssMeanMiB = 0;
    double rssMaxMiB = 0;
    double hwmMiB = 0;
};

/// Samples `pids` together for `seconds`: VmRSS once a second, CPU over the whole span. Sleeps meanwhile
/// rather than spinning an event loop, so that the sampling process costs the machine nothing. For the
/// benchmarks' idle figures.
QList<ProcessUsage> sampleProcesses(const QList<qint64> &pids, int seconds);

} // namespace codalab::test
