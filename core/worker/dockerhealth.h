// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>

namespace codalab::docker {
class DockerClient;
}

namespace codalab::worker {

/// Whether the worker's Docker daemon answers, as the status shows it: a worker that checks in but cannot
/// start containers (dockerd stopped or restarting) is in error, which the tray and the dashboard say.
///
/// Usage: check() pings the daemon (never two pings at once); changed() fires when the answer flips or its
/// message changes. It starts as ok: the worker does not start unless Docker answered.
class DockerHealth : public QObject
{
    Q_OBJECT
public:
    explicit DockerHealth(docker::DockerClient *docker, QObject *parent = nullptr);

    bool isOk() const { return m_error.isEmpty(); }
    /// Why Docker is not usable; empty while it is.
    QString error() const { return m_error; }

    void check();

Q_SIGNALS:
    void changed();

private:
    docker::DockerClient *m_docker;
    QString m_error;
    bool m_checking = false;
};

} // namespace codalab::worker
