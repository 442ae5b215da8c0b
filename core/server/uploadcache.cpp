// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/uploadcache.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <algorithm>
#include <sys/stat.h>
#include <unistd.h>

namespace codalab::server {

namespace {

bool addEntry(QCryptographicHash &hash, const QString &path, const QByteArray &relative)
{
    struct stat st;
    const QByteArray native = QFile::encodeName(path);
    if (::lstat(native.constData(), &st) != 0) {
        return false;
    }
    hash.addData(relative);
    hash.addData(QByteArrayView("\0", 1));
    hash.addData(QByteArray(QByteArray::number(int(st.st_mode)) + ' ' + QByteArray::number(qint64(st.st_size))
        + ' ' + QByteArray::number(qint64(st.st_mtim.tv_sec)) + '.'
        + QByteArray::number(qint64(st.st_mtim.tv_nsec))));
    if (S_ISLNK(st.st_mode)) {
        char target[4096];
        const ssize_t n = ::readlink(native.constData(), target, sizeof(target));
        hash.addData(QByteArray(target, int(qMax<ssize_t>(0, n))));
    } else if (S_ISDIR(st.st_mode)) {
        QStringList names
            = QDir(path).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
        std::sort(names.begin(), names.end());
        for (const QString &name : std::as_const(names)) {
            if (!addEntry(hash, path + QLatin1Char('/') + name, relative + '/' + QFile::encodeName(name))) {
                return false;
            }
        }
    }
    return true;
}

QJsonObject readAll(const QString &file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
}

bool writeAll(const QString &file, const QJsonObject &all)
{
    QDir().mkpath(QFileInfo(file).absolutePath());
    QSaveFile f(file);
    if (!f.open(QIODevice::WriteOnly)) {
        return false;
    }
    f.write(QJsonDocument(all).toJson(QJsonDocument::Indented));
    return f.commit();
}

} // namespace

QString UploadCache::digestOf(const QString &path)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    // Also the name: the same folder under another name makes a bundle of another name.
    if (!addEntry(hash, QFileInfo(path).absoluteFilePath(), QFile::encodeName(QFileInfo(path).fileName()))) {
        return {};
    }
    return QString::fromLatin1(hash.result().toHex());
}

QString UploadCache::lookup(const QString &serverUrl, const QString &digest) const
{
    return readAll(m_file)
        .value(serverUrl)
        .toObject()
        .value(digest)
        .toObject()
        .value(QLatin1String("bundle"))
        .toString();
}

bool UploadCache::remember(
    const QString &serverUrl, const QString &digest, const QString &bundleUuid, const QString &path)
{
    QJsonObject all = readAll(m_file);
    QJsonObject server = all.value(serverUrl).toObject();
    server.insert(digest,
        QJsonObject { { QStringLiteral("bundle"), bundleUuid }, { QStringLiteral("path"), path },
            { QStringLiteral("uploaded"), QDateTime::currentSecsSinceEpoch() } });
    all.insert(serverUrl, server);
    return writeAll(m_file, all);
}

void UploadCache::forget(const QString &serverUrl, const QString &digest)
{
    QJsonObject all = readAll(m_file);
    QJsonObject server = all.value(serverUrl).toObject();
    server.remove(digest);
    all.insert(serverUrl, server);
    writeAll(m_file, all);
}

} // namespace codalab::server
