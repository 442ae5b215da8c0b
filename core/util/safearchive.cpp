// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/safearchive.h"

#include "util/archivepathguard.h"
#include "util/bytesize.h"
#include "util/stagingdirectory.h"
#include "util/targzwriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QIODevice>
#include <QSaveFile>

#include <archive.h>
#include <archive_entry.h>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <sys/stat.h>

namespace codalab::util {

namespace {

using ArchivePtr = std::unique_ptr<archive, int (*)(archive *)>;

constexpr qint64 blockSize = 64 * 1024;
// Below this much output the ratio says little: a 200-byte .tar.gz of one empty file is 10 KiB of tar.
constexpr qint64 ratioFloor = 1 << 20;

// libarchive pulls compressed bytes through this, counting them for the expansion ratio.
struct DeviceSource
{
    QIODevice *device = nullptr;
    QByteArray buffer = QByteArray(blockSize, Qt::Uninitialized);
    qint64 bytesRead = 0;
};

la_ssize_t readDevice(archive *a, void *data, const void **block)
{
    auto *source = static_cast<DeviceSource *>(data);
    qint64 n = source->device->read(source->buffer.data(), source->buffer.size());
    // A pipe or socket with nothing buffered reads 0 without being at its end; libarchive takes 0 as EOF.
    while (n == 0 && source->device->isSequential() && source->device->waitForReadyRead(-1)) {
        n = source->device->read(source->buffer.data(), source->buffer.size());
    }
    if (n < 0) {
        archive_set_error(a, EIO, "%s", source->device->errorString().toLocal8Bit().constData());
        return -1;
    }
    source->bytesRead += n;
    *block = source->buffer.constData();
    return n;
}

la_int64_t seekDevice(archive *, void *data, la_int64_t offset, int whence)
{
    QIODevice *device = static_cast<DeviceSource *>(data)->device;
    const qint64 base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? device->pos() : device->size();
    return device->seek(base + offset) ? device->pos() : ARCHIVE_FATAL;
}

QString archiveError(archive *a)
{
    const char *message = archive_error_string(a);
    return message ? QString::fromLocal8Bit(message) : QStringLiteral("unknown libarchive error");
}

QString memberError(const QByteArray &name, const QString &why)
{
    return QStringLiteral("Unsafe archive member \"%1\": %2").arg(QFile::decodeName(name), why);
}

QString byteLimitError(const QByteArray &name, qint64 maxBytes)
{
    return memberError(name,
        QStringLiteral("expands past the limit of %1 (%2 bytes)")
            .arg(ByteSize::format(maxBytes))
            .arg(maxBytes));
}

bool ratioExceeded(archive *in, const DeviceSource &source, double maxRatio)
{
    // Filter 0 is the one next to the tar reader: what all decompression together put out.
    const qint64 expanded = archive_filter_bytes(in, 0);
    return maxRatio > 0 && expanded > ratioFloor && double(expanded) > maxRatio * double(source.bytesRead);
}

QString ratioError(const QByteArray &name, double maxRatio)
{
    return memberError(name, QStringLiteral("expands more than %1 times its compressed size").arg(maxRatio));
}

// umask() can only be read by setting it, which races with other threads creating files.
mode_t currentUmask()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (status.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("Umask:")) {
                bool ok = false;
                const uint mask = line.mid(6).trimmed().toUInt(&ok, 8);
                if (ok) {
                    return mode_t(mask);
                }
            }
        }
    }
    return 022;
}

// The absolute, canonical target: no symlink in its parent's path, which libarchive's check would trip on.
std::optional<QString> prepareTarget(const QString &target, QString *error)
{
    const QFileInfo info(QDir::cleanPath(QDir(target).absolutePath()));
    const QString name = info.fileName();
    if (target.isEmpty() || name.isEmpty() || name == QLatin1String("..")) {
        *error = QStringLiteral("Cannot extract into \"%1\": not a usable path").arg(target);
        return std::nullopt;
    }
    if (!QDir().mkpath(info.path())) {
        *error = QStringLiteral("Cannot create the directory \"%1\"").arg(info.path());
        return std::nullopt;
    }
    return QFileInfo(info.path()).canonicalFilePath() + QLatin1Char('/') + name;
}

} // namespace

ArchiveResult SafeArchive::extract(QIODevice *device, const QString &targetDir, const ArchiveLimits &limits)
{
    ArchiveResult result;
    const auto fail = [&](const QString &error) {
        result.error = error;
        return result;
    };
    QString error;
    const std::optional<QString> target = prepareTarget(targetDir, &error);
    if (!target) {
        return fail(error);
    }
    struct stat st;
    if (::lstat(QFile::encodeName(*target).constData(), &st) == 0
        && (!S_ISDIR(st.st_mode)
            || !QDir(*target).isEmpty(
                QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot))) {
        return fail(QStringLiteral("Cannot extract into \"%1\": it exists and is not an empty directory")
                        .arg(*target));
    }
    if (!device || !device->isReadable()) {
        return fail(
            QStringLiteral("Cannot extract into \"%1\": the archive is not open for reading").arg(*target));
    }
    // Declared before the archives, so it is removed after libarchive applied its last directory modes.
    StagingDirectory staging(*target);
    if (!staging.isValid()) {
        return fail(staging.errorString());
    }
    const QByteArray root = QFile::encodeName(staging.path());

    DeviceSource source;
    source.device = device;
    ArchivePtr in(archive_read_new(), archive_read_free);
    archive_read_support_format_tar(in.get());
    archive_read_support_format_empty(in.get());
    if (limits.allowZip) {
        // From a file, the central directory decides what is in it (as unzip reads it); a stream can only be
        // read front to back.
        if (device->isSequential()) {
            archive_read_support_format_zip_streamable(in.get());
        } else {
            archive_read_support_format_zip_seekable(in.get());
            archive_read_set_seek_callback(in.get(), seekDevice);
        }
    }
    // Filters libarchive runs in-process only: support_filter_all() would also start lzop or lrzip.
    archive_read_support_filter_gzip(in.get());
    archive_read_support_filter_bzip2(in.get());
    archive_read_support_filter_xz(in.get());
    if (archive_read_open(in.get(), &source, nullptr, readDevice, nullptr) != ARCHIVE_OK) {
        return fail(QStringLiteral("Cannot read the archive: %1").arg(archiveError(in.get())));
    }
    ArchivePtr out(archive_write_disk_new(), archive_write_free);
    // Not ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS: libarchive resolves relative names against the process's
    // working directory, which a worker thread must not change, so members are written under the staging
    // directory's absolute path; ArchivePathGuard has refused absolute member names already.
    archive_write_disk_set_options(out.get(),
        ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_SECURE_SYMLINKS
            | ARCHIVE_EXTRACT_SECURE_NODOTDOT);

    ArchivePathGuard guard;
    std::optional<mode_t> rootMode;
    for (;;) {
        archive_entry *entry = nullptr;
        const int status = archive_read_next_header(in.get(), &entry);
        if (status == ARCHIVE_EOF) {
            break;
        }
        if (status < ARCHIVE_WARN) {
            return fail(QStringLiteral("Cannot read the archive: %1").arg(archiveError(in.get())));
        }
        const QByteArray name = archive_entry_pathname(entry);
        if (++result.entries > limits.maxEntries) {
            return fail(memberError(
                name, QStringLiteral("the archive has more than %1 members").arg(limits.maxEntries)));
        }
        if (ratioExceeded(in.get(), source, limits.maxRatio)) {
            return fail(ratioError(name, limits.maxRatio));
        }
        const std::optional<AdmittedMember> member = guard.admit(name, archive_entry_filetype(entry),
            archive_entry_symlink(entry), archive_entry_hardlink(entry), &error);
        if (!member) {
            return fail(error);
        }
        const mode_t perm = archive_entry_perm(entry) & ~mode_t(S_ISUID | S_ISGID);
        if (member->path.isEmpty()) {
            rootMode = perm; // the staging directory is the root; its mode is set once it is complete
            continue;
        }
        const QByteArray diskPath = root + '/' + member->path;
        const QByteArray linkPath
            = member->hardLinkTarget.isEmpty() ? QByteArray() : root + '/' + member->hardLinkTarget;
        // At PATH_MAX libarchive starts chdir()ing through the path, which would move every thread's cwd.
        if (diskPath.size() >= PATH_MAX - 1 || linkPath.size() >= PATH_MAX - 1) {
            return fail(memberError(name, QStringLiteral("name too long")));
        }
        if (archive_entry_size_is_set(entry)
            && archive_entry_size(entry) > limits.maxBytes - result.bytesWritten) {
            return fail(byteLimitError(name, limits.maxBytes));
        }
        archive_entry_set_perm(entry, perm);
        archive_entry_copy_pathname(entry, diskPath.constData());
        if (!linkPath.isEmpty()) {
            archive_entry_copy_hardlink(entry, linkPath.constData());
        }
        if (archive_write_header(out.get(), entry) < ARCHIVE_WARN) {
            return fail(memberError(name, archiveError(out.get())));
        }
        qint64 fileEnd = 0;
        const void *block = nullptr;
        size_t length = 0;
        la_int64_t offset = 0;
        int read = ARCHIVE_OK;
        while ((read = archive_read_data_block(in.get(), &block, &length, &offset)) == ARCHIVE_OK) {
            // The end, not the sum: a sparse member's holes count, as a reader of the file will see them.
            fileEnd = qMax(fileEnd, qint64(offset) + qint64(length));
            if (fileEnd > limits.maxBytes - result.bytesWritten) {
                return fail(byteLimitError(name, limits.maxBytes));
            }
            if (ratioExceeded(in.get(), source, limits.maxRatio)) {
                return fail(ratioError(name, limits.maxRatio));
            }
            if (archive_write_data_block(out.get(), block, length, offset) < ARCHIVE_WARN) {
                return fail(memberError(name, archiveError(out.get())));
            }
        }
        if (read != ARCHIVE_EOF) {
            return fail(memberError(name, archiveError(in.get())));
        }
        result.bytesWritten += fileEnd;
        if (archive_write_finish_entry(out.get()) < ARCHIVE_WARN) {
            return fail(memberError(name, archiveError(out.get())));
        }
    }
    if (archive_write_close(out.get()) != ARCHIVE_OK) {
        return fail(QStringLiteral("Cannot finish extracting: %1").arg(archiveError(out.get())));
    }
    if (!staging.commit(rootMode.value_or(0777 & ~currentUmask()), &error)) {
        return fail(error);
    }
    result.ok = true;
    return result;
}

ArchiveResult SafeArchive::extract(
    const QString &archivePath, const QString &targetDir, const ArchiveLimits &limits)
{
    QFile file(archivePath);
    if (!file.open(QIODevice::ReadOnly)) {
        ArchiveResult result;
        result.error
            = QStringLiteral("Cannot open the archive \"%1\": %2").arg(archivePath, file.errorString());
        return result;
    }
    return extract(&file, targetDir, limits);
}

namespace {
ArchiveResult decompress(QIODevice *gzip, const QString &targetFile, const ArchiveLimits &limits, bool bzip2);
} // namespace

ArchiveResult SafeArchive::gunzipFile(QIODevice *gzip, const QString &targetFile, const ArchiveLimits &limits)
{
    return decompress(gzip, targetFile, limits, false);
}

ArchiveResult SafeArchive::decompressFile(
    QIODevice *compressed, const QString &targetFile, const ArchiveLimits &limits)
{
    return decompress(compressed, targetFile, limits, true);
}

namespace {
ArchiveResult decompress(QIODevice *gzip, const QString &targetFile, const ArchiveLimits &limits, bool bzip2)
{
    ArchiveResult result;
    const auto fail = [&](const QString &error) {
        result.error = error;
        return result;
    };
    QString error;
    const std::optional<QString> target = prepareTarget(targetFile, &error);
    if (!target) {
        return fail(error);
    }
    const QByteArray name = QFile::encodeName(QFileInfo(*target).fileName());
    struct stat st;
    if (::lstat(QFile::encodeName(*target).constData(), &st) == 0 && !S_ISREG(st.st_mode)) {
        return fail(QStringLiteral("Cannot write \"%1\": it exists and is not a regular file").arg(*target));
    }
    if (!gzip || !gzip->isReadable()) {
        return fail(
            QStringLiteral("Cannot write \"%1\": the gzip stream is not open for reading").arg(*target));
    }
    DeviceSource source;
    source.device = gzip;
    ArchivePtr in(archive_read_new(), archive_read_free);
    archive_read_support_filter_gzip(in.get());
    if (bzip2) {
        archive_read_support_filter_bzip2(in.get());
    }
    archive_read_support_format_raw(in.get());
    archive_entry *entry = nullptr;
    if (archive_read_open(in.get(), &source, nullptr, readDevice, nullptr) != ARCHIVE_OK
        || archive_read_next_header(in.get(), &entry) < ARCHIVE_WARN) {
        return fail(QStringLiteral("Cannot read the gzip stream for \"%1\": %2")
                        .arg(*target, archiveError(in.get())));
    }
    // The raw format takes any bytes; only a stream that went through a decompressing filter is what was
    // asked.
    const int filter = archive_filter_code(in.get(), 0);
    if (filter != ARCHIVE_FILTER_GZIP && !(bzip2 && filter == ARCHIVE_FILTER_BZIP2)) {
        return fail(QStringLiteral("Cannot write \"%1\": the data is not %2-compressed")
                        .arg(*target, bzip2 ? QStringLiteral("gzip- or bzip2") : QStringLiteral("gzip")));
    }
    QSaveFile file(*target);
    file.setDirectWriteFallback(false);
    if (!file.open(QIODevice::WriteOnly)) {
        return fail(QStringLiteral("Cannot write \"%1\": %2").arg(*target, file.errorString()));
    }
    result.entries = 1;
    const void *block = nullptr;
    size_t length = 0;
    la_int64_t offset = 0;
    int read = ARCHIVE_OK;
    while ((read = archive_read_data_block(in.get(), &block, &length, &offset)) == ARCHIVE_OK) {
        if (qint64(length) > limits.maxBytes - result.bytesWritten) {
            return fail(byteLimitError(name, limits.maxBytes));
        }
        if (ratioExceeded(in.get(), source, limits.maxRatio)) {
            return fail(ratioError(name, limits.maxRatio));
        }
        if (file.write(static_cast<const char *>(block), qint64(length)) != qint64(length)) {
            return fail(QStringLiteral("Cannot write \"%1\": %2").arg(*target, file.errorString()));
        }
        result.bytesWritten += qint64(length);
    }
    if (read != ARCHIVE_EOF) {
        return fail(QStringLiteral("Cannot read the gzip stream for \"%1\": %2")
                        .arg(*target, archiveError(in.get())));
    }
    if (!file.commit()) {
        return fail(QStringLiteral("Cannot write \"%1\": %2").arg(*target, file.errorString()));
    }
    result.ok = true;
    return result;
}
} // namespace

ArchiveResult SafeArchive::gunzipFile(
    const QString &gzipPath, const QString &targetFile, const ArchiveLimits &limits)
{
    QFile file(gzipPath);
    if (!file.open(QIODevice::ReadOnly)) {
        ArchiveResult result;
        result.error = QStringLiteral("Cannot open \"%1\": %2").arg(gzipPath, file.errorString());
        return result;
    }
    return gunzipFile(&file, targetFile, limits);
}

ArchiveResult SafeArchive::create(
    const QString &sourceDir, QIODevice *out, const QStringList &excludePatterns)
{
    return TarGzWriter::write(sourceDir, out, excludePatterns);
}

ArchiveResult SafeArchive::create(
    const QString &sourceDir, const QString &archivePath, const QStringList &excludePatterns)
{
    QSaveFile file(archivePath);
    file.setDirectWriteFallback(false);
    ArchiveResult result;
    if (!file.open(QIODevice::WriteOnly)) {
        result.error = QStringLiteral("Cannot write \"%1\": %2").arg(archivePath, file.errorString());
        return result;
    }
    result = TarGzWriter::write(sourceDir, &file, excludePatterns);
    if (result.ok && !file.commit()) {
        result.ok = false;
        result.error = QStringLiteral("Cannot write \"%1\": %2").arg(archivePath, file.errorString());
    }
    return result;
}

bool SafeArchive::isExcluded(const QString &relativePath, const QStringList &patterns)
{
    QList<QByteArray> encoded;
    for (const QString &pattern : patterns) {
        if (!pattern.isEmpty()) {
            encoded.append(QFile::encodeName(pattern));
        }
    }
    return TarGzWriter::isExcluded(QFile::encodeName(relativePath), encoded);
}

} // namespace codalab::util
