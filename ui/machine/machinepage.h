// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QProgressBar;
class QStackedWidget;
class QTableView;

namespace codalab::docker {
class DockerClient;
class DockerReply;
} // namespace codalab::docker

namespace codalab::ui {

class GpuModel;
class WorkerLink;

/// The machine the worker runs on, as its status describes it: CPU model and threads (and the CPUs runs may
/// use), memory total and available, the work directory's disk, each GPU (GpuModel, with a check box that
/// asks the worker to use it for runs or not), and Docker: the engine's version (asked through
/// DockerClient::version()) and the socket the worker uses.
///
/// Usage: construct with the desktop's WorkerLink and DockerClient. While the page is visible it asks the
/// worker to measure the machine again every refreshIntervalMs() (the `probeMachine` method; a worker
/// without it is asked for its status instead), so memory, disk and GPU figures stay live; hidden, it asks
/// nothing. probeRequested() fires for each request.
class MachinePage : public QWidget
{
    Q_OBJECT
public:
    MachinePage(WorkerLink *link, docker::DockerClient *docker, QWidget *parent = nullptr);
    ~MachinePage() override;

    GpuModel *gpuModel() const { return m_gpus; }
    int refreshIntervalMs() const { return m_timer.interval(); }
    void setRefreshIntervalMs(int ms) { m_timer.setInterval(ms); }
    /// Whether live figures are being asked for (only while visible).
    bool isLive() const { return m_timer.isActive(); }
    bool showsEmptyState() const;

    QString cpuText() const;
    QString memoryText() const;
    QString diskText() const;
    QString dockerText() const;

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
    QProgressBar *m_memory;
    QLabel *m_workDir;
    QProgressBar *m_disk;
    QTableView *m_gpuView;
    QLabel *m_gpuNote;
    QLabel *m_dockerVersion;
    QLabel *m_dockerSocket;
    QLabel *m_updated;
    QTimer m_timer;
    QPointer<docker::DockerReply> m_versionReply;
    bool m_probeInFlight = false;
    bool m_probeUnsupported = false;
};

} // namespace codalab::ui
