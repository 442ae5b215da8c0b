// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "system/gpuinfo.h"
#include "system/nvidiasmi.h"

#include <QObject>

namespace codalab::system {

/// Asks `nvidia-smi` (found on PATH, or the given program) for the GPUs and their live figures, without
/// blocking: the process runs while the event loop goes on.
///
/// Usage: connect finished(), call start(). No nvidia-smi means no GPUs and no error; an nvidia-smi that
/// fails (no driver loaded, say) also gives no GPUs, with its message in `warning`.
class GpuProbe : public QObject
{
    Q_OBJECT
public:
    explicit GpuProbe(QString program = QStringLiteral("nvidia-smi"), QObject *parent = nullptr);

    void start();
    static constexpr int TimeoutMs = NvidiaSmi::TimeoutMs;

Q_SIGNALS:
    void finished(const QList<codalab::system::GpuInfo> &gpus, const QString &warning);

private:
    void done(const QList<GpuInfo> &gpus, const QString &warning);

    QString m_program;
    bool m_done = false;
};

} // namespace codalab::system
