// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "util/safearchive.h"

namespace codalab::util {

/// SafeArchive::create(): a directory as `tar czf - -C dir --exclude=P... .` would write it. Synchronous.
class TarGzWriter
{
public:
    TarGzWriter() = delete;

    static ArchiveResult write(const QString &sourceDir, QIODevice *out, const QStringList &excludePatterns);
    /// SafeArchive::isExcluded(), on the raw bytes of a relative path.
    static bool isExcluded(const QByteArray &relativePath, const QList<QByteArray> &patterns);
};

} // namespace codalab::util
