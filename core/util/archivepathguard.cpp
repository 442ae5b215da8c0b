// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/archivepathguard.h"

#include <QFile>

#include <sys/stat.h>

namespace codalab::util {

namespace {

const QByteArray dotDot = QByteArrayLiteral("..");

// "./a//b/" -> {a, b}: empty and "." components mean nothing to the kernel either.
QByteArrayList components(const QByteArray &path)
{
    QByteArrayList parts;
    for (const QByteArray &part : path.split('/')) {
        if (!part.isEmpty() && part != ".") {
            parts.append(part);
        }
    }
    return parts;
}

QString show(const QByteArray &name)
{
    return QFile::decodeName(name);
}

QString typeName(quint32 fileType)
{
    switch (fileType) {
    case S_IFCHR:
        return QStringLiteral("a character device");
    case S_IFBLK:
        return QStringLiteral("a block device");
    case S_IFIFO:
        return QStringLiteral("a FIFO");
    case S_IFSOCK:
        return QStringLiteral("a socket");
    default:
        return QStringLiteral("of unknown type %1").arg(fileType, 0, 8);
    }
}

} // namespace

std::optional<AdmittedMember> ArchivePathGuard::admit(const QByteArray &path, quint32 fileType,
    const QByteArray &symlinkTarget, const QByteArray &hardLinkTarget, QString *error)
{
    const auto refuse = [&](const QString &why) -> std::optional<AdmittedMember> {
        if (error) {
            *error = QStringLiteral("Unsafe archive member \"%1\": %2").arg(show(path), why);
        }
        return std::nullopt;
    };
    if (path.isEmpty()) {
        return refuse(QStringLiteral("empty name"));
    }
    if (path.startsWith('/')) {
        return refuse(QStringLiteral("absolute path"));
    }
    const QByteArrayList parts = components(path);
    if (parts.contains(dotDot)) {
        return refuse(QStringLiteral("a \"..\" component leaves the target directory"));
    }
    AdmittedMember member { parts.join('/'), QByteArray() };
    if (member.path.isEmpty() && (fileType != S_IFDIR || !hardLinkTarget.isEmpty())) {
        return refuse(QStringLiteral("the archive's root must be a directory"));
    }

    if (!hardLinkTarget.isEmpty()) {
        const QByteArrayList target = components(hardLinkTarget);
        if (hardLinkTarget.startsWith('/') || target.contains(dotDot)) {
            return refuse(QStringLiteral("hard link to \"%1\" points outside the target directory")
                              .arg(show(hardLinkTarget)));
        }
        member.hardLinkTarget = target.join('/');
        if (!m_regularFiles.contains(member.hardLinkTarget) || member.hardLinkTarget == member.path) {
            return refuse(
                QStringLiteral("hard link to \"%1\", which is not a regular file extracted before it")
                    .arg(show(hardLinkTarget)));
        }
    } else if (fileType == S_IFLNK) {
        if (symlinkTarget.isEmpty()) {
            return refuse(QStringLiteral("symlink with an empty target"));
        }
        if (symlinkTarget.startsWith('/')) {
            return refuse(QStringLiteral("symlink to the absolute path \"%1\"").arg(show(symlinkTarget)));
        }
        const QByteArrayList target = components(symlinkTarget);
        qsizetype climbs = 0;
        while (climbs < target.size() && target.at(climbs) == dotDot) {
            ++climbs;
        }
        if (target.indexOf(dotDot, climbs) >= 0) {
            return refuse(
                QStringLiteral("symlink to \"%1\" has \"..\" after a name, which could climb through "
                               "another link")
                    .arg(show(symlinkTarget)));
        }
        // The link's directory has parts.size() - 1 components below the target directory.
        if (climbs > parts.size() - 1) {
            return refuse(QStringLiteral("symlink to \"%1\" points outside the target directory")
                              .arg(show(symlinkTarget)));
        }
    } else if (fileType != S_IFREG && fileType != S_IFDIR) {
        return refuse(
            QStringLiteral("is %1; only files, directories and links are extracted").arg(typeName(fileType)));
    }

    // Whatever was at this path, or at a parent that now has to be a directory, is gone.
    for (qsizetype slash = member.path.indexOf('/'); slash >= 0;
         slash = member.path.indexOf('/', slash + 1)) {
        m_regularFiles.remove(member.path.left(slash));
    }
    if (fileType == S_IFREG || !member.hardLinkTarget.isEmpty()) {
        m_regularFiles.insert(member.path);
    } else {
        m_regularFiles.remove(member.path);
    }
    return member;
}

} // namespace codalab::util
