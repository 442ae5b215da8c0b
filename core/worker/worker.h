// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "system/machinespecs.h"
#include "worker/resourceallocator.h"
#include "worker/runrecord.h"
#include "worker/statefile.h"
#include "worker/workerconfig.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace codalab::docker {
class DockerClient;
}
namespace codalab::server {
class ServerConnection;
class WorkerApi;
} // namespace codalab::server
namespace codalab::system {
class MachineProbe;
}

namespace codalab::worker {

class CheckinLoop;
class DependencyCache;
class DockerHealth;
class ImageCache;
class ResourceMonitor;
class Run;
class RunIntake;
class RunReadService;
class SaveScheduler;

/// The worker engine (codalab-protocol.md §3, §4, §8): keeps exactly one check-in in flight, handles every
/// message of each answer, runs each accepted bundle's state machine (Run), persists its state (a stage
/// reached at once, progress within a second) and reattaches to its containers after a restart. Availability
/// (available, paused, snoozed, draining, stopping) reaches the server through `exit_after_num_runs` and
/// `is_terminating`.
///
/// Usage: construct with the parsed config and the connection (already logged in through its TokenManager)
/// and Docker client, call start(); started() or failed() follows. finished() tells the process to exit.
class Worker : public QObject
{
    Q_OBJECT
public:
    enum class Availability { Available, Paused, Snoozed, Draining, Drained, Stopping };
    Q_ENUM(Availability)

    Worker(WorkerConfig config, server::ServerConnection *connection, docker::DockerClient *docker,
        QObject *parent = nullptr);
    ~Worker() override;

    void start();
    const WorkerConfig &config() const { return m_config; }
    Availability availability() const { return m_availability; }
    static QString availabilityName(Availability availability);
    QList<Run *> runs() const { return m_runs.values(); }
    Run *run(const QString &uuid) const { return m_runs.value(uuid); }
    DependencyCache *dependencyCache() const { return m_dependencies; }
    ImageCache *imageCache() const { return m_images; }
    const ResourceAllocator &allocator() const { return m_allocator; }
    bool isConnected() const;
    const QDateTime &lastCheckin() const;
    const QString &lastServerError() const;
    const QDateTime &snoozeUntil() const { return m_snoozeUntil; }
    int runsStarted() const { return m_runsStarted; }
    const system::MachineSpecs &machine() const { return m_machine; }
    /// Probes every 10 s once started; start() it for figures now (statusChanged() follows).
    system::MachineProbe *machineProbe() const { return m_probe; }
    QString dockerEndpoint() const;
    /// Whether Docker answered the last ping (one each machine probe).
    const DockerHealth &dockerHealth() const { return *m_dockerHealth; }
    /// The machine's and the runs' resource histories, and the GPU use of each run.
    ResourceMonitor *resourceMonitor() const { return m_resources; }

    /// What the next check-in offers: min(free slots, runs left), 0 unless available.
    int runsToOffer() const;
    QJsonObject checkinBody() const;
    /// Everything the control socket's `status` answers.
    QJsonObject status() const;

    void pause();
    void resume();
    void snooze(int seconds);
    void drain();
    /// giveBack: unfinished runs are stopped and reported `staged`, then a last check-in says the worker is
    /// terminating. Without it the worker exits at once and its containers keep running for a restart.
    void stop(bool giveBack);
    void setSlots(int count);
    bool setGpuEnabled(const QString &uuid, bool enabled);
    bool killRun(const QString &uuid, const QString &message = {});

Q_SIGNALS:
    void started();
    void failed(const QString &message);
    /// Something a status display shows changed (coalesced).
    void statusChanged();
    /// A run changed stage: in local mode the embedded server answers the pending check-in at once.
    void wantsCheckin();
    void finished(int exitCode);
    /// A run was accepted (or resumed after a restart); it lives until it is finished or given back.
    void runAdded(codalab::worker::Run *run);
    /// A run was finalized and leaves the worker (still alive during the call).
    void runEnded(codalab::worker::Run *run);

private:
    void loadState();
    void saveState();
    void scheduleSave(bool urgent = true);
    void setAvailability(Availability availability, QDateTime snoozeUntil = {});
    /// A choice made through the control socket: saved, shown and told to the server at once.
    void userChanged();
    /// Reports a change soon: answers the poll in flight when the server can be woken (local mode).
    void requestCheckin();
    void onAnswer(const QJsonArray &messages, const QStringList &staged, bool lastWord);
    void handleMessage(const QJsonObject &message);
    void acceptRun(const QJsonObject &message);
    void addRun(const RunRecord &record);
    void tick();
    void maybeExit();
    void notifyStatus();

    WorkerConfig m_config;
    server::ServerConnection *m_connection;
    docker::DockerClient *m_docker;
    server::WorkerApi *m_api;
    ResourceAllocator m_allocator;
    StateFile m_stateFile;
    DependencyCache *m_dependencies;
    ImageCache *m_images;
    RunReadService *m_reads;
    system::MachineProbe *m_probe;
    DockerHealth *m_dockerHealth;
    ResourceMonitor *m_resources;
    system::MachineSpecs m_machine;
    QHash<QString, Run *> m_runs;
    RunIntake *m_intake;
    CheckinLoop *m_checkins;
    Availability m_availability = Availability::Available;
    QDateTime m_snoozeUntil;
    int m_runsStarted = 0;
    bool m_running = false;
    bool m_giveBack = false;
    bool m_terminatingSent = false;
    QElapsedTimer m_idleSince;
    QTimer m_tick;
    QTimer m_probeTimer;
    SaveScheduler *m_saves;
    bool m_statusQueued = false;
};

} // namespace codalab::worker
