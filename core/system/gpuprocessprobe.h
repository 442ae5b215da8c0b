// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "system/gpuprocess.h"
#include "system/nvidiasmi.h"

#include <QHash>
#include <QObject>
#include <QStringList>

namespace codalab::system {

/// Which processes use the NVIDIA GPUs, how much memory and SM time each takes, and which Docker container
/// each runs in: asks `nvidia-smi --query-compute-apps=...` then `nvidia-smi pmon -c 1 -s um`, both as
/// processes while the event loop goes on, then reads /proc/<pid>/cgroup of each process.
///
/// Usage: connect finished(), call start() (false while a probe is under way: one at a time). A process
/// whose /proc entry vanished before it was read has ended and is left out. The /proc root is a
/// constructor argument so tests can hand a fake tree.
class GpuProcessProbe : public QObject
{
    Q_OBJECT
public:
    explicit GpuProcessProbe(QString program = QStringLiteral("nvidia-smi"),
        QString procRoot = QStringLiteral("/proc"), QObject *parent = nullptr);

    /// The GPU figures of one container, summed over its processes (-1: no process gave a figure).
    struct Use
    {
        qint64 memoryBytes = -1;
        int utilizationPercent = -1; ///< 100 = one GPU's SMs fully busy; more when it uses several
        QStringList gpuUuids;
    };
    /// Sums the processes that run in a container by container id.
    static QHash<QString, Use> perContainer(const QList<GpuProcess> &processes);

    /// The nvidia-smi that start() runs, or empty when there is none (then no probe is worth starting).
    QString programPath() const;
    bool isRunning() const { return m_running; }
    /// Whether the last probe's pmon answered, so a process it did not list used no SM time.
    bool utilizationKnown() const { return m_pmonOk; }
    bool start();
    static constexpr int TimeoutMs = NvidiaSmi::TimeoutMs;

Q_SIGNALS:
    /// `error` is set when the figures are unknown (no nvidia-smi, it failed or hung); `warnings` names
    /// lines that did not parse and a pmon that failed (then utilisation is unknown, memory still known).
    void finished(const QList<codalab::system::GpuProcess> &processes, const QString &error,
        const QStringList &warnings);

private:
    void runStep(const QString &path, const QStringList &arguments, NvidiaSmi::Done done);
    void finish(QList<GpuProcess> processes, const QString &error);

    QString m_program;
    QString m_procRoot;
    bool m_running = false;
    bool m_pmonOk = false;
    QStringList m_warnings;
};

} // namespace codalab::system

Q_DECLARE_METATYPE(codalab::system::GpuProcess)
