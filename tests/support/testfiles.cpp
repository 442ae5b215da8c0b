// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/testfiles.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRandomGenerator>

#include <catch2/catch.hpp>
#include <cstring>
#include <functional>
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

namespace {

constexpr qint64 MiB = 1024 * 1024;

void writeFilled(const QString &path, const std::function<void(QByteArray &)> &fill, qint64 size)
{
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly));
    QByteArray chunk(MiB, Qt::Uninitialized);
    for (qint64 done = 0; done < size; done += chunk.size()) {
        fill(chunk);
        REQUIRE(file.write(chunk.constData(), qMin<qint64>(chunk.size(), size - done)) > 0);
    }
}

} // namespace

qint64 makeRunDirectory(const QString &dir, int megabytes)
{
    REQUIRE(QDir().mkpath(dir + QStringLiteral("/checkpoints")));
    REQUIRE(QDir().mkpath(dir + QStringLiteral("/logs")));
    const qint64 half = qint64(megabytes) * MiB / 2;
    const int files = 8;
    QRandomGenerator *random = QRandomGenerator::global();
    for (int i = 0; i < files; ++i) {
        writeFilled(
            dir + QStringLiteral("/checkpoints/step-%1.bin").arg(i),
            [&](QByteArray &chunk) {
                random->fillRange(reinterpret_cast<quint32 *>(chunk.data()), chunk.size() / 4);
            },
            half / files);
    }
    quint64 step = 0;
    for (int i = 0; i < files; ++i) {
        writeFilled(
            dir + QStringLiteral("/logs/train-%1.log").arg(i),
            [&](QByteArray &chunk) {
                int at = 0;
                char line[160];
                while (at < chunk.size()) {
                    const int n = std::snprintf(line, sizeof line,
                        "step %llu loss %.6f acc %.5f lr %.2e grad_norm %.4f samples/s %.1f\n",
                        static_cast<unsigned long long>(++step), random->generateDouble() * 4,
                        random->generateDouble(), 1e-4 * random->generateDouble(),
                        random->generateDouble() * 10, 900 + random->generateDouble() * 200);
                    const int take = qMin(n, int(chunk.size()) - at);
                    std::memcpy(chunk.data() + at, line, size_t(take));
                    at += take;
                }
            },
            half / files);
    }
    writeFilled(
        dir + QStringLiteral("/stdout"), [](QByteArray &chunk) { chunk.fill('.'); }, 4096);
    qint64 total = 0;
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        total += QFileInfo(it.next()).size();
    }
    return total;
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
