// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "util/safearchive.h"

#include <functional>

namespace codalab::util {

/// SafeArchive::create(): a directory as `tar czf - -C dir --exclude=P... .` would write it, compressed on
/// every core (ParallelGzipWriter). Synchronous: the calling thread walks the tree and writes the output.
class TarGzWriter
{
public:
    TarGzWriter() = delete;

    static ArchiveResult write(const QString &sourceDir, QIODevice *out, const QStringList &excludePatterns);

    /// One file or directory to archive under `name` ("./name/..."); an empty name makes it the root (".").
    struct Member
    {
        QString path;
        QString name;
    };
    struct Options
    {
        QStringList excludePatterns;
        /// Told the bytes of each block read from a file; returning false stops the archive ("cancelled").
        std::function<bool(qint64 bytes)> onRead;
        /// gzip's level, 1 (fastest) to 9; 0: gzip's default (6), as `tar czf` writes.
        int compressionLevel = 0;
        /// Threads that compress (ParallelGzipWriter); 0: one per core.
        int threads = 0;
    };
    /// Several files and directories in one archive (`cl upload a b` sends them so), read progress told.
    static ArchiveResult write(const QList<Member> &members, QIODevice *out, const Options &options);
    /// SafeArchive::isExcluded(), on the raw bytes of a relative path.
    static bool isExcluded(const QByteArray &relativePath, const QList<QByteArray> &patterns);
};

} // namespace codalab::util
