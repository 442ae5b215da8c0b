// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/stagingdirectory.h"

#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace codalab::util {

namespace {

// Removes `name` in the directory `parentFd` and, if it is a directory, everything in it, by file
// descriptor and raw name: no symlink is followed and names that are not UTF-8 are removed too.
void removeTreeAt(int parentFd, const char *name)
{
    if (::unlinkat(parentFd, name, 0) == 0 || (errno != EISDIR && errno != EPERM)) {
        return;
    }
    // A directory a run made unreadable or unwritable: make it ours to empty. If that fails, the
    // openat or the unlinks below fail too and leave it, which is all that can be done.
    if (::fchmodat(parentFd, name, S_IRWXU, 0) != 0 && errno != EPERM) {
        return;
    }
    const int fd = ::openat(parentFd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        return;
    }
    DIR *dir = ::fdopendir(fd);
    if (!dir) {
        ::close(fd);
        return;
    }
    while (const dirent *entry = ::readdir(dir)) {
        if (std::strcmp(entry->d_name, ".") != 0 && std::strcmp(entry->d_name, "..") != 0) {
            removeTreeAt(::dirfd(dir), entry->d_name);
        }
    }
    ::closedir(dir);
    ::unlinkat(parentFd, name, AT_REMOVEDIR);
}

} // namespace

StagingDirectory::StagingDirectory(const QString &target)
    : m_target(target)
{
    const QFileInfo info(target);
    QByteArray path = QFile::encodeName(info.path() + QStringLiteral("/.") + info.fileName())
        + QByteArrayLiteral(".partial-XXXXXX");
    if (::mkdtemp(path.data())) {
        m_path = QFile::decodeName(path);
    } else {
        m_error = QStringLiteral("Cannot create a directory next to \"%1\": %2")
                      .arg(target, qt_error_string(errno));
    }
}

StagingDirectory::~StagingDirectory()
{
    if (isValid() && !m_committed) {
        removeTree(m_path);
    }
}

bool StagingDirectory::commit(uint mode, QString *error)
{
    const QByteArray from = QFile::encodeName(m_path);
    if (::chmod(from.constData(), mode_t(mode)) != 0
        || ::rename(from.constData(), QFile::encodeName(m_target).constData()) != 0) {
        *error = QStringLiteral("Cannot move the extracted files to \"%1\": %2")
                     .arg(m_target, qt_error_string(errno));
        return false;
    }
    m_committed = true;
    return true;
}

void StagingDirectory::removeTree(const QString &path)
{
    removeTreeAt(AT_FDCWD, QFile::encodeName(path).constData());
}

} // namespace codalab::util
