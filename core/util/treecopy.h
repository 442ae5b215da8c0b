// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace codalab::util {

/// Copies a file or a directory tree as `cp -a` would (and removes one as `rm -rf` would) for what a bundle
/// holds: directories, regular files with their permission bits, and symbolic links as links (never
/// followed). Anything else (devices, FIFOs, sockets) is skipped. Synchronous: run it on a pool thread.
class TreeCopy
{
public:
    struct Result
    {
        bool ok = false;
        QString error;
        qint64 bytes = 0; ///< file bytes copied
    };

    TreeCopy() = delete;
    /// Copies `source` to `target`, which must not exist; stops with an error, leaving what it copied for the
    /// caller to remove, once more than `maxBytes` would be copied.
    static Result copy(const QString &source, const QString &target, qint64 maxBytes);
    /// Removes a file, a link (not what it points to) or a whole directory; true when nothing is left.
    static bool remove(const QString &path);
};

} // namespace codalab::util
