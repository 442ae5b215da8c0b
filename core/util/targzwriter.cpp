// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/targzwriter.h"

#include "util/parallelgzipwriter.h"

#include <QFile>
#include <QIODevice>

#include <algorithm>
#include <archive.h>
#include <archive_entry.h>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <functional>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

namespace codalab::util {

namespace {

constexpr qint64 blockSize = 64 * 1024;

// libarchive writes the plain tar here; the gzip stream is compressed on every core.
la_ssize_t writeGzip(archive *a, void *data, const void *block, size_t length)
{
    auto *gzip = static_cast<ParallelGzipWriter *>(data);
    if (!gzip->write(static_cast<const char *>(block), length)) {
        archive_set_error(a, EIO, "%s", gzip->errorString().toLocal8Bit().constData());
        return -1;
    }
    return la_ssize_t(length);
}

// One walk of the source tree, stopping at the first error.
class Walk
{
public:
    Walk(archive *out, const QList<QByteArray> &patterns, const std::function<bool(qint64)> &onRead)
        : m_out(out)
        , m_patterns(patterns)
        , m_onRead(onRead)
    { }

    // `path` is absolute, `name` the member name ("." for the root, "./a/b" below it).
    bool add(const QByteArray &path, const QByteArray &name, const struct stat &st);

    QString error;
    qint64 entries = 0;

private:
    bool fail(const QByteArray &name, const QString &why)
    {
        error = QStringLiteral("Cannot archive \"%1\": %2").arg(QFile::decodeName(name), why);
        return false;
    }
    bool addChildren(const QByteArray &path, const QByteArray &name);
    bool writeData(const QByteArray &path, const QByteArray &name, qint64 size);

    archive *m_out;
    const QList<QByteArray> &m_patterns;
    const std::function<bool(qint64)> &m_onRead;
    QByteArray m_buffer = QByteArray(blockSize, Qt::Uninitialized);
};

bool Walk::add(const QByteArray &path, const QByteArray &name, const struct stat &st)
{
    // tar skips sockets; FIFOs and devices mean nothing in an uploaded bundle, and reading a FIFO blocks.
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode)) {
        return true;
    }
    std::unique_ptr<archive_entry, void (*)(archive_entry *)> entry(archive_entry_new(), archive_entry_free);
    archive_entry_copy_pathname(entry.get(), name.constData());
    archive_entry_copy_stat(entry.get(), &st);
    if (!S_ISREG(st.st_mode)) {
        archive_entry_set_size(entry.get(), 0); // a directory's or symlink's st_size is not content
    }
    if (S_ISLNK(st.st_mode)) {
        QByteArray target(st.st_size + 1, Qt::Uninitialized);
        const ssize_t n = ::readlink(path.constData(), target.data(), size_t(target.size()));
        if (n < 0 || n >= target.size()) {
            return fail(name, qt_error_string(errno));
        }
        target.truncate(n);
        archive_entry_copy_symlink(entry.get(), target.constData());
    }
    if (archive_write_header(m_out, entry.get()) < ARCHIVE_WARN) {
        return fail(name, QString::fromLocal8Bit(archive_error_string(m_out)));
    }
    ++entries;
    if (S_ISREG(st.st_mode)) {
        return writeData(path, name, st.st_size);
    }
    return !S_ISDIR(st.st_mode) || addChildren(path, name);
}

bool Walk::writeData(const QByteArray &path, const QByteArray &name, qint64 size)
{
    const int fd = ::open(path.constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        return fail(name, qt_error_string(errno));
    }
    // Up to the size in the header: a file that grew is cut there, one that shrank is padded by libarchive.
    qint64 remaining = size;
    QString why;
    while (remaining > 0 && why.isEmpty()) {
        const ssize_t n = ::read(fd, m_buffer.data(), size_t(qMin(remaining, qint64(m_buffer.size()))));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            why = qt_error_string(errno);
        } else if (n == 0) {
            break;
        } else if (archive_write_data(m_out, m_buffer.constData(), size_t(n)) < 0) {
            why = QString::fromLocal8Bit(archive_error_string(m_out));
        } else if (m_onRead && !m_onRead(n)) {
            why = QStringLiteral("cancelled");
        } else {
            remaining -= n;
        }
    }
    ::close(fd);
    return why.isEmpty() || fail(name, why);
}

bool Walk::addChildren(const QByteArray &path, const QByteArray &name)
{
    DIR *dir = ::opendir(path.constData());
    if (!dir) {
        return fail(name, qt_error_string(errno));
    }
    QList<QByteArray> children;
    while (const dirent *entry = ::readdir(dir)) {
        if (std::strcmp(entry->d_name, ".") != 0 && std::strcmp(entry->d_name, "..") != 0) {
            children.append(QByteArray(entry->d_name));
        }
    }
    ::closedir(dir);
    std::sort(children.begin(), children.end()); // the same tree gives the same archive
    for (const QByteArray &child : std::as_const(children)) {
        const QByteArray childName = name + '/' + child;
        if (TarGzWriter::isExcluded(childName.mid(2), m_patterns)) {
            continue;
        }
        const QByteArray childPath = path + '/' + child;
        struct stat st;
        if (::lstat(childPath.constData(), &st) != 0) {
            if (errno == ENOENT) {
                continue; // removed since the listing: tar warns and goes on too
            }
            return fail(childName, qt_error_string(errno));
        }
        if (!add(childPath, childName, st)) {
            return false;
        }
    }
    return true;
}

} // namespace

ArchiveResult TarGzWriter::write(const QString &sourceDir, QIODevice *out, const QStringList &excludePatterns)
{
    struct stat st;
    if (::stat(QFile::encodeName(sourceDir).constData(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        ArchiveResult result;
        result.error = QStringLiteral("Cannot archive \"%1\": not a directory").arg(sourceDir);
        return result;
    }
    Options options;
    options.excludePatterns = excludePatterns;
    return write({ Member { sourceDir, QString() } }, out, options);
}

ArchiveResult TarGzWriter::write(const QList<Member> &members, QIODevice *out, const Options &options)
{
    ArchiveResult result;
    if (!out || !out->isWritable()) {
        result.error = QStringLiteral("Cannot archive: the output is not open for writing");
        return result;
    }
    QList<QByteArray> patterns;
    for (const QString &pattern : options.excludePatterns) {
        if (!pattern.isEmpty()) {
            patterns.append(QFile::encodeName(pattern));
        }
    }
    ParallelGzipWriter gzip(out, options.compressionLevel, options.threads);
    std::unique_ptr<archive, int (*)(archive *)> a(archive_write_new(), archive_write_free);
    archive_write_add_filter_none(a.get());
    archive_write_set_format_pax_restricted(a.get());
    // As `tar czf` writes it: the tar is padded to whole 10240-byte records (libarchive's default without a
    // filter); the gzip stream around it is not padded.
    if (archive_write_open(a.get(), &gzip, nullptr, writeGzip, nullptr) != ARCHIVE_OK) {
        result.error = QStringLiteral("Cannot write the archive: %1")
                           .arg(QString::fromLocal8Bit(archive_error_string(a.get())));
        return result;
    }
    Walk walk(a.get(), patterns, options.onRead);
    for (const Member &member : members) {
        const QByteArray path = QFile::encodeName(member.path);
        struct stat st;
        // A member named by the caller is followed if it is a link (as `tar -C dir .` follows the dir);
        // links inside it are stored as links.
        if (::stat(path.constData(), &st) != 0) {
            result.error
                = QStringLiteral("Cannot archive \"%1\": %2").arg(member.path, qt_error_string(errno));
            return result;
        }
        const QByteArray name
            = member.name.isEmpty() ? QByteArrayLiteral(".") : "./" + QFile::encodeName(member.name);
        if (!walk.add(path, name, st)) {
            result.entries = walk.entries;
            result.error = walk.error;
            return result;
        }
    }
    result.entries = walk.entries;
    if (archive_write_close(a.get()) != ARCHIVE_OK) {
        result.error = QStringLiteral("Cannot write the archive: %1")
                           .arg(QString::fromLocal8Bit(archive_error_string(a.get())));
        return result;
    }
    if (!gzip.finish()) {
        result.error = QStringLiteral("Cannot write the archive: %1").arg(gzip.errorString());
        return result;
    }
    result.bytesWritten = gzip.bytesWritten();
    result.ok = true;
    return result;
}

bool TarGzWriter::isExcluded(const QByteArray &relativePath, const QList<QByteArray> &patterns)
{
    const QByteArray dotted = QByteArrayLiteral("./") + relativePath;
    for (const QByteArray &pattern : patterns) {
        // GNU tar's defaults for --exclude: wildcards, "*" matching "/" (no FNM_PATHNAME), unanchored
        // (the whole path and every tail of it after a "/"), and a match on a directory covering what
        // is inside it (FNM_LEADING_DIR).
        if (::fnmatch(pattern.constData(), dotted.constData(), FNM_LEADING_DIR) == 0) {
            return true;
        }
        for (qsizetype from = 0;;) {
            if (::fnmatch(pattern.constData(), relativePath.constData() + from, FNM_LEADING_DIR) == 0) {
                return true;
            }
            const qsizetype slash = relativePath.indexOf('/', from);
            if (slash < 0) {
                break;
            }
            from = slash + 1;
        }
    }
    return false;
}

} // namespace codalab::util
