// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/dependencycachestate.h"

#include "util/logging.h"
#include "util/stagingdirectory.h"
#include "worker/statefile.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QThreadPool>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace codalab::worker {

namespace {

constexpr int StateVersion = 1;
const QString StagingPrefix = QStringLiteral(".dl-");
const QString TrashPrefix = QStringLiteral(".trash-");

bool isDotOrDotDot(const char *name)
{
    return std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0;
}

// By file descriptor and raw name, so no symlink is followed and names that are not UTF-8 count too.
qint64 usage(int parentFd, const char *name)
{
    struct stat st;
    if (::fstatat(parentFd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        return 0;
    }
    if (!S_ISDIR(st.st_mode)) {
        return qint64(st.st_size);
    }
    const int fd = ::openat(parentFd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        return 0;
    }
    DIR *dir = ::fdopendir(fd);
    if (!dir) {
        ::close(fd);
        return 0;
    }
    qint64 total = 0;
    while (const dirent *entry = ::readdir(dir)) {
        if (!isDotOrDotDot(entry->d_name)) {
            total += usage(::dirfd(dir), entry->d_name);
        }
    }
    ::closedir(dir);
    return total;
}

QDateTime readTime(const QJsonValue &value)
{
    QDateTime time = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    return time.isValid() ? time : QDateTime::currentDateTimeUtc();
}

} // namespace

bool DependencyCacheState::read(const QString &file, QList<DependencyRecord> *records, QString *error)
{
    records->clear();
    QString warning;
    const auto state = StateFile(file, QStringLiteral("dependency cache state"))
                           .read(error, &warning, [](const QJsonObject &root) {
                               return root.value(QLatin1String("entries")).isArray()
                                   && root.value(QLatin1String("version")).toInt() == StateVersion;
                           });
    if (!state) {
        return false;
    }
    if (!warning.isEmpty()) {
        qCWarning(lcWorkerCache).noquote() << warning; // a cache can be rebuilt: start empty
    }
    const QJsonObject root = *state;
    for (const QJsonValue &value : root.value(QLatin1String("entries")).toArray()) {
        const QJsonObject o = value.toObject();
        DependencyRecord r;
        r.key.parentUuid = o.value(QLatin1String("parent_uuid")).toString();
        r.key.parentPath = o.value(QLatin1String("parent_path")).toString();
        r.name = o.value(QLatin1String("name")).toString();
        r.stage = o.value(QLatin1String("stage")).toString();
        r.sizeBytes = qMax<qint64>(0, o.value(QLatin1String("size_bytes")).toInteger());
        for (const QJsonValue &run : o.value(QLatin1String("dependents")).toArray()) {
            if (!run.toString().isEmpty()) {
                r.dependents.insert(run.toString());
            }
        }
        r.lastUsed = readTime(o.value(QLatin1String("last_used")));
        r.message = o.value(QLatin1String("message")).toString();
        if (!r.key.parentUuid.isEmpty() && isEntryName(r.name)) {
            records->append(r);
        }
    }
    return true;
}

bool DependencyCacheState::write(const QString &file, const QList<DependencyRecord> &records, QString *error)
{
    QJsonArray entries;
    for (const DependencyRecord &r : records) {
        QJsonArray dependents;
        for (const QString &run : r.dependents) {
            dependents.append(run);
        }
        entries.append(QJsonObject { { QStringLiteral("parent_uuid"), r.key.parentUuid },
            { QStringLiteral("parent_path"), r.key.parentPath }, { QStringLiteral("name"), r.name },
            { QStringLiteral("stage"), r.stage }, { QStringLiteral("size_bytes"), r.sizeBytes },
            { QStringLiteral("dependents"), dependents },
            { QStringLiteral("last_used"), r.lastUsed.toUTC().toString(Qt::ISODateWithMs) },
            { QStringLiteral("message"), r.message } });
    }
    const QJsonObject root { { QStringLiteral("version"), StateVersion },
        { QStringLiteral("entries"), entries } };
    QString why;
    if (!StateFile(file).save(root, &why)) {
        *error = QStringLiteral("Cannot write the dependency cache state %1: %2").arg(file, why);
        return false;
    }
    return true;
}

bool DependencyCacheState::isEntryName(const QString &name)
{
    return !name.isEmpty() && !name.startsWith(QLatin1Char('.')) && !name.contains(QLatin1Char('/'))
        && !name.contains(QChar(0));
}

QString DependencyCacheState::entryName(const DependencyKey &key)
{
    QString name = key.parentUuid;
    if (!key.parentPath.isEmpty()) {
        name += QLatin1Char('_') + QString(key.parentPath).replace(QLatin1Char('/'), QLatin1Char('_'));
    }
    if (name.toUtf8().size() > 200) {
        // File names stop at 255 bytes; a deep path gets a digest instead, leaving room for the "_"s.
        name = key.parentUuid + QLatin1Char('_')
            + QString::fromLatin1(
                QCryptographicHash::hash(key.parentPath.toUtf8(), QCryptographicHash::Sha1).toHex());
    }
    return name;
}

QString DependencyCacheState::stagingName(quint64 attempt, const QString &name)
{
    return StagingPrefix + QString::number(attempt) + QLatin1Char('-') + name;
}

quint64 DependencyCacheState::stagingAttempt(const QString &fileName)
{
    qsizetype start = 0;
    while (start < fileName.size() && fileName.at(start) == QLatin1Char('.')) {
        ++start; // SafeArchive puts one more dot in front
    }
    const QString bare = StagingPrefix.mid(1);
    if (start == 0 || QStringView(fileName).mid(start, bare.size()) != bare) {
        return 0;
    }
    start += bare.size();
    const qsizetype dash = fileName.indexOf(QLatin1Char('-'), start);
    bool ok = false;
    const quint64 attempt = QStringView(fileName).mid(start, dash < 0 ? -1 : dash - start).toULongLong(&ok);
    return ok && dash > start ? attempt : 0;
}

bool DependencyCacheState::exists(const QString &path)
{
    struct stat st;
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0;
}

void DependencyCacheState::discard(const QString &path)
{
    QString doomed = path;
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    if (!path.mid(slash + 1).startsWith(TrashPrefix)) {
        const QString renamed = path.left(slash + 1) + TrashPrefix
            + QString::number(QRandomGenerator::global()->generate64(), 36) + QLatin1Char('-')
            + path.mid(slash + 1);
        if (::rename(QFile::encodeName(path).constData(), QFile::encodeName(renamed).constData()) == 0) {
            doomed = renamed;
        } else if (errno == ENOENT) {
            return;
        }
    }
    QThreadPool::globalInstance()->start([doomed] { util::StagingDirectory::removeTree(doomed); });
}

qint64 DependencyCacheState::diskUsage(const QString &path)
{
    return usage(AT_FDCWD, QFile::encodeName(path).constData());
}

} // namespace codalab::worker
