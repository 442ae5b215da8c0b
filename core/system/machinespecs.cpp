// SPDX-License-Identifier: GPL-3.0-or-later
#include "system/machinespecs.h"

#include "util/jsonnumber.h"

#include <QJsonArray>
#include <QThread>

#include <sched.h>

namespace codalab::system {

QString MachineSpecs::parseCpuModel(const QByteArray &cpuinfo)
{
    // "<key><spaces or tabs>: <value>", the first key of the list that a line has. Plain parsing, not a
    // QRegularExpression: this is the only regex an idle worker compiled, and pcre2 cost it 0.5 MiB of RSS.
    const QList<QByteArray> lines = cpuinfo.split('\n');
    for (const char *key : { "model name", "Hardware", "Processor", "cpu model" }) {
        for (const QByteArray &line : lines) {
            if (!line.startsWith(key)) {
                continue;
            }
            qsizetype at = qstrlen(key);
            while (at < line.size() && (line.at(at) == ' ' || line.at(at) == '\t')) {
                ++at;
            }
            if (at < line.size() && line.at(at) == ':' && at + 1 < line.size()) {
                return QString::fromUtf8(line.mid(at + 1)).simplified();
            }
        }
    }
    return {};
}

std::pair<qint64, qint64> MachineSpecs::parseMeminfo(const QByteArray &meminfo)
{
    qint64 total = 0;
    qint64 available = 0;
    for (const QByteArray &line : meminfo.split('\n')) {
        const QList<QByteArray> f = line.simplified().split(' ');
        if (f.size() < 2) {
            continue;
        }
        const qint64 kib = f.at(1).toLongLong();
        if (f.at(0) == "MemTotal:") {
            total = kib * 1024;
        } else if (f.at(0) == "MemAvailable:") {
            available = kib * 1024;
        }
    }
    return { total, available };
}

QList<int> MachineSpecs::affinityCpus()
{
    QList<int> cpus;
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
        for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
            if (CPU_ISSET(cpu, &set)) {
                cpus.append(cpu);
            }
        }
    }
    if (cpus.isEmpty()) {
        for (int cpu = 0; cpu < QThread::idealThreadCount(); ++cpu) {
            cpus.append(cpu);
        }
    }
    return cpus;
}

} // namespace codalab::system

namespace codalab::system {

QJsonObject MachineSpecs::toJson() const
{
    QJsonArray gpuArray;
    for (const GpuInfo &g : gpus) {
        gpuArray.append(g.toJson());
    }
    return { { QStringLiteral("cpu_model"), cpuModel }, { QStringLiteral("cpu_threads"), cpuThreads },
        { QStringLiteral("memory_total_bytes"), double(memoryTotalBytes) },
        { QStringLiteral("memory_available_bytes"), double(memoryAvailableBytes) },
        { QStringLiteral("work_dir"), workDir },
        { QStringLiteral("disk_total_bytes"), double(diskTotalBytes) },
        { QStringLiteral("disk_free_bytes"), double(diskFreeBytes) }, { QStringLiteral("gpus"), gpuArray },
        { QStringLiteral("gpu_warning"), gpuWarning } };
}

MachineSpecs MachineSpecs::fromJson(const QJsonObject &json)
{
    MachineSpecs m;
    m.cpuModel = json.value(QLatin1String("cpu_model")).toString();
    m.cpuThreads = json.value(QLatin1String("cpu_threads")).toInt();
    m.memoryTotalBytes = util::jsonInt64(json.value(QLatin1String("memory_total_bytes")));
    m.memoryAvailableBytes = util::jsonInt64(json.value(QLatin1String("memory_available_bytes")));
    m.workDir = json.value(QLatin1String("work_dir")).toString();
    m.diskTotalBytes = util::jsonInt64(json.value(QLatin1String("disk_total_bytes")));
    m.diskFreeBytes = util::jsonInt64(json.value(QLatin1String("disk_free_bytes")));
    for (const QJsonValue &g : json.value(QLatin1String("gpus")).toArray()) {
        m.gpus << GpuInfo::fromJson(g.toObject());
    }
    m.gpuWarning = json.value(QLatin1String("gpu_warning")).toString();
    return m;
}

} // namespace codalab::system
