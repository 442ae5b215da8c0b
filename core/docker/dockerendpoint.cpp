// SPDX-License-Identifier: GPL-3.0-or-later
#include "docker/dockerendpoint.h"

#include "util/logging.h"

namespace codalab::docker {

std::optional<DockerEndpoint> DockerEndpoint::parse(const QString &dockerHost, QString *error)
{
    const QString host = dockerHost.trimmed();
    if (host.isEmpty()) {
        return DockerEndpoint { QString::fromLatin1(DefaultSocket), {} };
    }
    if (host.startsWith(QLatin1String("unix://"))) {
        const QString path = host.mid(7);
        if (!path.startsWith(QLatin1Char('/'))) {
            if (error) {
                *error = QStringLiteral("DOCKER_HOST %1: the socket path must be absolute").arg(host);
            }
            return std::nullopt;
        }
        return DockerEndpoint { path, {} };
    }
    if (host.startsWith(QLatin1String("tcp://"))) {
        QString hostPort = host.mid(6);
        while (hostPort.endsWith(QLatin1Char('/'))) {
            hostPort.chop(1);
        }
        if (hostPort.isEmpty()) {
            if (error) {
                *error = QStringLiteral("DOCKER_HOST %1: no host given").arg(host);
            }
            return std::nullopt;
        }
        return DockerEndpoint { {}, hostPort };
    }
    if (error) {
        *error = QStringLiteral("DOCKER_HOST %1: only unix:// and tcp:// are supported").arg(host);
    }
    return std::nullopt;
}

DockerEndpoint DockerEndpoint::fromEnvironment()
{
    QString error;
    const auto endpoint = parse(qEnvironmentVariable("DOCKER_HOST"), &error);
    if (!endpoint) {
        qCWarning(lcDocker).noquote() << error << "- using" << DefaultSocket;
        return DockerEndpoint { QString::fromLatin1(DefaultSocket), {} };
    }
    return *endpoint;
}

QString DockerEndpoint::describe() const
{
    return isUnixSocket() ? socketPath : QStringLiteral("tcp://") + hostPort;
}

} // namespace codalab::docker
