// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/runfilereader.h"

#include "util/safearchive.h"
#include "util/targetinfo.h"
#include "worker/filesummary.h"
#include "worker/gzipfilewriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryFile>

#include <cerrno>
#include <cmath>
#include <fcntl.h>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace codalab::worker {

namespace {

constexpr int MaxDepth = 20; // as the local server caps it
// Upstream's tar_gzip_directory leaves these out of every streamed directory (ALWAYS_IGNORE_PATTERNS).
const QStringList AlwaysIgnored { QStringLiteral(".git"), QStringLiteral("._*"), QStringLiteral("__MACOSX") };

/// A file descriptor, closed when it goes.
class Fd
{
public:
    explicit Fd(int fd = -1)
        : m_fd(fd)
    { }
    Fd(Fd &&other) noexcept
        : m_fd(std::exchange(other.m_fd, -1))
    { }
    Fd &operator=(Fd &&other) noexcept
    {
        std::swap(m_fd, other.m_fd);
        return *this;
    }
    ~Fd()
    {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    int get() const { return m_fd; }
    bool isValid() const { return m_fd >= 0; }

private:
    int m_fd;
};

ReadAnswer failure(int code, const QString &message)
{
    ReadAnswer answer;
    answer.json = QJsonObject { { QStringLiteral("error_code"), code },
        { QStringLiteral("error_message"), message } };
    return answer;
}

/// A non-negative integer argument, or nullopt (absent, fractional, negative or not a number).
std::optional<qint64> count(const QJsonObject &args, const char *key)
{
    const QJsonValue value = args.value(QLatin1String(key));
    const double d = value.toDouble(-1);
    if (!value.isDouble() || d < 0 || d > 9007199254740992.0 || std::floor(d) != d) {
        return std::nullopt;
    }
    return qint64(d);
}

/// Where a path in the run directory leads: the directory holding it, open, and its name in there.
struct Target
{
    Fd dir;
    QByteArray entry; ///< "." for the run directory itself
    QString subpath; ///< cleaned; empty for the run directory
    QString uuid;
    struct stat st = {};
    bool exists = false;

    bool isRoot() const { return subpath.isEmpty(); }
    QString notFound() const { return QStringLiteral("Path '%1' in bundle %2 not found").arg(subpath, uuid); }
    QString isLink() const
    {
        return QStringLiteral("%1/%2 is a symlink and following symlinks is not allowed.").arg(uuid, subpath);
    }
};

/// Walks `path` down from the run directory one directory at a time, never through a symlink.
std::optional<Target> resolve(const QString &runDir, const QString &uuid, const QString &path,
    const QStringList &hidden, ReadAnswer *error)
{
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (path.startsWith(QLatin1Char('/')) || parts.contains(QLatin1String(".."))
        || parts.contains(QLatin1String("."))) {
        *error = failure(404, QStringLiteral("%1/%2 is not inside the bundle.").arg(uuid, path));
        return std::nullopt;
    }
    if (!parts.isEmpty() && hidden.contains(parts.first())) {
        *error = failure(404, QStringLiteral("%1 not found in bundle %2").arg(path, uuid));
        return std::nullopt;
    }
    Target t;
    t.uuid = uuid;
    t.subpath = parts.join(QLatin1Char('/'));
    t.dir = Fd(::open(QFile::encodeName(runDir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!t.dir.isValid()) {
        *error = failure(
            500, QStringLiteral("Cannot open the run directory of %1: %2").arg(uuid, qt_error_string(errno)));
        return std::nullopt;
    }
    for (qsizetype i = 0; i + 1 < parts.size(); ++i) {
        const QByteArray name = QFile::encodeName(parts.at(i));
        Fd next(::openat(t.dir.get(), name.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!next.isValid()) {
            const int why = errno;
            struct stat st;
            if (::fstatat(t.dir.get(), name.constData(), &st, AT_SYMLINK_NOFOLLOW) == 0
                && S_ISLNK(st.st_mode)) {
                *error = failure(404,
                    QStringLiteral(
                        "Path '%1' in bundle %2 goes through a symbolic link, which is not followed")
                        .arg(t.subpath, uuid));
            } else if (why == ENOENT || why == ENOTDIR) {
                *error = failure(404, t.notFound());
            } else {
                *error
                    = failure(500, QStringLiteral("Cannot read %1: %2").arg(t.subpath, qt_error_string(why)));
            }
            return std::nullopt;
        }
        t.dir = std::move(next);
    }
    t.entry = parts.isEmpty() ? QByteArrayLiteral(".") : QFile::encodeName(parts.last());
    t.exists = ::fstatat(t.dir.get(), t.entry.constData(), &t.st, AT_SYMLINK_NOFOLLOW) == 0;
    if (!t.exists && errno != ENOENT) {
        *error = failure(500, QStringLiteral("Cannot read %1: %2").arg(t.subpath, qt_error_string(errno)));
        return std::nullopt;
    }
    return t;
}

/// The target, opened for reading when it is a regular file, and its size then.
struct OpenedFile
{
    Fd fd;
    qint64 size = 0;
};

std::optional<OpenedFile> openFile(const Target &t, ReadAnswer *error)
{
    const QString notRegular
        = QStringLiteral("Path '%1' in bundle %2 is not a regular file").arg(t.subpath, t.uuid);
    if (!t.exists || S_ISLNK(t.st.st_mode)) {
        *error = failure(404, t.exists ? t.isLink() : t.notFound());
        return std::nullopt;
    }
    if (!S_ISREG(t.st.st_mode)) {
        *error = failure(400,
            S_ISDIR(t.st.st_mode)
                ? QStringLiteral("Path '%1' in bundle %2 is a directory").arg(t.subpath, t.uuid)
                : notRegular);
        return std::nullopt;
    }
    // O_NONBLOCK: should a FIFO have been swapped in since the lstat, opening it must not hang.
    OpenedFile file { Fd(
        ::openat(t.dir.get(), t.entry.constData(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) };
    const int why = errno;
    struct stat st;
    if (!file.fd.isValid()) {
        *error = why == ELOOP ? failure(404, t.isLink())
            : why == ENOENT
            ? failure(404, t.notFound())
            : failure(500, QStringLiteral("Cannot read %1: %2").arg(t.subpath, qt_error_string(why)));
        return std::nullopt;
    }
    if (::fstat(file.fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
        *error = failure(400, notRegular);
        return std::nullopt;
    }
    file.size = st.st_size;
    return file;
}

/// The data reply of a finished gzip body, its file now the caller's; or a 500 with what failed.
ReadAnswer dataAnswer(GzipFileWriter &out)
{
    if (!out.finish()) {
        return failure(500, out.errorString());
    }
    ReadAnswer answer;
    answer.isData = true;
    answer.dataFile = out.fileName();
    return answer;
}

ReadAnswer targetInfo(const Target &t, const QJsonObject &args, const QStringList &hidden)
{
    const auto depth = count(args, "depth");
    if (!depth) {
        return failure(400, QStringLiteral("get_target_info needs a depth of 0 or more"));
    }
    const QString name = t.isRoot() ? t.uuid : QFile::decodeName(t.entry);
    auto info = t.exists ? util::TargetInfo::at(t.dir.get(), t.entry, name,
                    int(qMin<qint64>(*depth, MaxDepth)), t.isRoot() ? hidden : QStringList())
                         : std::nullopt;
    if (!info) {
        return failure(404, t.notFound());
    }
    info->insert(QStringLiteral("resolved_target"),
        QJsonObject { { QStringLiteral("bundle_uuid"), t.uuid }, { QStringLiteral("subpath"), t.subpath } });
    ReadAnswer answer;
    answer.json = QJsonObject { { QStringLiteral("target_info"), *info } };
    return answer;
}

ReadAnswer streamDirectory(const Target &t, const QStringList &hidden, const QString &tempDir)
{
    if (!t.exists) {
        return failure(404, t.notFound());
    }
    if (S_ISLNK(t.st.st_mode)) {
        return failure(404, t.isLink());
    }
    if (!S_ISDIR(t.st.st_mode)) {
        return failure(
            400, QStringLiteral("Path '%1' in bundle %2 is not a directory").arg(t.subpath, t.uuid));
    }
    const Fd dir(::openat(t.dir.get(), t.entry.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!dir.isValid()) {
        return failure(404, t.notFound());
    }
    // Archived through the descriptor, so it is the directory checked above even if its path changes now.
    const QString procPath = QStringLiteral("/proc/self/fd/%1").arg(dir.get());
    QStringList patterns = AlwaysIgnored;
    if (t.isRoot()) {
        for (const QString &name : hidden) {
            // Top level only ("./name"), and the name taken literally, not as a glob.
            QString literal = QStringLiteral("./");
            for (const QChar c : name) {
                if (QStringView(u"*?[]\\").contains(c)) {
                    literal += QLatin1Char('\\');
                }
                literal += c;
            }
            patterns.append(literal);
        }
    }
    QDir().mkpath(tempDir);
    QTemporaryFile archive(QDir(tempDir).filePath(QStringLiteral("read-XXXXXX.tar.gz")));
    if (!archive.open()) {
        return failure(500,
            QStringLiteral("Cannot make a temporary file in %1: %2").arg(tempDir, archive.errorString()));
    }
    const util::ArchiveResult made = util::SafeArchive::create(procPath, &archive, patterns);
    if (!made.ok || !archive.flush()) {
        return failure(500, made.ok ? archive.errorString() : made.error);
    }
    archive.setAutoRemove(false);
    ReadAnswer answer;
    answer.isData = true;
    answer.dataFile = archive.fileName();
    return answer;
}

ReadAnswer streamFile(const Target &t, const QString &tempDir)
{
    ReadAnswer error;
    const auto file = openFile(t, &error);
    if (!file) {
        return error;
    }
    // Up to the size it had when opened: a stdout that keeps growing is streamed as it was when asked for.
    GzipFileWriter out(tempDir);
    out.copy(file->fd.get(), 0, file->size);
    return dataAnswer(out);
}

ReadAnswer readFileSection(const Target &t, const QJsonObject &args, const QString &tempDir)
{
    const auto offset = count(args, "offset");
    const auto length = count(args, "length");
    if (!offset || !length) {
        return failure(400, QStringLiteral("read_file_section needs an offset and a length of 0 or more"));
    }
    ReadAnswer error;
    const auto file = openFile(t, &error);
    if (!file) {
        return error;
    }
    GzipFileWriter out(tempDir);
    if (*offset < file->size) {
        out.copy(file->fd.get(), *offset, qMin(file->size, *offset + *length));
    }
    return dataAnswer(out);
}

ReadAnswer summarizeFile(const Target &t, const QJsonObject &args, const QString &tempDir)
{
    const auto head = count(args, "num_head_lines");
    const auto tail = count(args, "num_tail_lines");
    const auto maxLineLength = count(args, "max_line_length");
    const QJsonValue truncation = args.value(QLatin1String("truncation_text"));
    if (!head || !tail || !maxLineLength || *maxLineLength == 0 || !truncation.isString()) {
        return failure(400,
            QStringLiteral("summarize_file needs num_head_lines and num_tail_lines of 0 or more, a "
                           "max_line_length above 0 and a truncation_text"));
    }
    if (*head == 0 && *tail == 0) {
        return failure(400, QStringLiteral("summarize_file needs num_head_lines or num_tail_lines above 0"));
    }
    ReadAnswer error;
    const auto file = openFile(t, &error);
    if (!file) {
        return error;
    }
    const FileSummary summary = FileSummary::of(file->fd.get(), file->size, *head, *tail, *maxLineLength);
    GzipFileWriter out(tempDir);
    summary.writeTo(out, file->fd.get(), truncation.toString().toUtf8());
    return dataAnswer(out);
}

} // namespace

ReadAnswer RunFileReader::answer(const QString &runDir, const QString &bundleUuid, const QString &path,
    const QJsonObject &readArgs, const QStringList &hidden, const QString &tempDir)
{
    const QString type = readArgs.value(QLatin1String("type")).toString();
    static const QStringList types { QStringLiteral("get_target_info"), QStringLiteral("stream_directory"),
        QStringLiteral("stream_file"), QStringLiteral("read_file_section"),
        QStringLiteral("summarize_file") };
    if (!types.contains(type)) {
        return failure(400, QStringLiteral("Unsupported read_type for read: %1").arg(type));
    }
    ReadAnswer error;
    const auto target = resolve(runDir, bundleUuid, path, hidden, &error);
    if (!target) {
        return error;
    }
    if (type == QLatin1String("get_target_info")) {
        return targetInfo(*target, readArgs, hidden);
    }
    if (type == QLatin1String("stream_directory")) {
        return streamDirectory(*target, hidden, tempDir);
    }
    if (type == QLatin1String("stream_file")) {
        return streamFile(*target, tempDir);
    }
    if (type == QLatin1String("read_file_section")) {
        return readFileSection(*target, readArgs, tempDir);
    }
    return summarizeFile(*target, readArgs, tempDir);
}

bool RunFileReader::write(const QString &runDir, const QString &subpath, const QByteArray &text,
    const QStringList &hidden, QString *error)
{
    ReadAnswer refused;
    const auto t = resolve(runDir, QFileInfo(runDir).fileName(), subpath, hidden, &refused);
    const auto fail = [error](const QString &why) {
        if (error) {
            *error = why;
        }
        return false;
    };
    if (!t) {
        return fail(refused.json.value(QLatin1String("error_message")).toString());
    }
    if (t->isRoot()) {
        return fail(QStringLiteral("Cannot write to the bundle itself"));
    }
    if (t->exists && S_ISLNK(t->st.st_mode)) {
        return fail(QStringLiteral("%1 is a symbolic link; it is not written through").arg(t->subpath));
    }
    if (t->exists && !S_ISREG(t->st.st_mode)) {
        return fail(QStringLiteral("%1 is not a regular file").arg(t->subpath));
    }
    // Truncated only once known to be a regular file: whatever the container swaps in meanwhile is left
    // alone.
    const Fd fd(::openat(
        t->dir.get(), t->entry.constData(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666));
    struct stat st;
    if (!fd.isValid()) {
        return fail(QStringLiteral("Cannot write %1: %2").arg(t->subpath, qt_error_string(errno)));
    }
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
        return fail(QStringLiteral("%1 is not a regular file").arg(t->subpath));
    }
    if (::ftruncate(fd.get(), 0) != 0) {
        return fail(QStringLiteral("Cannot write %1: %2").arg(t->subpath, qt_error_string(errno)));
    }
    for (qint64 done = 0; done < text.size();) {
        const ssize_t n = ::write(fd.get(), text.constData() + done, size_t(text.size() - done));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return fail(QStringLiteral("Cannot write %1: %2").arg(t->subpath, qt_error_string(errno)));
        }
        done += n;
    }
    return true;
}

QJsonObject RunFileReader::notRunningReply()
{
    return QJsonObject { { QStringLiteral("error_code"), 500 },
        { QStringLiteral("error_message"), QStringLiteral("Bundle no longer running") } };
}

} // namespace codalab::worker
