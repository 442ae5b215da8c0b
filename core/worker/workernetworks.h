// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QStringList>

#include <functional>

namespace codalab::docker {
class DockerClient;
}

namespace codalab::worker {

/// The worker's Docker networks (codalab-protocol.md §4.2 step 7): `<prefix>_ext` reaches outside,
/// `<prefix>_general` is internal. Upstream's internal `<prefix>_int` for runs without a network is not
/// made: those runs get no network at all (RunContainer). Existing ones are reused, so several workers and
/// restarts share them.
class WorkerNetworks
{
public:
    WorkerNetworks() = delete;
    /// Inspects each network and creates the missing ones, one after the other; `done` gets an empty string
    /// on success, else what failed. Runs on `context`'s thread and stops if it is destroyed.
    static void ensure(docker::DockerClient *docker, const QString &prefix, QObject *context,
        std::function<void(const QString &error)> done);
};

} // namespace codalab::worker
