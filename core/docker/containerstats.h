// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>

namespace codalab::docker {

/// One stats sample of a container (GET /containers/<id>/stats?stream=false).
struct ContainerStats
{
    /// CPU use over the sampling interval as a fraction of one CPU (1.5 = one and a half CPUs busy);
    /// CodaLab's `cpu_usage` is this divided by the CPUs the run was given.
    double cpuFraction = 0.0;
    qint64 cpuTotalNs = 0; ///< cumulative CPU time
    qint64 cpuUserNs = 0;
    qint64 cpuSystemNs = 0;
    int onlineCpus = 0;
    qint64 memoryUsageBytes = 0; ///< usage without page cache, as `docker stats` shows it
    qint64 memoryLimitBytes = 0;
    qint64 pids = 0;

    double memoryFraction() const
    {
        return memoryLimitBytes > 0 ? double(memoryUsageBytes) / double(memoryLimitBytes) : 0.0;
    }

    static ContainerStats fromJson(const QJsonObject &json);
};

} // namespace codalab::docker
