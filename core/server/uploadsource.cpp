// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/uploadsource.h"

#include "util/targetinfo.h"
#include "util/targzwriter.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace codalab::server {

namespace {

const QStringList archiveExtensions { QStringLiteral(".tar.gz"), QStringLiteral(".tgz"),
    QStringLiteral(".tar.bz2"), QStringLiteral(".zip"), QStringLiteral(".gz"), QStringLiteral(".bz2") };

} // namespace

bool UploadSource::isArchiveName(const QString &name)
{
    return std::any_of(archiveExtensions.cbegin(), archiveExtensions.cend(),
        [&](const QString &ext) { return name.endsWith(ext, Qt::CaseInsensitive); });
}

QString UploadSource::cleanName(const QString &text)
{
    QString name = text;
    name.replace(QRegularExpression(QStringLiteral("[^a-zA-Z0-9_.\\-]")), QStringLiteral("-"));
    name.replace(QRegularExpression(QStringLiteral("-+")), QStringLiteral("-"));
    if (name.isEmpty() || !(name.at(0).isLetter() || name.at(0) == QLatin1Char('_'))
        || name.at(0).unicode() > 0x7f) {
        name.prepend(QLatin1Char('_'));
    }
    if (name.size() > 32) {
        name = name.left(15) + QStringLiteral("..") + name.right(15);
    }
    return name;
}

std::optional<UploadSource> UploadSource::inspect(const QStringList &paths, bool pack, QString *error)
{
    if (paths.isEmpty()) {
        *error = QStringLiteral("Nothing to upload");
        return std::nullopt;
    }
    UploadSource s;
    s.m_pack = pack;
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (!info.exists()) {
            *error = QStringLiteral("%1 does not exist").arg(path);
            return std::nullopt;
        }
        if (!info.isReadable()) {
            *error = QStringLiteral("%1 cannot be read (permission denied)").arg(path);
            return std::nullopt;
        }
        s.m_paths << info.absoluteFilePath();
        if (info.isDir()) {
            QDirIterator it(path, QDir::Files | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                QDirIterator::Subdirectories);
            while (it.hasNext()) {
                it.next();
                const QFileInfo file = it.fileInfo();
                if (!file.isSymLink()) {
                    s.m_totalBytes += file.size();
                }
            }
        } else {
            s.m_totalBytes += info.size();
        }
    }
    const QFileInfo first(s.m_paths.first());
    if (s.m_paths.size() > 1) {
        s.m_filename = QStringLiteral("contents.tar.gz");
        s.m_archive = true;
        s.m_unpack = true;
    } else if (first.isDir()) {
        s.m_filename = first.fileName() + QStringLiteral(".tar.gz");
        s.m_archive = true;
        s.m_unpack = true;
    } else {
        s.m_filename = first.fileName();
        s.m_unpack = isArchiveName(s.m_filename) && !pack;
    }
    return s;
}

QString UploadSource::defaultNameFor(const QStringList &paths, bool pack)
{
    QStringList names;
    for (const QString &path : paths) {
        names << QFileInfo(QDir::cleanPath(path)).fileName();
    }
    QString name = names.join(QLatin1Char('-'));
    if (!pack && paths.size() == 1) {
        for (const QString &ext : archiveExtensions) {
            if (name.endsWith(ext, Qt::CaseInsensitive)) {
                name.chop(ext.size());
                break;
            }
        }
    }
    return cleanName(name);
}

bool UploadSource::write(QIODevice *out, const std::function<bool(qint64)> &onRead, QString *error) const
{
    if (m_archive) {
        QList<util::TarGzWriter::Member> members;
        if (m_paths.size() == 1) {
            members << util::TarGzWriter::Member { m_paths.first(), QString() };
        } else {
            for (const QString &path : m_paths) {
                members << util::TarGzWriter::Member { path, QFileInfo(path).fileName() };
            }
        }
        util::TarGzWriter::Options options;
        options.onRead = onRead;
        options.compressionLevel = m_compressionLevel;
        const util::ArchiveResult result = util::TarGzWriter::write(members, out, options);
        if (!result.ok) {
            *error = result.error;
        }
        return result.ok;
    }
    QFile file(m_paths.first());
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("Cannot read %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    QByteArray block(256 * 1024, Qt::Uninitialized);
    for (;;) {
        const qint64 n = file.read(block.data(), block.size());
        if (n < 0) {
            *error = QStringLiteral("Cannot read %1: %2").arg(file.fileName(), file.errorString());
            return false;
        }
        if (n == 0) {
            return true;
        }
        if (out->write(block.constData(), n) != n) {
            *error = out->errorString();
            return false;
        }
        if (onRead && !onRead(n)) {
            *error = QStringLiteral("cancelled");
            return false;
        }
    }
}

} // namespace codalab::server
