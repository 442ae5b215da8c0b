// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "worker/runcontainer.h"
#include "worker/runrecord.h"

#include <functional>

namespace codalab::worker {

/// A run's directory on the host (codalab-protocol.md §4.2 steps 5–6): created, given to the user the
/// container runs as, and holding one link per dependency that resolves only inside the container.
class RunDirectory
{
public:
    RunDirectory() = delete;

    /// Where a dependency lives on the host (the cache entry, or the parent bundle on a shared file system);
    /// empty when it is not there.
    using HostPathOf = std::function<QString(const RunDependency &)>;

    /// Creates `dir`, the mounts and the links; with `owner` (uid, gid) set, `dir` is given to that user.
    /// Re-running it is safe: old links are replaced, a real file of a link's name is never touched.
    static bool prepare(const QString &dir, const RunRecord &run, const HostPathOf &hostPathOf,
        std::optional<std::pair<int, int>> owner, QList<DependencyMount> *mounts, QStringList *links,
        QString *error);
    /// Removes the links and the parent directories made only for them.
    static void removeLinks(const QString &dir, const QStringList &links);
    /// The top-level names the links occupy: hidden from reads, refused for writes.
    static QStringList hiddenNames(const QStringList &links);
};

} // namespace codalab::worker
