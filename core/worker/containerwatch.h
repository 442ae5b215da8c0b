// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "docker/containerinfo.h"
#include "docker/containerstats.h"
#include "docker/dockererror.h"

#include <QObject>
#include <QTimer>

#include <functional>
#include <optional>

namespace codalab::docker {
class DockerClient;
}

namespace codalab::worker {

class DirectorySizer;

/// Watches one run container while it runs (codalab-protocol.md §4.3): finds it (also after a restart),
/// waits for it to stop without polling, samples its stats and measures the run directory on a pool thread.
/// Once it stopped, readExit() gathers the exit state and bash's own stderr.
///
/// Usage: connect the signals, start(); attached() or missing() follows, then samples, and exited() once.
/// Errors talking to Docker are "not finished yet" (§7): the watch tries again. When the daemon drops the
/// wait (dockerd stopped or restarted), dockerLost() fires and the watch looks again until the daemon
/// answers: a container still running is waited for anew, one that stopped meanwhile gives exited(), and
/// lostDocker() stays true so the caller can say why the container stopped.
class ContainerWatch : public QObject
{
    Q_OBJECT
public:
    ContainerWatch(docker::DockerClient *docker, QString container, QString runDir, int statsIntervalMs,
        QObject *parent = nullptr);
    ~ContainerWatch() override;

    void start();
    /// After exited(): inspects the container, looks for a stop by Docker and reads its stderr (at most
    /// 4 KiB); exitRead() or missing().
    void readExit();
    void stop();
    /// Whether the daemon could not be reached at least once while the watch asked it about the container,
    /// or dropped the wait on it: it stopped or restarted meanwhile.
    bool lostDocker() const { return m_lostDocker; }
    /// Once exitRead() came: the first signal Docker itself sent the container before it ended (docker
    /// stop or kill, or dockerd stopping it as it shuts down), 0 when none (it ended by itself, or the
    /// kernel's OOM killer ended it, or the Engine no longer remembers).
    int stopSignal() const { return m_stopSignal; }
    /// Once exitRead() came: the failure message when Docker stopped the container (dockerd going down or
    /// restarting, docker stop, docker kill) rather than the run ending by itself; empty otherwise.
    QString dockerStopMessage(const docker::ContainerInfo &info) const;

Q_SIGNALS:
    void attached(const codalab::docker::ContainerInfo &info);
    void missing();
    void sampled(const codalab::docker::ContainerStats &stats);
    void diskMeasured(qint64 bytes);
    void exited();
    /// The wait on the container failed: Docker is gone for now (`message` says how); the watch retries.
    void dockerLost(const QString &message);
    void exitRead(const codalab::docker::ContainerInfo &info, const QString &containerStderr);

private:
    /// Inspects the container: `found` with its state, missing() when it is gone, `again` after an error.
    void inspect(void (ContainerWatch::*again)(), std::function<void(const docker::ContainerInfo &)> found);
    void sample();
    void waitForExit();
    /// exited(), once.
    void markExited();
    /// `again` after RetryMs, instead of whatever was to be tried again before.
    void retryLater(void (ContainerWatch::*again)());
    void noteError(const docker::DockerError &error);
    void readStopSignal(const docker::ContainerInfo &info);
    void readExitInfo();
    void readStderr();
    void finishExit();

    docker::DockerClient *m_docker;
    QString m_container;
    QString m_runDir;
    QTimer m_statsTimer;
    QTimer m_retryTimer;
    DirectorySizer *m_sizer = nullptr;
    bool m_statsInFlight = false;
    bool m_waiting = false;
    bool m_exited = false;
    bool m_lostDocker = false;
    int m_stopSignal = 0;
    std::optional<docker::ContainerInfo> m_exitInfo; ///< readExit(): the inspect's answer, once in
    std::optional<QString> m_exitStderr; ///< readExit(): bash's stderr, once read
};

} // namespace codalab::worker
