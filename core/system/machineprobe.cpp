// SPDX-License-Identifier: GPL-3.0-or-later
#include "system/machineprobe.h"

#include "system/gpuprobe.h"

#include <QFile>
#include <QStorageInfo>

namespace codalab::system {

namespace {
QByteArray readProcFile(const char *path)
{
    QFile f { QString::fromLatin1(path) };
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

MachineProbe::MachineProbe(QString workDir, QString nvidiaSmi, QObject *parent)
    : QObject(parent)
    , m_workDir(std::move(workDir))
    , m_nvidiaSmi(std::move(nvidiaSmi))
{
    qRegisterMetaType<MachineSpecs>();
}

void MachineProbe::start()
{
    if (m_running) {
        return; // one probe at a time; the caller gets the answer of the one under way
    }
    m_running = true;
    MachineSpecs specs;
    specs.cpuModel = MachineSpecs::parseCpuModel(readProcFile("/proc/cpuinfo"));
    specs.cpuThreads = int(MachineSpecs::affinityCpus().size());
    std::tie(specs.memoryTotalBytes, specs.memoryAvailableBytes)
        = MachineSpecs::parseMeminfo(readProcFile("/proc/meminfo"));
    specs.workDir = m_workDir;
    const QStorageInfo disk(m_workDir);
    if (disk.isValid()) {
        specs.diskTotalBytes = disk.bytesTotal();
        specs.diskFreeBytes = disk.bytesAvailable();
    }
    auto *gpus = new GpuProbe(m_nvidiaSmi, this);
    connect(gpus, &GpuProbe::finished, this,
        [this, gpus, specs](const QList<GpuInfo> &found, const QString &warning) mutable {
            specs.gpus = found;
            specs.gpuWarning = warning;
            gpus->deleteLater();
            m_running = false;
            Q_EMIT finished(specs);
        });
    gpus->start();
}

} // namespace codalab::system
