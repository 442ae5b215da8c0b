// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/processusage.h"

#include "support/procstatus.h"

#include <QElapsedTimer>
#include <QFile>

#include <unistd.h>

namespace codalab::test {

CpuTicks cpuTicksOf(qint64 pid)
{
    QFile file(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    const QByteArray stat = file.readAll();
    // The command name may hold spaces; the fields after its ')' start at field 3 (state).
    const QList<QByteArray> f = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    if (f.size() < 15) {
        return {};
    }
    return { f[11].toLongLong() + f[12].toLongLong(), f[13].toLongLong() + f[14].toLongLong() };
}

QList<ProcessUsage> sampleProcesses(const QList<qint64> &pids, int seconds)
{
    const double hz = double(::sysconf(_SC_CLK_TCK));
    QList<CpuTicks> before;
    for (qint64 pid : pids) {
        before << cpuTicksOf(pid);
    }
    QList<ProcessUsage> usage(pids.size());
    QElapsedTimer t;
    t.start();
    for (int s = 1; s <= seconds; ++s) {
        const qint64 wait = qint64(s) * 1000 - t.elapsed();
        if (wait > 0) {
            ::usleep(useconds_t(wait * 1000));
        }
        for (int i = 0; i < pids.size(); ++i) {
            const double rss = double(procStatusKiB(pids[i], "VmRSS:")) / 1024.0;
            usage[i].rssMeanMiB += rss / seconds;
            usage[i].rssMaxMiB = qMax(usage[i].rssMaxMiB, rss);
        }
    }
    const double elapsed = double(t.nsecsElapsed()) / 1e9;
    for (int i = 0; i < pids.size(); ++i) {
        const CpuTicks after = cpuTicksOf(pids[i]);
        if (after.own >= 0 && before[i].own >= 0) {
            usage[i].cpuPercent = double(after.own - before[i].own) / hz / elapsed * 100;
            usage[i].cpuWithChildrenPercent
                = double(after.own + after.children - before[i].own - before[i].children) / hz / elapsed
                * 100;
        }
        usage[i].hwmMiB = double(procStatusKiB(pids[i], "VmHWM:")) / 1024.0;
    }
    return usage;
}

} // namespace codalab::test
