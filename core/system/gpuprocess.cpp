// SPDX-License-Identifier: GPL-3.0-or-later
#include "system/gpuprocess.h"

#include <QMap>
#include <QRegularExpression>

namespace codalab::system {

namespace {

constexpr qint64 MiB = 1024 * 1024;

void warn(QStringList *warnings, const QString &line)
{
    if (warnings) {
        warnings->append(QStringLiteral("Unexpected nvidia-smi line: %1").arg(line));
    }
}

/// A figure, or -1 for nvidia-smi's "no value" spellings: "-", "[N/A]", "[Not Supported]", "N/A".
qint64 figure(const QString &field)
{
    bool ok = false;
    const qint64 value = field.trimmed().toLongLong(&ok);
    return ok && value >= 0 ? value : -1;
}

bool isNoValue(const QString &field)
{
    const QString f = field.trimmed();
    return f == QLatin1String("-") || f.startsWith(QLatin1Char('[')) || f == QLatin1String("N/A");
}

/// -1 means unknown: a sum of unknowns stays unknown, a known figure wins over an unknown one.
qint64 addKnown(qint64 a, qint64 b)
{
    if (a < 0) {
        return b;
    }
    return b < 0 ? a : a + b;
}

} // namespace

QList<GpuProcess> GpuProcess::parseComputeApps(const QByteArray &output, QStringList *warnings)
{
    QList<GpuProcess> processes;
    for (const QByteArray &raw : output.split('\n')) {
        const QString line = QString::fromUtf8(raw).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1String("No running processes found"))) {
            continue;
        }
        const QStringList f = line.split(QLatin1Char(','));
        bool pidOk = false;
        GpuProcess p;
        p.pid = f.value(0).trimmed().toLongLong(&pidOk);
        const QString uuid = f.value(1).trimmed();
        const QString memory = f.value(2).trimmed();
        if (f.size() != 3 || !pidOk || p.pid <= 0 || !uuid.startsWith(QLatin1String("GPU-"))
            || (figure(memory) < 0 && !isNoValue(memory))) {
            warn(warnings, line);
            continue;
        }
        p.gpuUuids << uuid;
        const qint64 mib = figure(memory);
        p.memoryBytes = mib < 0 ? -1 : mib * MiB;
        processes.append(p);
    }
    return processes;
}

QList<GpuProcess> GpuProcess::parsePmon(const QByteArray &output, QStringList *warnings)
{
    QList<GpuProcess> processes;
    QStringList columns;
    static const QRegularExpression space(QStringLiteral("\\s+"));
    for (const QByteArray &raw : output.split('\n')) {
        const QString line = QString::fromUtf8(raw).trimmed();
        if (line.isEmpty()) {
            continue;
        }
        if (line.startsWith(QLatin1Char('#'))) {
            // "# gpu pid type sm mem enc dec [jpg ofa] fb [ccpm] command", then a units line ("# Idx # C/G").
            const QStringList names = line.mid(1).trimmed().split(space);
            if (columns.isEmpty() && names.contains(QLatin1String("pid"))) {
                columns = names;
            }
            continue;
        }
        const int pidAt = int(columns.indexOf(QLatin1String("pid")));
        const int smAt = int(columns.indexOf(QLatin1String("sm")));
        const int fbAt = int(columns.indexOf(QLatin1String("fb")));
        const QStringList f = line.split(space);
        if (pidAt < 0 || smAt < 0) {
            warn(warnings, line); // a row before (or without) a header naming its columns
            continue;
        }
        // The command (last column) may hold spaces, so only the columns before it are counted.
        if (f.size() < columns.size() - 1) {
            warn(warnings, line);
            continue;
        }
        if (f.at(pidAt) == QLatin1String("-")) {
            continue; // a GPU with no process on it
        }
        bool pidOk = false;
        GpuProcess p;
        p.pid = f.at(pidAt).toLongLong(&pidOk);
        const QString sm = f.at(smAt);
        const QString fb = fbAt >= 0 ? f.at(fbAt) : QStringLiteral("-");
        if (!pidOk || p.pid <= 0 || (figure(sm) < 0 && !isNoValue(sm))
            || (figure(fb) < 0 && !isNoValue(fb))) {
            warn(warnings, line);
            continue;
        }
        p.smPercent = int(figure(sm));
        p.memoryBytes = figure(fb) < 0 ? -1 : figure(fb) * MiB;
        processes.append(p);
    }
    return processes;
}

QList<GpuProcess> GpuProcess::merge(const QList<GpuProcess> &computeApps, const QList<GpuProcess> &pmon)
{
    QMap<qint64, GpuProcess> byPid;
    QMap<qint64, qint64> pmonMemory;
    for (const GpuProcess &a : computeApps) {
        GpuProcess &p = byPid[a.pid];
        p.pid = a.pid;
        p.gpuUuids += a.gpuUuids;
        p.memoryBytes = addKnown(p.memoryBytes, a.memoryBytes);
    }
    for (const GpuProcess &m : pmon) {
        GpuProcess &p = byPid[m.pid];
        p.pid = m.pid;
        p.smPercent = int(addKnown(p.smPercent, m.smPercent));
        pmonMemory[m.pid] = addKnown(pmonMemory.value(m.pid, -1), m.memoryBytes);
    }
    for (GpuProcess &p : byPid) {
        if (p.memoryBytes < 0) {
            p.memoryBytes = pmonMemory.value(p.pid, -1);
        }
    }
    return byPid.values();
}

} // namespace codalab::system
