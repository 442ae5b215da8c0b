// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace codalab::util {

/// A private directory next to `target` (".<name>.partial-XXXXXX", mode 0700, from mkdtemp()) to build
/// a tree in, renamed to `target` by commit() and removed with everything in it otherwise, so a failed
/// extraction leaves nothing behind. Removal never follows a symlink and first makes every directory
/// it enters writable, since an archive may have left some read-only or unreadable.
class StagingDirectory
{
public:
    /// `target` is absolute; its parent must exist.
    explicit StagingDirectory(const QString &target);
    ~StagingDirectory();
    StagingDirectory(const StagingDirectory &) = delete;
    StagingDirectory &operator=(const StagingDirectory &) = delete;

    bool isValid() const { return !m_path.isEmpty(); }
    const QString &errorString() const { return m_error; }
    const QString &path() const { return m_path; }

    /// Gives the directory `mode` and renames it to the target, which may be an empty directory (rename()
    /// replaces that) but nothing else. On failure the directory stays staged and is removed later.
    bool commit(uint mode, QString *error);

    /// Removes `path` and, for a directory, everything in it, as a staging directory is removed: by file
    /// descriptor and raw name, never following a symlink, making unreadable directories readable first.
    static void removeTree(const QString &path);

private:
    QString m_target;
    QString m_path;
    QString m_error;
    bool m_committed = false;
};

} // namespace codalab::util
