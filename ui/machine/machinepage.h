// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QTimer>
#include <QWidget>

class QLabel;
class QStackedWidget;
class QTableView;

namespace codalab::docker {
class DockerClient;
} // namespace codalab::docker

namespace codalab::ui {

class MachineHistoryCharts;

class DockerPanel;
class GpuModel;
class UsageBar;
class WorkerLink;

/// The machine the worker runs on, as its status describes it: CPU model and threads (and the CPUs runs may
/// use), memory total and available, the work directory's disk, each GPU (GpuModel, with a check box that
/// asks the worker to use it for runs or not), and Docker (DockerPanel: the engine's version and socket, its
/// local images, and a check that runs a container with no network; plus the worker's engine when it uses
/// another one).
///
/// Usage: construct with the desktop's WorkerLink and DockerClient. While the page is visible it asks the
/// worker to measure the machine again every refreshIntervalMs() (the `probeMachine` method; a worker
/// that answers "method not found" is asked for its status instead; any other failure is retried), so
/// memory, disk and GPU figures stay live; hidden, it asks nothing. probeRequested() fires for each request.
/// Each time it is shown it asks Docker again; dockerChecked() follows the answer.
class MachinePage : public QWidget
{
    Q_OBJECT
public:
    MachinePage(WorkerLink *link, docker::DockerClient *docker, QWidget *parent = nullptr);
    ~MachinePage() override;
    MachineHistoryCharts *historyCharts() const { return m_history; }

    GpuModel *gpuModel() const { return m_gpus; }
    DockerPanel *dockerPanel() const { return m_dockerPanel; }
    int refreshIntervalMs() const { return m_timer.interval(); }
    void setRefreshIntervalMs(int ms) { m_timer.setInterval(ms); }
    /// Whether live figures are being asked for (only while visible).
    bool isLive() const { return m_timer.isActive(); }
    bool showsEmptyState() const;

    QString cpuText() const;
    QString memoryText() const;
    QString diskText() const;
    /// DockerPanel::statusText(), and the worker's engine on a line of its own when it is another one.
    QString dockerText() const;
    /// Whether the worker was found without `probeMachine` (so it is asked for its status instead).
    bool probeUnsupported() const { return m_probeUnsupported; }

Q_SIGNALS:
    void probeRequested();
    void dockerChecked();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void onStatus(const QJsonObject &status);
    void probe();
    void checkDocker();

    WorkerLink *m_link;
    docker::DockerClient *m_docker;
    GpuModel *m_gpus;
    QStackedWidget *m_stack;
    QLabel *m_emptyDetail;
    QLabel *m_cpu;
    UsageBar *m_memory;
    QLabel *m_workDir;
    UsageBar *m_disk;
    QTableView *m_gpuView;
    QLabel *m_gpuNote;
    DockerPanel *m_dockerPanel;
    QLabel *m_workerDocker;
    QLabel *m_updated;
    MachineHistoryCharts *m_history;
    QTimer m_timer;
    bool m_probeInFlight = false;
    bool m_probeUnsupported = false;
};

} // namespace codalab::ui
