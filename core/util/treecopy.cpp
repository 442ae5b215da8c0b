// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/treecopy.h"

#include "util/bytesize.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <climits>
#include <unistd.h>

namespace codalab::util {

namespace {

bool copyEntry(const QFileInfo &from, const QString &to, qint64 maxBytes, TreeCopy::Result &result)
{
    if (from.isSymLink()) {
        // The link's own text, relative or not (QFile::symLinkTarget() would resolve it).
        char buffer[PATH_MAX];
        const ssize_t n = ::readlink(QFile::encodeName(from.filePath()).constData(), buffer, sizeof(buffer));
        if (n < 0 || n >= ssize_t(sizeof(buffer))
            || ::symlink(QByteArray(buffer, int(n)).constData(), QFile::encodeName(to).constData()) != 0) {
            result.error = QStringLiteral("Cannot copy the link %1").arg(from.filePath());
            return false;
        }
        return true;
    }
    if (from.isDir()) {
        if (!QDir().mkpath(to)) {
            result.error = QStringLiteral("Cannot make the directory %1").arg(to);
            return false;
        }
        const QDir dir(from.filePath());
        for (const QFileInfo &child :
            dir.entryInfoList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot)) {
            if (!copyEntry(child, to + QLatin1Char('/') + child.fileName(), maxBytes, result)) {
                return false;
            }
        }
        QFile::setPermissions(to, from.permissions());
        return true;
    }
    if (!from.isFile()) {
        return true; // devices, FIFOs and sockets are not bundle contents
    }
    if (from.size() > maxBytes - result.bytes) {
        result.error = QStringLiteral("%1 would pass the limit of %2")
                           .arg(from.fileName(), ByteSize::format(maxBytes));
        return false;
    }
    QFile in(from.filePath());
    QFile out(to);
    if (!in.open(QIODevice::ReadOnly) || !out.open(QIODevice::WriteOnly)) {
        result.error = QStringLiteral("Cannot copy %1: %2")
                           .arg(from.filePath(), in.isOpen() ? out.errorString() : in.errorString());
        return false;
    }
    QByteArray block(1 << 20, Qt::Uninitialized);
    for (;;) {
        const qint64 n = in.read(block.data(), block.size());
        if (n < 0 || (n > 0 && out.write(block.constData(), n) != n)) {
            result.error = QStringLiteral("Cannot copy %1: %2")
                               .arg(from.filePath(), n < 0 ? in.errorString() : out.errorString());
            return false;
        }
        if (n == 0) {
            break;
        }
        result.bytes += n;
    }
    out.close();
    QFile::setPermissions(to, from.permissions());
    return true;
}

} // namespace

bool TreeCopy::remove(const QString &path)
{
    const QFileInfo info(path);
    if (info.isDir() && !info.isSymLink()) {
        return QDir(path).removeRecursively();
    }
    return QFile::remove(path) || !(info.exists() || info.isSymLink());
}

TreeCopy::Result TreeCopy::copy(const QString &source, const QString &target, qint64 maxBytes)
{
    Result result;
    const QFileInfo from(source);
    if (!from.exists() && !from.isSymLink()) {
        result.error = QStringLiteral("%1 does not exist").arg(source);
        return result;
    }
    if (QFileInfo::exists(target) || QFileInfo(target).isSymLink()) {
        result.error = QStringLiteral("%1 exists already").arg(target);
        return result;
    }
    result.ok = copyEntry(from, target, maxBytes, result);
    return result;
}

} // namespace codalab::util
