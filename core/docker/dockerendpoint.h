// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

namespace codalab::docker {

/// Where the Engine API listens: a unix socket (the default, Docker or Podman) or plain tcp://host:port.
struct DockerEndpoint
{
    QString socketPath; ///< set for unix sockets
    QString hostPort; ///< set for tcp://host:port (no TLS)

    static constexpr auto DefaultSocket = "/var/run/docker.sock";

    /// From a DOCKER_HOST value: `unix:///path`, `tcp://host:port`, or empty for the default socket.
    /// Returns nullopt and sets *error for anything else (ssh://, npipe://, https).
    static std::optional<DockerEndpoint> parse(const QString &dockerHost, QString *error = nullptr);
    /// From the DOCKER_HOST environment variable, falling back to the default socket when unset or invalid.
    static DockerEndpoint fromEnvironment();

    /// For messages: the socket path or tcp address.
    QString describe() const;
    bool isUnixSocket() const { return !socketPath.isEmpty(); }
};

} // namespace codalab::docker
