// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "util/bundleuuid.h"
#include "worker/runcontainer.h"
#include "worker/runrecord.h"
#include "worker/workerconfig.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace codalab::docker {
class DockerClient;
}
namespace codalab::server {
class ServerConnection;
}

namespace codalab::worker {

class ContainerWatch;
class DependencyCache;
class ImageCache;
class ResourceAllocator;
class ResultUploader;

/// The services a run uses; owned by the Worker, which outlives its runs.
struct RunServices
{
    docker::DockerClient *docker = nullptr;
    DependencyCache *dependencies = nullptr;
    ImageCache *images = nullptr;
    ResourceAllocator *allocator = nullptr;
    server::ServerConnection *connection = nullptr;
    const WorkerConfig *config = nullptr;
};

/// One run's state machine (codalab-protocol.md §4): PREPARING → RUNNING → CLEANING_UP → UPLOADING_RESULTS →
/// FINALIZING → FINISHED, or RESTAGED when given back. advance() moves it as far as it can without blocking;
/// each step that needs Docker, the caches or the server starts one asynchronous operation and advances again
/// when it completes. Every stage can be re-run from the record alone, which is how a restarted worker
/// carries on (reattaching to the container codalab_run_<uuid> when it is still there).
class Run : public QObject
{
    Q_OBJECT
public:
    Run(RunRecord record, RunServices services, QObject *parent = nullptr);
    ~Run() override;

    const RunRecord &record() const { return m_record; }
    const QString &uuid() const { return m_record.uuid; }
    RunStage stage() const { return m_record.stage; }
    QString runDir() const;
    /// Top-level names in the run dir that are dependency links: hidden from reads and refused for writes.
    QStringList hiddenNames() const;

    void advance();
    /// `kill` message, a limit, or the user: the container is removed and the run finalizes as killed.
    void kill(const QString &message);
    /// Stop with give-back: the run is stopped and reported `staged` so the server runs it elsewhere.
    void restage();
    void markFinalized();
    /// The GPU figures of the container's processes (GpuProcessProbe), for the status and the next sample.
    void setGpuUse(qint64 memoryBytes, int utilization, qint64 memoryTotalBytes)
    {
        if (m_record.setGpuUse(memoryBytes, utilization, memoryTotalBytes)) {
            touch(false);
        }
    }

Q_SIGNALS:
    /// The record changed (persist it); `reportNow` when the server should hear of it soon (a new stage).
    void changed(bool reportNow);
    /// A stats sample of the running container, as it went into the record's history.
    void sampled(const codalab::worker::ResourceHistory::Sample &sample);

private:
    /// "0x1234abcd:", how log lines name the run.
    QString logName() const { return util::BundleUuid::shortForm(m_record.uuid) + QLatin1Char(':'); }
    void setStage(RunStage stage);
    void setStatus(const QString &status);
    void touch(bool reportNow = false);
    void scheduleAdvance();
    void fail(const QString &message);

    void prepare();
    bool prepareRunDirectory(QList<DependencyMount> *mounts, QString *error);
    void startContainer(const QList<DependencyMount> &mounts);
    void createContainer(const docker::ContainerSpec &spec, bool removedLeftover);
    void monitor();
    void watchContainer();
    void cleanUp();
    void upload();
    void finalize();
    void stopMonitoring();

    RunRecord m_record;
    RunServices m_services;
    bool m_busy = false; ///< one asynchronous step at a time
    bool m_advanceQueued = false;
    bool m_exited = false;
    QTimer m_retryTimer;
    ContainerWatch *m_watch = nullptr;
    QPointer<ResultUploader> m_uploader;
};

} // namespace codalab::worker
