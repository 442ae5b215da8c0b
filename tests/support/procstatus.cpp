// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/procstatus.h"

#include <QFile>
#include <QList>
#include <QString>

#include <cstdlib>

namespace codalab::test {

qint64 procStatusKiB(qint64 pid, const char *field)
{
    QFile file(pid > 0 ? QStringLiteral("/proc/%1/status").arg(pid) : QStringLiteral("/proc/self/status"));
    if (!file.open(QIODevice::ReadOnly)) {
        return -1;
    }
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith(field)) {
            return line.mid(qstrlen(field)).trimmed().split(' ').first().toLongLong();
        }
    }
    return -1;
}

QByteArray loadAverageText()
{
    double load[3] = {};
    if (::getloadavg(load, 3) != 3) {
        return QByteArrayLiteral("load average unknown");
    }
    return QStringLiteral("load average %1 %2 %3")
        .arg(load[0], 0, 'f', 2)
        .arg(load[1], 0, 'f', 2)
        .arg(load[2], 0, 'f', 2)
        .toLatin1();
}

} // namespace codalab::test
