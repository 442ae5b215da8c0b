// SPDX-License-Identifier: GPL-3.0-or-later
#include "worker/rundirectory.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <unistd.h>

namespace codalab::worker {

bool RunDirectory::prepare(const QString &dir, const RunRecord &run, const HostPathOf &hostPathOf,
    std::optional<std::pair<int, int>> owner, QList<DependencyMount> *mounts, QStringList *links,
    QString *error)
{
    if (!QDir().mkpath(dir)) {
        *error = QStringLiteral("Cannot create the run directory %1").arg(dir);
        return false;
    }
    for (const RunDependency &d : run.dependencies) {
        const QString host = hostPathOf(d);
        const QFileInfo hostInfo(host);
        if (host.isEmpty() || !hostInfo.exists()) {
            *error
                = QStringLiteral("Failed to download dependency %1: it is not at %2").arg(d.childPath, host);
            return false;
        }
        if (d.childPath != QLatin1String(".")) {
            mounts->append({ host, d.childPath });
        } else if (!hostInfo.isDir()) {
            mounts->append({ host, hostInfo.fileName() });
        } else {
            // Key "." puts every top-level entry of the dependency at the run's root (§4.2).
            const QStringList entries
                = QDir(host).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
            for (const QString &entry : entries) {
                mounts->append({ host + QLatin1Char('/') + entry, entry });
            }
        }
    }
    links->clear();
    for (const DependencyMount &m : std::as_const(*mounts)) {
        const QString link = dir + QLatin1Char('/') + m.name;
        const QFileInfo existing(link);
        if (existing.isSymLink()) {
            QFile::remove(link);
        } else if (existing.exists()) {
            *error
                = QStringLiteral("Cannot link dependency %1: the run directory already has it").arg(m.name);
            return false;
        }
        QDir().mkpath(existing.path());
        if (!QFile::link(RunContainer::dependencyMountPoint(run.uuid, m.name), link)) {
            *error = QStringLiteral("Cannot link dependency %1 in the run directory").arg(m.name);
            return false;
        }
        links->append(m.name);
    }
    if (owner
        && ::lchown(QFile::encodeName(dir).constData(), uid_t(owner->first), gid_t(owner->second)) != 0) {
        *error = QStringLiteral("Cannot give the run directory to uid %1").arg(owner->first);
        return false;
    }
    return true;
}

void RunDirectory::removeLinks(const QString &dir, const QStringList &links)
{
    for (const QString &link : links) {
        const QString path = dir + QLatin1Char('/') + link;
        if (QFileInfo(path).isSymLink()) {
            QFile::remove(path);
        }
        // rmdir only removes empty directories, so anything the run wrote next to a link stays.
        QString parent = QFileInfo(path).path();
        while (parent.size() > dir.size() && QDir().rmdir(parent)) {
            parent = QFileInfo(parent).path();
        }
    }
}

QStringList RunDirectory::hiddenNames(const QStringList &links)
{
    QStringList names;
    for (const QString &link : links) {
        const QString top = link.section(QLatin1Char('/'), 0, 0);
        if (!names.contains(top)) {
            names << top;
        }
    }
    return names;
}

} // namespace codalab::worker
