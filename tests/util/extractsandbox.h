// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "util/safearchive.h"

#include <QStringList>
#include <QTemporaryDir>

namespace codalab::test {

/// A temporary tree for one extraction: <root>/p/q/out is the target, so a member that climbs one or two
/// levels out of it (or out of the staging directory next to it) still lands inside <root>, where
/// contents() sees it.
class ExtractSandbox
{
public:
    ExtractSandbox();
    /// Makes every directory writable again first, so read-only ones from an archive go too.
    ~ExtractSandbox();
    ExtractSandbox(const ExtractSandbox &) = delete;
    ExtractSandbox &operator=(const ExtractSandbox &) = delete;

    QString root() const { return m_root.path(); }
    QString parent() const { return m_root.path() + QStringLiteral("/p/q"); }
    QString target() const { return parent() + QStringLiteral("/out"); }

    /// Every path under the root, relative and sorted; symlinks are listed, never followed.
    QStringList contents() const;
    /// What contents() is when an extraction wrote nothing that survived: the two empty parents.
    static QStringList untouched() { return { QStringLiteral("p"), QStringLiteral("p/q") }; }

private:
    QTemporaryDir m_root;
};

/// SafeArchive::extract() of archive bytes held in memory.
util::ArchiveResult extractBytes(
    const QByteArray &archive, const QString &target, const util::ArchiveLimits &limits = {});

} // namespace codalab::test
