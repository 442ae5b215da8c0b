// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QPointer>
#include <QWidget>

class QJsonArray;
class QLabel;

namespace codalab::ui {

class TimeSeriesChart;
class WorkerLink;

/// A run's resource history as small live charts: CPU (100 % = one CPU), memory against its limit, and for
/// a run that used a GPU its utilisation and memory. The worker keeps the series for the run's whole life
/// (downsampled) and after it ended (codalab-worker `runHistory`); new samples arrive as `runSample`
/// events, so nothing is polled.
///
/// Usage: construct over the worker link; setRun(uuid) (empty: nothing). A run this worker never ran
/// says so instead of empty charts.
class RunResourceCharts : public QWidget
{
    Q_OBJECT
public:
    explicit RunResourceCharts(WorkerLink *link, QWidget *parent = nullptr);

    void setRun(const QString &uuid);
    QString run() const { return m_uuid; }
    /// Whether the worker answered with a history for the run (and the charts show it).
    bool hasHistory() const { return m_loaded; }
    bool showsGpu() const;
    TimeSeriesChart *cpuChart() const { return m_cpu; }
    TimeSeriesChart *memoryChart() const { return m_memory; }
    TimeSeriesChart *gpuChart() const { return m_gpu; }
    TimeSeriesChart *gpuMemoryChart() const { return m_gpuMemory; }
    QString message() const;

Q_SIGNALS:
    /// The history arrived (or the worker said it has none).
    void loaded(bool hasHistory);

private:
    void load();
    void onHistory(const QJsonValue &result, int errorCode, const QString &error);
    void addSample(const QJsonObject &sample);
    /// Draws `samples` (replacing what the charts had, or appended to it); whether the GPU charts belong.
    bool plot(const QJsonArray &samples, bool replace);

    WorkerLink *m_link;
    QString m_uuid;
    quint64 m_request = 0; ///< answers to an older setRun() are dropped
    bool m_loaded = false;
    double m_memoryLimit = 0;
    double m_gpuMemoryTotal = 0;
    QLabel *m_message;
    QWidget *m_grid;
    TimeSeriesChart *m_cpu;
    TimeSeriesChart *m_memory;
    TimeSeriesChart *m_gpu;
    TimeSeriesChart *m_gpuMemory;
};

} // namespace codalab::ui
