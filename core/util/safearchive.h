// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

QT_BEGIN_NAMESPACE
class QIODevice;
QT_END_NAMESPACE

namespace codalab::util {

/// The bounds of a "bounded expansion": an archive that would write more is refused as a whole.
struct ArchiveLimits
{
    /// File bytes written, all members together (sparse holes count: a file's size is its last byte).
    /// The default is upstream's default --max-work-dir-size; callers pass their own disk budget.
    qint64 maxBytes = qint64(10) << 30;
    /// Decompressed stream bytes per compressed byte read, checked once 1 MiB came out; 0 = not checked.
    /// Off by default: gzip cannot pass about 1032:1 anyway, so maxBytes is what stops a gzip bomb;
    /// set it for bzip2 and xz, whose ratios have no such ceiling.
    double maxRatio = 0;
    /// Members, directories and links included.
    qint64 maxEntries = 1000000;
    /// extract() also reads zip archives (upstream's `cl upload x.zip`); off where only tar is expected.
    bool allowZip = false;
};

struct ArchiveResult
{
    bool ok = false;
    QString error; ///< empty when ok; otherwise says what and, for a refused member, which one
    qint64 bytesWritten = 0; ///< extract, gunzip: file bytes written; create: archive bytes written
    qint64 entries = 0; ///< members read (extract, up to the failure) or written (create)
};

/// Tar archives that cannot be trusted, read and written with libarchive.
///
/// extract() unpacks a tar, optionally gzip-, bzip2- or xz-compressed, into `targetDir`, which must not
/// exist yet or be an empty directory (its parent is created if needed). Everything goes into a private
/// staging directory next to it (".<name>.partial-XXXXXX", mode 0700 while in use) that is renamed to
/// `targetDir` only once the whole archive passed, so a refused, broken or truncated archive leaves
/// nothing behind. Refused, with an error naming the member: what ArchivePathGuard refuses (absolute
/// names, "..", devices/FIFOs/sockets, escaping symlinks and hard links), names too long to be written
/// without libarchive's chdir(), and going past any of the limits. Writing uses libarchive's
/// ARCHIVE_EXTRACT_SECURE_SYMLINKS (nothing is written through a symlink already on disk, nor by following
/// one) and ARCHIVE_EXTRACT_SECURE_NODOTDOT; not ..._NOABSOLUTEPATHS, since members are written by
/// absolute path under the staging directory (the alternative, chdir(), would move every thread's working
/// directory) after ArchivePathGuard refused absolute member names itself. Permissions are restored except
/// setuid and setgid; owners are not; modification times are. The root's mode comes from a "./" member, else
/// 0777 minus the umask.
///
/// gunzipFile() writes one gzip stream (gzip members concatenated included) to `targetFile` through a
/// temporary file renamed into place, under the same byte and ratio limits; a symlink, or anything but a
/// regular file, at `targetFile` is refused. decompressFile() does the same for a gzip or a bzip2 stream.
///
/// With ArchiveLimits::allowZip, extract() also takes a zip archive; read from a seekable device (a file) it
/// uses the central directory, as unzip does.
///
/// create() writes what `tar czf - -C sourceDir --exclude=P... .` writes: a gzip-compressed (POSIX pax)
/// tar with "./" and "./<path>" members, symlinks stored as symlinks (never followed), hard-linked files
/// stored as separate copies, and FIFOs, sockets and devices skipped. Excludes are GNU tar's defaults:
/// see isExcluded().
///
/// Every function is synchronous and can take minutes on a big archive: call it on a worker thread, never
/// the GUI thread. Calls share no state, so several may run at once. Given devices are read or written from
/// the calling thread; a sequential device is waited on with waitForReadyRead() when it has nothing yet,
/// without a time limit (the transport that feeds it owns timeouts). One process-wide effect remains:
/// libarchive's disk writer reads the umask by setting it to 0 and back for each member, so a file another
/// thread creates in that instant is made without the umask applied.
class SafeArchive
{
public:
    using Limits = ArchiveLimits;
    using Result = ArchiveResult;

    SafeArchive() = delete;

    static Result extract(QIODevice *archive, const QString &targetDir, const Limits &limits = {});
    static Result extract(const QString &archivePath, const QString &targetDir, const Limits &limits = {});

    static Result gunzipFile(QIODevice *gzip, const QString &targetFile, const Limits &limits = {});
    static Result gunzipFile(const QString &gzipPath, const QString &targetFile, const Limits &limits = {});
    static Result decompressFile(QIODevice *compressed, const QString &targetFile, const Limits &limits = {});

    static Result create(const QString &sourceDir, QIODevice *out, const QStringList &excludePatterns = {});
    /// Writes through a temporary file that replaces `archivePath` only when complete.
    static Result create(
        const QString &sourceDir, const QString &archivePath, const QStringList &excludePatterns = {});

    /// `tar --exclude` as GNU tar matches it by default: a pattern is an fnmatch() glob in which "*" also
    /// matches "/", tried against the relative path and every tail of it that starts after a "/" (so
    /// "cache" matches "cache" and "a/cache", "*.pyc" any .pyc), and against "./<path>". An excluded
    /// directory is skipped with everything in it.
    static bool isExcluded(const QString &relativePath, const QStringList &patterns);
};

} // namespace codalab::util
