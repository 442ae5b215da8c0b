// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace codalab::util {

/// What upstream's get_target_info says about a path in a bundle (codalab-protocol.md §3.4, §5.6):
/// `name`, `type` (file, directory or link), `size`, `perm` (mode & 0777), `link` (a symlink's target as
/// written) and, for a directory read to `depth` > 0, `contents`, its entries sorted by name. A directory's
/// size is the bytes of the regular files under it; anything that is neither a directory nor a symlink
/// counts as a file.
///
/// Symlinks are reported, never followed: each entry is looked at with lstat and each directory is opened
/// with O_NOFOLLOW relative to its parent's descriptor, so a tree that changes while it is read (a running
/// container writes to its run directory) cannot lead the walk outside it. Entries that vanish meanwhile
/// are left out.
///
/// Usage: TargetInfo::of(path, name, depth) for a path, or TargetInfo::at(dirFd, entry, ...) for an entry of
/// a directory the caller opened itself ("." for that directory). Synchronous and it reads the disk: call it
/// off the GUI thread for big trees. The local server and the worker's read replies both build it here.
class TargetInfo
{
public:
    TargetInfo() = delete;

    /// nullopt when `path` does not exist. `hiddenAtTop` names entries of the top directory that are left
    /// out of its contents and its size (a run's dependency links).
    static std::optional<QJsonObject> of(
        const QString &path, const QString &name, int depth, const QStringList &hiddenAtTop = {});
    static std::optional<QJsonObject> at(int dirFd, const QByteArray &entry, const QString &name, int depth,
        const QStringList &hiddenAtTop = {});
    /// Bytes of a regular file, or of the regular files under a directory; 0 for a symlink.
    static qint64 diskSize(const QString &path);
};

} // namespace codalab::util
