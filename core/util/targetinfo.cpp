// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/targetinfo.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace codalab::util {

namespace {

// Each level of a walk keeps one descriptor open; deeper trees are pathological and are not descended,
// so a walk can neither run out of descriptors nor of stack.
constexpr int MaxNesting = 256;

class Descriptor
{
public:
    explicit Descriptor(int fd)
        : m_fd(fd)
    { }
    ~Descriptor()
    {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    Descriptor(const Descriptor &) = delete;
    Descriptor &operator=(const Descriptor &) = delete;
    int get() const { return m_fd; }
    bool isValid() const { return m_fd >= 0; }

private:
    int m_fd;
};

int openDirectory(int dirFd, const char *entry)
{
    return ::openat(dirFd, entry, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

QList<QByteArray> encodeNames(const QStringList &names)
{
    QList<QByteArray> out;
    for (const QString &name : names) {
        out.append(QFile::encodeName(name));
    }
    return out;
}

/// The names in an open directory, sorted bytewise, without "." and ".."; the descriptor stays the caller's.
QList<QByteArray> entriesOf(int dirFd)
{
    const int copy = ::fcntl(dirFd, F_DUPFD_CLOEXEC, 0);
    if (copy < 0) {
        return {};
    }
    DIR *dir = ::fdopendir(copy);
    if (!dir) {
        ::close(copy);
        return {};
    }
    ::rewinddir(dir); // a duplicate shares the offset of a descriptor read before
    QList<QByteArray> names;
    while (const dirent *entry = ::readdir(dir)) {
        if (std::strcmp(entry->d_name, ".") != 0 && std::strcmp(entry->d_name, "..") != 0) {
            names.append(QByteArray(entry->d_name));
        }
    }
    ::closedir(dir);
    std::sort(names.begin(), names.end());
    return names;
}

qint64 sizeUnder(int dirFd, int nesting, const QList<QByteArray> &hidden)
{
    qint64 total = 0;
    for (const QByteArray &name : entriesOf(dirFd)) {
        struct stat st;
        if (hidden.contains(name) || ::fstatat(dirFd, name.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
            continue;
        }
        if (S_ISREG(st.st_mode)) {
            total += st.st_size;
        } else if (S_ISDIR(st.st_mode) && nesting < MaxNesting) {
            const Descriptor child(openDirectory(dirFd, name.constData()));
            if (child.isValid()) {
                total += sizeUnder(child.get(), nesting + 1, {});
            }
        }
    }
    return total;
}

QString readLink(int dirFd, const char *entry, qint64 sizeHint)
{
    // st_size is the target's length on most file systems, 0 on some (procfs): grow until it fits.
    for (qint64 capacity = qMax<qint64>(sizeHint, 255) + 1; capacity <= (qint64(1) << 20); capacity *= 4) {
        QByteArray target(capacity, Qt::Uninitialized);
        const ssize_t n = ::readlinkat(dirFd, entry, target.data(), size_t(capacity));
        if (n < 0) {
            return {};
        }
        if (n < capacity) {
            target.truncate(n);
            return QFile::decodeName(target);
        }
    }
    return {};
}

std::optional<QJsonObject> infoAt(int dirFd, const QByteArray &entry, const QString &name, int depth,
    int nesting, const QList<QByteArray> &hidden)
{
    struct stat st;
    if (::fstatat(dirFd, entry.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        return std::nullopt;
    }
    // Upstream reports lstat's size and mode bits for every type, a symlink's included.
    QJsonObject info { { QStringLiteral("name"), name }, { QStringLiteral("size"), qint64(st.st_size) },
        { QStringLiteral("perm"), int(st.st_mode & 0777) } };
    if (S_ISLNK(st.st_mode)) {
        info.insert(QStringLiteral("type"), QStringLiteral("link"));
        info.insert(QStringLiteral("link"), readLink(dirFd, entry.constData(), st.st_size));
        return info;
    }
    if (!S_ISDIR(st.st_mode)) {
        info.insert(QStringLiteral("type"), QStringLiteral("file"));
        return info;
    }
    info.insert(QStringLiteral("type"), QStringLiteral("directory"));
    const Descriptor dir(openDirectory(dirFd, entry.constData()));
    if (!dir.isValid()) {
        // Unreadable, or swapped for something else since the lstat: nothing to say about its insides.
        info.insert(QStringLiteral("size"), 0);
        return info;
    }
    info.insert(QStringLiteral("size"), sizeUnder(dir.get(), nesting + 1, hidden));
    if (depth > 0 && nesting < MaxNesting) {
        QJsonArray contents;
        for (const QByteArray &child : entriesOf(dir.get())) {
            if (hidden.contains(child)) {
                continue;
            }
            if (auto childInfo
                = infoAt(dir.get(), child, QFile::decodeName(child), depth - 1, nesting + 1, {})) {
                contents.append(*childInfo);
            }
        }
        info.insert(QStringLiteral("contents"), contents);
    }
    return info;
}

/// The directory holding `path`, opened, and the name of `path` in it ("." for a root).
std::pair<int, QByteArray> openParent(const QString &path)
{
    const QFileInfo file(QDir::cleanPath(QDir(path).absolutePath()));
    const QString entry = file.fileName();
    const QString parent = entry.isEmpty() ? file.filePath() : file.absolutePath();
    const int fd = ::open(QFile::encodeName(parent).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    return { fd, entry.isEmpty() ? QByteArrayLiteral(".") : QFile::encodeName(entry) };
}

} // namespace

std::optional<QJsonObject> TargetInfo::at(
    int dirFd, const QByteArray &entry, const QString &name, int depth, const QStringList &hiddenAtTop)
{
    return infoAt(dirFd, entry, name, depth, 0, encodeNames(hiddenAtTop));
}

std::optional<QJsonObject> TargetInfo::of(
    const QString &path, const QString &name, int depth, const QStringList &hiddenAtTop)
{
    const auto [fd, entry] = openParent(path);
    const Descriptor parent(fd);
    if (!parent.isValid()) {
        return std::nullopt;
    }
    return at(parent.get(), entry, name, depth, hiddenAtTop);
}

qint64 TargetInfo::diskSize(const QString &path)
{
    const auto [fd, entry] = openParent(path);
    const Descriptor parent(fd);
    struct stat st;
    if (!parent.isValid() || ::fstatat(parent.get(), entry.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        return 0;
    }
    if (S_ISREG(st.st_mode)) {
        return st.st_size;
    }
    if (!S_ISDIR(st.st_mode)) {
        return 0;
    }
    const Descriptor dir(openDirectory(parent.get(), entry.constData()));
    return dir.isValid() ? sizeUnder(dir.get(), 0, {}) : 0;
}

} // namespace codalab::util
