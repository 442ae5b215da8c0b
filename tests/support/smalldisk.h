// SPDX-License-Identifier: GPL-3.0-or-later
// A disk that fills up, for the tests of what a full disk does.
#pragma once

#include <QFile>
#include <QStorageInfo>
#include <QTemporaryDir>

#include <catch2/catch.hpp>
#include <sys/mount.h>

namespace codalab::test {

/// A small tmpfs mounted over a fresh directory (root only); unmounted when it goes out of scope.
struct SmallDisk
{
    QTemporaryDir dir;
    bool mounted = false;
    explicit SmallDisk(const QByteArray &size)
    {
        REQUIRE(dir.isValid());
        const QByteArray options = "size=" + size + ",mode=0755";
        mounted = ::mount("tmpfs", QFile::encodeName(dir.path()).constData(), "tmpfs", 0, options.constData())
            == 0;
    }
    ~SmallDisk()
    {
        if (mounted) {
            ::umount2(QFile::encodeName(dir.path()).constData(), MNT_DETACH);
        }
    }
    QString path() const { return dir.path(); }
    /// Fills the file system but for `leave` bytes with one file, `filler`.
    void fill(qint64 leave)
    {
        QFile filler(dir.filePath(QStringLiteral("filler")));
        REQUIRE(filler.open(QIODevice::WriteOnly | QIODevice::Append));
        const QByteArray chunk(64 * 1024, 'x');
        while (QStorageInfo(dir.path()).bytesAvailable() > leave + chunk.size()) {
            if (filler.write(chunk) != chunk.size() || !filler.flush()) {
                break;
            }
        }
    }
    void unfill() { QFile::remove(dir.filePath(QStringLiteral("filler"))); }
};

} // namespace codalab::test
