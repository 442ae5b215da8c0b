// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

namespace codalab::system {

/// Which Docker (or Podman) container a process runs in, read from its /proc/<pid>/cgroup.
///
/// The container id is the 64-hex path component that the runtime names: `/docker/<id>` (cgroup v1, and
/// cgroup v2 with the cgroupfs driver), `/system.slice/docker-<id>.scope` (cgroup v2 with systemd),
/// `libpod-<id>.scope` (Podman), also nested (a dockerd inside a container: `/docker/<outer>/docker/<id>`,
/// where the innermost is the one our dockerd made) and with sub-cgroups below the container's.
class CgroupContainer
{
public:
    CgroupContainer() = delete;

    /// The container id in the text of a cgroup file; empty when the process is in none.
    static QString parse(const QByteArray &cgroupFile);
    /// The container of `pid` under `procRoot` (normally "/proc"; tests give a fake tree): its id, an empty
    /// string when the process runs in no container, or nullopt and *error when its /proc entry cannot be
    /// read (the process ended meanwhile, or a hidepid mount hides it).
    static std::optional<QString> ofPid(const QString &procRoot, qint64 pid, QString *error);
};

} // namespace codalab::system
