// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/extractsandbox.h"

#include <QBuffer>
#include <QDir>
#include <QDirIterator>

#include <catch2/catch.hpp>

namespace codalab::test {

ExtractSandbox::ExtractSandbox()
{
    REQUIRE(m_root.isValid());
    REQUIRE(QDir().mkpath(parent()));
}

ExtractSandbox::~ExtractSandbox()
{
    QDirIterator it(root(), QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString dir = it.next();
        if (!it.fileInfo().isSymLink()) {
            QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        }
    }
}

QStringList ExtractSandbox::contents() const
{
    QStringList paths;
    QDirIterator it(root(), QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
        QDirIterator::Subdirectories);
    const QDir base(root());
    while (it.hasNext()) {
        paths.append(base.relativeFilePath(it.next()));
    }
    paths.sort();
    return paths;
}

util::ArchiveResult extractBytes(
    const QByteArray &archive, const QString &target, const util::ArchiveLimits &limits)
{
    QBuffer buffer;
    buffer.setData(archive);
    REQUIRE(buffer.open(QIODevice::ReadOnly));
    return util::SafeArchive::extract(&buffer, target, limits);
}

} // namespace codalab::test
