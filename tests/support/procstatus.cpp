// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/procstatus.h"

#include <QFile>
#include <QList>

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

} // namespace codalab::test
