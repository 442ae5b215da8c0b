// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/controlsocketfile.h"

#include "util/logging.h"

#include <QFile>
#include <QFileInfo>
#include <QScopeGuard>
#include <QStringList>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace codalab::worker {

static_assert(ControlSocketFile::MaxPathBytes == qsizetype(sizeof(sockaddr_un::sun_path)) - 1,
    "MaxPathBytes must match this platform's sockaddr_un");

namespace {

QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

sockaddr_un unixAddress(const QByteArray &path)
{
    sockaddr_un address {};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, path.constData(), size_t(path.size()) + 1);
    return address;
}

int newUnixSocket(bool nonBlocking)
{
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd >= 0) {
        ::fcntl(fd, F_SETFD, FD_CLOEXEC);
        if (nonBlocking) {
            ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
        }
    }
    return fd;
}

/// Creates each missing directory on the way to `dir` with mode 0700 (mkpath would use 0777 & umask).
bool makeDirectories(const QString &dir, QString *error)
{
    QStringList missing;
    for (QString path = dir; !QFileInfo::exists(path);) {
        missing.prepend(path);
        const QString up = QFileInfo(path).path();
        if (up == path) {
            break;
        }
        path = up;
    }
    for (const QString &path : std::as_const(missing)) {
        if (::mkdir(QFile::encodeName(path).constData(), 0700) != 0 && errno != EEXIST) {
            *error = QStringLiteral("cannot create the directory %1: %2").arg(path, errnoText(errno));
            return false;
        }
    }
    if (!QFileInfo(dir).isDir()) {
        *error = QStringLiteral("%1 is not a directory").arg(dir);
        return false;
    }
    return true;
}

enum class Probe { Stale, Live, Failed };

/// Whether anybody accepts connections on an existing socket file, without blocking.
Probe probeSocket(const QByteArray &path, int *failure)
{
    const int fd = newUnixSocket(true);
    if (fd < 0) {
        *failure = errno;
        return Probe::Failed;
    }
    const sockaddr_un address = unixAddress(path);
    const int rc = ::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof(address));
    const int error = rc == 0 ? 0 : errno;
    ::close(fd);
    // EAGAIN: the listener's backlog is full, so somebody is listening.
    if (rc == 0 || error == EAGAIN || error == EINPROGRESS) {
        return Probe::Live;
    }
    if (error == ECONNREFUSED || error == ENOENT) {
        return Probe::Stale;
    }
    *failure = error;
    return Probe::Failed;
}

/// A listening socket at `path`, mode 0600 from the moment it appears there: it is bound inside a fresh
/// 0700 directory (nobody else can reach it), chmod'ed, and then hard-linked into place. link() never
/// replaces an existing file, so a file that appeared since the caller's check is left alone.
int createListeningSocket(const QByteArray &path, int backlog, QString *error)
{
    QByteArray privateDir = QFile::encodeName(QFileInfo(QFile::decodeName(path)).absolutePath()) + "/.XXXXXX";
    if (::mkdtemp(privateDir.data()) == nullptr) {
        *error = QStringLiteral("cannot create a private directory next to %1: %2")
                     .arg(QFile::decodeName(path), errnoText(errno));
        return -1;
    }
    const QByteArray privatePath = privateDir + "/s";
    int fd = -1;
    const auto cleanup = qScopeGuard([&] {
        ::unlink(privatePath.constData());
        ::rmdir(privateDir.constData());
    });
    const auto fail = [&](const QString &message) {
        *error = message;
        if (fd >= 0) {
            ::close(fd);
        }
        return -1;
    };
    fd = newUnixSocket(false);
    if (fd < 0) {
        return fail(QStringLiteral("cannot create a unix socket: %1").arg(errnoText(errno)));
    }
    const sockaddr_un address = unixAddress(privatePath);
    if (::bind(fd, reinterpret_cast<const sockaddr *>(&address), sizeof(address)) != 0
        || ::chmod(privatePath.constData(), 0600) != 0 || ::listen(fd, backlog) != 0) {
        return fail(QStringLiteral("cannot set up a socket for %1: %2")
                        .arg(QFile::decodeName(path), errnoText(errno)));
    }
    if (::link(privatePath.constData(), path.constData()) != 0) {
        if (errno == EEXIST) {
            return fail(QStringLiteral("%1 appeared while this worker was starting; is another worker "
                                       "starting with the same control socket?")
                            .arg(QFile::decodeName(path)));
        }
        return fail(
            QStringLiteral("cannot create the socket %1: %2").arg(QFile::decodeName(path), errnoText(errno)));
    }
    return fd;
}

} // namespace

ControlSocketFile::ControlSocketFile(QString path)
    : m_path(std::move(path))
{ }

ControlSocketFile::~ControlSocketFile()
{
    remove();
}

int ControlSocketFile::create(int backlog, QString *error)
{
    const auto fail = [&](const QString &message) {
        *error = message;
        return -1;
    };
    const QByteArray path = QFile::encodeName(m_path);
    // The socket is first bound in a private directory beside it, "<dir>/.XXXXXX/s", which must fit as well.
    const qsizetype needed = qMax(path.size(), QFile::encodeName(QFileInfo(m_path).path()).size() + 10);
    if (needed > MaxPathBytes) {
        return fail(
            QStringLiteral("the socket path %1 is too long: it needs %2 bytes of a unix socket address, "
                           "which holds %3")
                .arg(m_path)
                .arg(needed)
                .arg(MaxPathBytes));
    }
    QString why;
    if (!makeDirectories(QFileInfo(m_path).absolutePath(), &why)) {
        return fail(why);
    }
    struct stat info = {};
    if (::lstat(path.constData(), &info) == 0) {
        if (!S_ISSOCK(info.st_mode)) {
            return fail(QStringLiteral("%1 exists and is not a socket; not touching it").arg(m_path));
        }
        int failure = 0;
        switch (probeSocket(path, &failure)) {
        case Probe::Live:
            return fail(QStringLiteral("another worker is already listening on %1").arg(m_path));
        case Probe::Failed:
            return fail(
                QStringLiteral("cannot check the existing socket %1: %2").arg(m_path, errnoText(failure)));
        case Probe::Stale:
            qCInfo(lcControl).noquote() << "replacing the stale control socket" << m_path;
            if (::unlink(path.constData()) != 0 && errno != ENOENT) {
                return fail(
                    QStringLiteral("cannot remove the stale socket %1: %2").arg(m_path, errnoText(errno)));
            }
            break;
        }
    } else if (errno != ENOENT) {
        return fail(QStringLiteral("cannot inspect %1: %2").arg(m_path, errnoText(errno)));
    }

    const int fd = createListeningSocket(path, backlog, &why);
    if (fd < 0) {
        return fail(why);
    }
    if (::lstat(path.constData(), &info) == 0) {
        m_fileDevice = quint64(info.st_dev);
        m_fileInode = quint64(info.st_ino);
        m_ownsFile = true;
    }
    return fd;
}

void ControlSocketFile::remove()
{
    if (!m_ownsFile) {
        return;
    }
    m_ownsFile = false;
    const QByteArray path = QFile::encodeName(m_path);
    struct stat info = {};
    if (::lstat(path.constData(), &info) == 0 && quint64(info.st_dev) == m_fileDevice
        && quint64(info.st_ino) == m_fileInode) {
        ::unlink(path.constData());
    }
}

} // namespace codalab::worker
