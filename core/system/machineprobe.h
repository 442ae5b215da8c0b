// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "system/machinespecs.h"

#include <QObject>

namespace codalab::system {

/// Gathers MachineSpecs: CPU, memory and the work dir's disk from the kernel (instant), GPUs from
/// nvidia-smi (a process, so asynchronous). Run it again for live figures (GPU utilisation, free disk).
///
/// Usage: connect finished(), call start(); finished() comes once and the probe may be started again.
class MachineProbe : public QObject
{
    Q_OBJECT
public:
    explicit MachineProbe(
        QString workDir, QString nvidiaSmi = QStringLiteral("nvidia-smi"), QObject *parent = nullptr);

    void start();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void finished(const codalab::system::MachineSpecs &specs);

private:
    QString m_workDir;
    QString m_nvidiaSmi;
    bool m_running = false;
};

} // namespace codalab::system

Q_DECLARE_METATYPE(codalab::system::MachineSpecs)
