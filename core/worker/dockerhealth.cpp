// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/dockerhealth.h"

#include "docker/dockerclient.h"
#include "docker/dockerreply.h"

namespace codalab::worker {

DockerHealth::DockerHealth(docker::DockerClient *docker, QObject *parent)
    : QObject(parent)
    , m_docker(docker)
{ }

void DockerHealth::check()
{
    if (m_checking) {
        return;
    }
    m_checking = true;
    docker::DockerReply *ping = m_docker->ping();
    connect(ping, &docker::DockerReply::finished, this, [this](const docker::DockerResult &r) {
        m_checking = false;
        const QString error = r.error ? r.error.message : QString();
        if (error != m_error) {
            m_error = error;
            Q_EMIT changed();
        }
    });
}

} // namespace codalab::worker
