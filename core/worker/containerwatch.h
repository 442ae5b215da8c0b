// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "docker/containerinfo.h"
#include "docker/containerstats.h"

#include <QObject>
#include <QTimer>

#include <functional>

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
/// Errors talking to Docker are "not finished yet" (§7): the watch tries again.
class ContainerWatch : public QObject
{
    Q_OBJECT
public:
    ContainerWatch(docker::DockerClient *docker, QString container, QString runDir, int statsIntervalMs,
        QObject *parent = nullptr);
    ~ContainerWatch() override;

    void start();
    /// After exited(): inspects the container and reads its stderr (at most 4 KiB); exitRead() or missing().
    void readExit();
    void stop();

Q_SIGNALS:
    void attached(const codalab::docker::ContainerInfo &info);
    void missing();
    void sampled(const codalab::docker::ContainerStats &stats);
    void diskMeasured(qint64 bytes);
    void exited();
    void exitRead(const codalab::docker::ContainerInfo &info, const QString &containerStderr);

private:
    /// Inspects the container: `found` with its state, missing() when it is gone, `again` after an error.
    void inspect(void (ContainerWatch::*again)(), std::function<void(const docker::ContainerInfo &)> found);
    void sample();

    docker::DockerClient *m_docker;
    QString m_container;
    QString m_runDir;
    QTimer m_statsTimer;
    QTimer m_retryTimer;
    DirectorySizer *m_sizer = nullptr;
    bool m_statsInFlight = false;
    bool m_exited = false;
};

} // namespace codalab::worker
