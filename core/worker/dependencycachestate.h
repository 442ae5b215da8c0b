// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "worker/dependencykey.h"

#include <QDateTime>
#include <QList>
#include <QSet>
#include <QString>

namespace codalab::worker {

/// One cache entry as the state file keeps it.
struct DependencyRecord
{
    DependencyKey key;
    QString name; ///< the entry's file or directory name inside the cache directory
    QString stage; ///< "downloading", "ready" or "failed"
    qint64 sizeBytes = 0;
    QSet<QString> dependents;
    QDateTime lastUsed;
    QString message;
};

/// What the dependency cache keeps on disk besides the dependencies themselves: the state file
/// (`<work>/dependencies-state.json`, `{"version": 1, "entries": [...]}`), written atomically, and the
/// blocking file-tree work (measuring, removing) that DependencyCache runs on pool threads.
class DependencyCacheState
{
public:
    DependencyCacheState() = delete;

    /// A missing file is an empty cache, and so is one that is not a state file of this version: it is
    /// moved aside to "<file>.corrupt-<epoch>" with a warning (a cache can be rebuilt; the worker should
    /// start). Records that make no sense (no uuid, a name that is not a plain file name) are skipped. False
    /// and *error only when the file cannot be read.
    static bool read(const QString &file, QList<DependencyRecord> *records, QString *error);
    /// Replaces `file` only once the whole new content is on disk (QSaveFile), so a crash leaves the old one.
    static bool write(const QString &file, const QList<DependencyRecord> &records, QString *error);

    /// A name the cache could have made: one path component, not hidden (staging and trash names start
    /// with a dot, so they never pass).
    static bool isEntryName(const QString &name);
    /// Upstream's entry name: `parent_uuid`, or `parent_uuid_<parent_path with / replaced by _>` (a digest of
    /// the path when that would be too long for a file name); the cache appends `_` until it is unique.
    static QString entryName(const DependencyKey &key);
    /// Where download attempt `attempt` of entry `name` writes: ".dl-<attempt>-<name>". What the download
    /// makes next to it (ContentsDownload's "<staging>.download", SafeArchive's ".<staging>.partial-*")
    /// carries the same attempt number.
    static QString stagingName(quint64 attempt, const QString &name);
    /// The attempt number in a name made from stagingName(), or 0 for any other name.
    static quint64 stagingAttempt(const QString &fileName);
    /// Whether anything (a broken symlink included) is at `path`.
    static bool exists(const QString &path);

    /// Bytes of every file and symlink under `path` (or of `path` itself when it is not a directory);
    /// symlinks are never followed. Blocking.
    static qint64 diskUsage(const QString &path);
    /// Renames `path` to a hidden trash name next to it at once, so its name is free again, and removes it
    /// on a QThreadPool::globalInstance() thread. Nothing at `path` is no error.
    static void discard(const QString &path);
};

} // namespace codalab::worker
