// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace codalab::server {

/// What local folders and files were uploaded to which server as which bundle, so a dependency that did not
/// change since is used again instead of sent again (a rerun after editing one line of code uploads only
/// the folder that changed). A folder's digest covers every entry's relative path, kind, size, modification
/// time and mode (and a link's target), as rsync decides what changed: reading every byte of a large dataset
/// to find it unchanged would cost as much as sending it.
///
/// Usage: digestOf() on a pool thread (it walks the tree); lookup() before an upload, remember() after one.
/// The file (JSON) is rewritten atomically on each remember().
class UploadCache
{
public:
    explicit UploadCache(QString file)
        : m_file(std::move(file))
    { }

    /// "" when `path` cannot be read.
    static QString digestOf(const QString &path);
    /// The bundle uploaded from content with this digest to `serverUrl`, or "".
    QString lookup(const QString &serverUrl, const QString &digest) const;
    bool remember(
        const QString &serverUrl, const QString &digest, const QString &bundleUuid, const QString &path);
    /// Forgets a bundle (deleted on the server, found no longer ready).
    void forget(const QString &serverUrl, const QString &digest);
    const QString &file() const { return m_file; }

private:
    QString m_file;
};

} // namespace codalab::server
