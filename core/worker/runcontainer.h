// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "docker/containerinfo.h"
#include "docker/containerspec.h"
#include "docker/containerstats.h"
#include "worker/runrecord.h"
#include "worker/workerconfig.h"

#include <QString>

namespace codalab::worker {

/// A dependency as the container sees it: read-only at `/<uuid>_dependencies/<name>`, and a link of the
/// same name in the run directory pointing there (codalab-protocol.md §4.2).
struct DependencyMount
{
    QString hostPath;
    QString name; ///< the child path, or for key "." one top-level entry of the dependency
};

/// Builds run containers as §4.4 and §8 say, and words the limit messages as upstream does.
class RunContainer
{
public:
    RunContainer() = delete;

    static QString containerName(const QString &uuid) { return QStringLiteral("codalab_run_") + uuid; }
    static QString dependencyMountPoint(const QString &uuid, const QString &name)
    {
        return QLatin1Char('/') + uuid + QStringLiteral("_dependencies/") + name;
    }
    /// `( cmd; ) >stdout 2>stderr` with a `;` only when the command lacks one, as upstream.
    static QString wrapCommand(const QString &command);

    struct Inputs
    {
        QString runDir;
        QList<DependencyMount> mounts;
        QString user; ///< "uid:gid"
    };
    static docker::ContainerSpec spec(const RunRecord &run, const WorkerConfig &config, const Inputs &inputs);

    /// The kill message for the first limit the run is over, or empty.
    static QString limitExceeded(const RunRecord &run, qint64 nowMs);
    static QString memoryLimitMessage(qint64 bytes);

    /// A stats sample into the record: CPU as a share of the run's CPUs, memory, user and system time, and
    /// a point of its resource history (with the latest GPU figures), which it returns.
    static ResourceHistory::Sample recordStats(
        RunRecord &run, const docker::ContainerStats &stats, qint64 nowMs);
    /// The container's end into the record: exit code and time, and why it failed — `stoppedByDocker`
    /// (Docker stopped it, e.g. dockerd going down) before an exit 137 that would otherwise read as the
    /// memory limit, then bash's own errors (`containerStderr`).
    static void recordEnd(RunRecord &run, const docker::ContainerInfo &info, const QString &stoppedByDocker,
        const QString &containerStderr);
};

} // namespace codalab::worker
