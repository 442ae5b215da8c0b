// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "worker/controlerror.h"
#include "worker/resourcehistory.h"
#include "worker/runhistorystore.h"

#include <QJsonObject>
#include <QObject>
#include <QTimer>

namespace codalab::system {
class GpuProcessProbe;
class MachineHistory;
struct GpuProcess;
} // namespace codalab::system

namespace codalab::worker {

class Run;
class Worker;

/// The figures behind the desktop's charts (issue #15): the machine's last hour (MachineHistory, fed by
/// the worker's 10 s machine probe), each run's resource history (kept in its record, and in a
/// RunHistoryStore file once it finished and left the worker), and which run uses how much GPU
/// (GpuProcessProbe each stats interval while a run runs on a machine with GPUs; one probe at a time).
///
/// Usage: the Worker makes one in its constructor; WorkerControl answers `runHistory` and `machineHistory`
/// from it and publishes runSampled() and machineSampled() as the `runSample` and `machineSample` events.
class ResourceMonitor : public QObject
{
    Q_OBJECT
public:
    explicit ResourceMonitor(Worker *worker, QString nvidiaSmi = QStringLiteral("nvidia-smi"));
    ~ResourceMonitor() override;

    const system::MachineHistory &machineHistory() const { return *m_machine; }
    /// RunHistoryStore::document() of a run of this worker, else of a saved one; *error (code 1, "no
    /// resource history for run <uuid>") when there is neither.
    QJsonObject runHistory(const QString &uuid, ControlError *error) const;

Q_SIGNALS:
    /// {"t", "cpu", "mem", "gpuUtil", "gpuMem"} of a running run.
    void runSampled(const QString &uuid, const QJsonObject &sample);
    void machineSampled(const QJsonObject &sample);

private:
    void watch(Run *run);
    /// Worker::runEnded: the finished run's history is written to its file.
    void keep(Run *run);
    void probeGpus();
    void applyGpuUse(
        const QList<system::GpuProcess> &processes, const QString &error, const QStringList &warnings);
    qint64 gpuMemoryTotal(const QStringList &gpuUuids) const;

    Worker *m_worker;
    system::MachineHistory *m_machine;
    system::GpuProcessProbe *m_gpus;
    RunHistoryStore m_store;
    QTimer m_gpuTimer;
    QString m_lastGpuWarning;
};

} // namespace codalab::worker
