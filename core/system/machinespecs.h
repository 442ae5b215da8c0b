// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "system/gpuinfo.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace codalab::system {

/// What this machine offers CodaLab runs.
struct MachineSpecs
{
    QString cpuModel;
    int cpuThreads = 0; ///< CPUs this process may run on (its affinity), as upstream's worker counts them
    qint64 memoryTotalBytes = 0;
    qint64 memoryAvailableBytes = 0;
    QString workDir;
    qint64 diskTotalBytes = 0; ///< of the file system holding workDir
    qint64 diskFreeBytes = 0; ///< available to this user, as `df` shows it
    QList<GpuInfo> gpus;
    QString gpuWarning; ///< why nvidia-smi gave nothing, when it failed

    /// For the control socket's status and the GUI.
    QJsonObject toJson() const;
    static MachineSpecs fromJson(const QJsonObject &json);

    /// The CPU model from /proc/cpuinfo text ("model name", else "Hardware"/"Processor" on ARM).
    static QString parseCpuModel(const QByteArray &cpuinfo);
    /// MemTotal and MemAvailable from /proc/meminfo text, in bytes.
    static std::pair<qint64, qint64> parseMeminfo(const QByteArray &meminfo);
    /// The CPUs of this process's affinity mask.
    static QList<int> affinityCpus();
};

} // namespace codalab::system
