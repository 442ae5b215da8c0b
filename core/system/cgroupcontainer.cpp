// SPDX-License-Identifier: GPL-3.0-or-later
#include "system/cgroupcontainer.h"

#include <QFile>
#include <QRegularExpression>

namespace codalab::system {

QString CgroupContainer::parse(const QByteArray &cgroupFile)
{
    // Each line is "hierarchy-id:controllers:path"; with cgroup v1 every controller repeats the same path.
    static const QRegularExpression id(
        QStringLiteral("/(?:docker/|docker-|libpod-)([0-9a-f]{64})(?:\\.scope)?(?=/|$)"));
    QString found;
    for (const QByteArray &raw : cgroupFile.split('\n')) {
        const QString line = QString::fromUtf8(raw);
        const qsizetype pathAt = line.indexOf(QLatin1Char(':'), line.indexOf(QLatin1Char(':')) + 1);
        if (pathAt < 0) {
            continue;
        }
        auto matches = id.globalMatch(line.mid(pathAt + 1));
        while (matches.hasNext()) {
            found = matches.next().captured(1); // the innermost: the container our dockerd made
        }
        if (!found.isEmpty()) {
            break;
        }
    }
    return found;
}

std::optional<QString> CgroupContainer::ofPid(const QString &procRoot, qint64 pid, QString *error)
{
    QFile file(QStringLiteral("%1/%2/cgroup").arg(procRoot).arg(pid));
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("process %1 has no readable %2 (it ended, or is hidden): %3")
                     .arg(pid)
                     .arg(file.fileName(), file.errorString());
        return std::nullopt;
    }
    // Kernel files report size 0: read to the end. A process that ends while we read gives ESRCH.
    const QByteArray text = file.readAll();
    if (text.isEmpty()) {
        *error = QStringLiteral("process %1 ended while %2 was read").arg(pid).arg(file.fileName());
        return std::nullopt;
    }
    return parse(text);
}

} // namespace codalab::system
