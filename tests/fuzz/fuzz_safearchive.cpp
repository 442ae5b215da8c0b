// SPDX-License-Identifier: GPL-3.0-or-later
// SafeArchive::extract on any bytes (a tar, plain or compressed: what a dependency download or a bundle
// upload hands it), into a fresh directory, and then: nothing was written outside it. A sentinel directory
// next to it stays empty, a file next to it keeps its content and link count (no hard link to it), no
// staging directory is left, and every symlink inside points inside. A refused archive leaves no target;
// an accepted one holds only directories, regular files and symlinks.
#include "fuzzsupport.h"
#include "util/safearchive.h"

#include <QBuffer>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <sys/stat.h>

using codalab::fuzz::check;
using codalab::util::SafeArchive;

namespace {

const QByteArray Secret = "next to the target";

QStringList entries(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);
}

/// `target` of a symlink at `link`, resolved lexically (nothing on disk is followed), stays under `root`.
bool pointsInside(const QString &root, const QString &link, const QString &target)
{
    if (target.startsWith(QLatin1Char('/'))) {
        return false;
    }
    const QString resolved = QDir::cleanPath(QFileInfo(link).absolutePath() + QLatin1Char('/') + target);
    return resolved == root || resolved.startsWith(root + QLatin1Char('/'));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    codalab::fuzz::ensureApp();
    QTemporaryDir base;
    check(base.isValid(), "a temporary directory");
    const QString target = base.filePath(QStringLiteral("target"));
    const QString sentinel = base.filePath(QStringLiteral("sentinel"));
    const QString secret = base.filePath(QStringLiteral("secret"));
    QDir().mkpath(sentinel);
    {
        QFile f(secret);
        check(
            f.open(QIODevice::WriteOnly) && f.write(Secret) == Secret.size(), "the file next to the target");
    }

    QByteArray archive = codalab::fuzz::bytes(data, size);
    QBuffer buffer(&archive);
    buffer.open(QIODevice::ReadOnly);
    codalab::util::ArchiveLimits limits;
    limits.maxBytes = 8 << 20; // small enough to keep each run fast; a bomb is refused all the same
    limits.maxEntries = 2000;
    const codalab::util::ArchiveResult result = SafeArchive::extract(&buffer, target, limits);

    check(entries(sentinel).isEmpty(), "nothing is written into a sibling directory",
        entries(sentinel).join(QLatin1Char(' ')));
    QFile f(secret);
    check(f.open(QIODevice::ReadOnly) && f.readAll() == Secret, "a file next to the target is not changed");
    struct stat st
    {
    };
    check(::lstat(QFile::encodeName(secret).constData(), &st) == 0 && st.st_nlink == 1 && S_ISREG(st.st_mode),
        "no hard link to a file outside the target");
    QStringList top = entries(base.path());
    top.removeAll(QStringLiteral("target"));
    check(top == QStringList { QStringLiteral("secret"), QStringLiteral("sentinel") },
        "nothing but the target is left next to it (no staging directory)", top.join(QLatin1Char(' ')));

    if (!result.ok) {
        check(!result.error.isEmpty(), "a refused archive says why");
        check(!QFileInfo::exists(target) && !QFileInfo(target).isSymLink(),
            "a refused archive leaves nothing", result.error);
        return 0;
    }
    check(result.error.isEmpty(), "an extracted archive has no error", result.error);
    check(result.bytesWritten <= limits.maxBytes && result.entries <= limits.maxEntries, "the limits hold");
    const QFileInfo root(target);
    check(root.isDir() && !root.isSymLink(), "the target is a directory");
    QDirIterator it(target, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
        QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        struct stat entry
        {
        };
        check(::lstat(QFile::encodeName(path).constData(), &entry) == 0, "an entry can be examined", path);
        check(S_ISDIR(entry.st_mode) || S_ISREG(entry.st_mode) || S_ISLNK(entry.st_mode),
            "only directories, files and symlinks are extracted", path);
        check((entry.st_mode & (S_ISUID | S_ISGID)) == 0, "no setuid or setgid bit is restored", path);
        if (S_ISLNK(entry.st_mode)) {
            QByteArray raw(4096, '\0');
            const ssize_t n = ::readlink(QFile::encodeName(path).constData(), raw.data(), size_t(raw.size()));
            check(n >= 0, "a symlink can be read", path);
            raw.truncate(n);
            check(pointsInside(target, path, QFile::decodeName(raw)),
                "every symlink points inside the target",
                path + QLatin1String(" -> ") + QFile::decodeName(raw));
        }
    }
    return 0;
}
