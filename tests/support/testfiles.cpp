// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/testfiles.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRandomGenerator>

#include <catch2/catch.hpp>
#include <unistd.h>

namespace codalab::test {

void writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly));
    REQUIRE(file.write(data) == data.size());
}

void writeNoise(const QString &dir, int mebibytes)
{
    QByteArray noise(1 << 20, Qt::Uninitialized);
    for (int i = 0; i < mebibytes; ++i) {
        QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(noise.data()), noise.size() / 4);
        writeFile(dir + QStringLiteral("/%1.bin").arg(i), noise);
    }
}

QMap<QString, QByteArray> digestTree(const QString &root)
{
    QMap<QString, QByteArray> out;
    QDirIterator it(root, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
        QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        const QFileInfo info = it.fileInfo();
        const QString rel = QDir(root).relativeFilePath(info.filePath());
        if (info.isSymLink()) {
            char target[4096];
            const ssize_t n
                = ::readlink(QFile::encodeName(info.filePath()).constData(), target, sizeof(target));
            out.insert(rel, "-> " + QByteArray(target, int(qMax<ssize_t>(n, 0))));
        } else if (info.isFile()) {
            QFile f(info.filePath());
            REQUIRE(f.open(QIODevice::ReadOnly));
            out.insert(rel, QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex());
        } else {
            out.insert(rel, "dir");
        }
    }
    return out;
}

} // namespace codalab::test
