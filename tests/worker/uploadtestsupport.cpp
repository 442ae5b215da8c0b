// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/uploadtestsupport.h"

#include "util/safearchive.h"

#include <QBuffer>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QRandomGenerator>

#include <catch2/catch.hpp>

namespace codalab::test {

const QMap<QString, QString> ExpectedTree { { QStringLiteral("stdout"), QStringLiteral("file") },
    { QStringLiteral("stderr"), QStringLiteral("file") },
    { QStringLiteral("data"), QStringLiteral("directory") },
    { QStringLiteral("data/a.txt"), QStringLiteral("file") },
    { QStringLiteral("data/nested"), QStringLiteral("directory") },
    { QStringLiteral("data/nested/deep"), QStringLiteral("directory") },
    { QStringLiteral("data/nested/deep/b.bin"), QStringLiteral("file") },
    { QStringLiteral("empty"), QStringLiteral("directory") },
    { QStringLiteral("latest"), QStringLiteral("link -> data/a.txt") } };

void writeFile(const QString &path, const QByteArray &data)
{
    REQUIRE(QDir().mkpath(QFileInfo(path).absolutePath()));
    QFile file(path);
    REQUIRE(file.open(QIODevice::WriteOnly));
    REQUIRE(file.write(data) == data.size());
}

QByteArray randomBytes(qint64 size)
{
    QByteArray data(size, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(data.data()), size / 4);
    return data;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

void collectTree(const QJsonArray &contents, const QString &prefix, QMap<QString, QString> *tree)
{
    for (const QJsonValue &value : contents) {
        const QJsonObject node = value.toObject();
        const QString path = prefix + node[QLatin1String("name")].toString();
        const QString type = node[QLatin1String("type")].toString();
        tree->insert(path,
            type == QLatin1String("link")
                ? QStringLiteral("link -> ") + node[QLatin1String("link")].toString()
                : type);
        collectTree(node[QLatin1String("contents")].toArray(), path + QLatin1Char('/'), tree);
    }
}

QMap<QString, QString> archiveTree(const QByteArray &archive)
{
    QBuffer buffer;
    buffer.setData(archive);
    buffer.open(QIODevice::ReadOnly);
    QTemporaryDir dir;
    const QString target = dir.filePath(QStringLiteral("x"));
    const util::ArchiveResult result = util::SafeArchive::extract(&buffer, target);
    INFO(result.error.toStdString());
    REQUIRE(result.ok);
    QMap<QString, QString> tree;
    QDirIterator it(target, QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot | QDir::System,
        QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QFileInfo info(it.next());
        const QString path = QDir(target).relativeFilePath(info.filePath());
        tree.insert(path,
            info.isSymLink() ? QStringLiteral("link -> ") + info.dir().relativeFilePath(info.symLinkTarget())
                             : (info.isDir() ? QStringLiteral("directory") : QStringLiteral("file")));
    }
    return tree;
}

server::ApiError finishedError(const QSignalSpy &spy)
{
    REQUIRE(spy.size() == 1);
    return spy.first().first().value<server::ApiError>();
}

UploadRunDir::UploadRunDir()
{
    writeFile(path + QStringLiteral("/stdout"), "hello\n");
    writeFile(path + QStringLiteral("/stderr"), QByteArray());
    writeFile(path + QStringLiteral("/data/a.txt"), "a\n");
    writeFile(path + QStringLiteral("/data/nested/deep/b.bin"), randomBytes(100000));
    REQUIRE(QDir(path).mkpath(QStringLiteral("empty")));
    REQUIRE(QFile::link(QStringLiteral("data/a.txt"), path + QStringLiteral("/latest")));
    writeFile(path + QStringLiteral("/x.tmp"), "excluded");
    writeFile(path + QStringLiteral("/data/y.tmp"), "excluded");
    writeFile(path + QStringLiteral("/cache/pip/wheel"), "excluded");
    writeFile(path + QStringLiteral("/data/cache"), "excluded");
}

QStringList UploadRunDir::leftovers() const
{
    return QDir(parent.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
}

UploadClient::UploadClient(const QString &url)
{
    QString error;
    REQUIRE(connection.setServerUrl(url, &error));
    tokens.setToken(QStringLiteral("worker-token"), {}, QDateTime::currentSecsSinceEpoch() + 3600);
    connection.setTokenManager(&tokens);
}

UploadClient::UploadClient(const QString &url, const QString &user, const QString &password)
{
    QString error;
    REQUIRE(connection.setServerUrl(url, &error));
    tokens.setCredentials(user, password);
    connection.setTokenManager(&tokens);
}

} // namespace codalab::test
