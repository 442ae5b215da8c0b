// SPDX-License-Identifier: GPL-3.0-or-later
#include "docker/containerstats.h"

#include <QJsonArray>

namespace codalab::docker {

ContainerStats ContainerStats::fromJson(const QJsonObject &json)
{
    ContainerStats s;
    const QJsonObject cpu = json.value(QLatin1String("cpu_stats")).toObject();
    const QJsonObject precpu = json.value(QLatin1String("precpu_stats")).toObject();
    const QJsonObject usage = cpu.value(QLatin1String("cpu_usage")).toObject();
    s.cpuTotalNs = usage.value(QLatin1String("total_usage")).toInteger();
    s.cpuUserNs = usage.value(QLatin1String("usage_in_usermode")).toInteger();
    s.cpuSystemNs = usage.value(QLatin1String("usage_in_kernelmode")).toInteger();
    s.onlineCpus = cpu.value(QLatin1String("online_cpus")).toInt();
    if (s.onlineCpus == 0) {
        s.onlineCpus = int(usage.value(QLatin1String("percpu_usage")).toArray().size());
    }
    // The same formula as `docker stats`: container CPU delta over host CPU delta, times the CPUs.
    const qint64 cpuDelta = s.cpuTotalNs
        - precpu.value(QLatin1String("cpu_usage")).toObject().value(QLatin1String("total_usage")).toInteger();
    const qint64 systemDelta = cpu.value(QLatin1String("system_cpu_usage")).toInteger()
        - precpu.value(QLatin1String("system_cpu_usage")).toInteger();
    if (cpuDelta > 0 && systemDelta > 0) {
        s.cpuFraction = double(cpuDelta) / double(systemDelta) * qMax(1, s.onlineCpus);
    }

    const QJsonObject memory = json.value(QLatin1String("memory_stats")).toObject();
    const QJsonObject memDetail = memory.value(QLatin1String("stats")).toObject();
    qint64 cache = memDetail.value(QLatin1String("total_inactive_file")).toInteger(); // cgroup v1
    if (cache == 0) {
        cache = memDetail.value(QLatin1String("inactive_file")).toInteger(); // cgroup v2
    }
    const qint64 used = memory.value(QLatin1String("usage")).toInteger();
    s.memoryUsageBytes = used > cache ? used - cache : used;
    s.memoryLimitBytes = memory.value(QLatin1String("limit")).toInteger();
    s.pids = json.value(QLatin1String("pids_stats")).toObject().value(QLatin1String("current")).toInteger();
    return s;
}

} // namespace codalab::docker
