// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QSet>
#include <QWidget>

namespace codalab::ui {

class TimeSeriesChart;
class WorkerLink;

/// The machine's last hour as charts: CPU, memory, the work directory's disk and each GPU's utilisation
/// and memory, as the worker samples them (codalab-worker `machineHistory`, then `machineSample` events).
///
/// Usage: construct over the worker link; it asks whenever the worker (re)connects.
class MachineHistoryCharts : public QWidget
{
    Q_OBJECT
public:
    explicit MachineHistoryCharts(WorkerLink *link, QWidget *parent = nullptr);

    TimeSeriesChart *cpuChart() const { return m_cpu; }
    TimeSeriesChart *memoryChart() const { return m_memory; }
    TimeSeriesChart *diskChart() const { return m_disk; }
    TimeSeriesChart *gpuChart() const { return m_gpu; }
    TimeSeriesChart *gpuMemoryChart() const { return m_gpuMemory; }
    /// Samples shown so far (after load and live ones).
    int sampleCount() const { return m_samples; }

Q_SIGNALS:
    void loaded();

private:
    void load();
    void addSample(const QJsonObject &sample);
    /// The last hour only: older points go as new ones come.
    void trim();

    WorkerLink *m_link;
    TimeSeriesChart *m_cpu;
    TimeSeriesChart *m_memory;
    TimeSeriesChart *m_disk;
    TimeSeriesChart *m_gpu;
    TimeSeriesChart *m_gpuMemory;
    QSet<QString> m_gpuLines;
    int m_samples = 0;
    bool m_loaded = false;
};

} // namespace codalab::ui
