// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace codalab::system {

/// One process using an NVIDIA GPU, merged from what `nvidia-smi --query-compute-apps` (memory per GPU) and
/// `nvidia-smi pmon` (SM utilisation per GPU) say about its pid, summed over the GPUs it uses.
struct GpuProcess
{
    qint64 pid = 0;
    QStringList gpuUuids; ///< from --query-compute-apps; empty when only pmon listed the process
    qint64 memoryBytes = -1; ///< -1 when nvidia-smi gave no figure ("[N/A]", "-")
    int smPercent = -1; ///< 100 = one GPU's SMs fully busy; -1 when pmon gave no figure
    QString containerId; ///< the 64-hex Docker container id from /proc/<pid>/cgroup; empty: not in one

    /// Lines of `--query-compute-apps=pid,gpu_uuid,used_memory --format=csv,noheader,nounits` (used_memory in
    /// MiB). Older drivers print "No running processes found" when there are none: no process, no warning.
    /// A line that does not parse is skipped and named in *warnings.
    static QList<GpuProcess> parseComputeApps(const QByteArray &output, QStringList *warnings = nullptr);
    /// The table of `nvidia-smi pmon -c 1 -s um`: '#' lines are headers (the first names the columns, which
    /// differ between drivers), '-' means no value, a row whose pid is '-' is an idle GPU. Needs the "pid"
    /// and "sm" columns; "fb" (MiB) gives the memory when present.
    static QList<GpuProcess> parsePmon(const QByteArray &output, QStringList *warnings = nullptr);
    /// One entry per pid: memory from the compute apps (pmon's fb when they lack it), SM% from pmon.
    static QList<GpuProcess> merge(const QList<GpuProcess> &computeApps, const QList<GpuProcess> &pmon);
};

} // namespace codalab::system
