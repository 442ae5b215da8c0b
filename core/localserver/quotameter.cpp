// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/quotameter.h"

#include "localserver/bundlestore.h"
#include "util/bytesize.h"

#include <QStorageInfo>

namespace codalab::localserver {

qint64 QuotaMeter::diskQuota(const UserRecord &user) const
{
    if (user.diskQuota) {
        return *user.diskQuota;
    }
    if (m_config.defaultDiskQuota) {
        return *m_config.defaultDiskQuota;
    }
    return QStorageInfo(m_config.dataDir).bytesTotal();
}

qint64 QuotaMeter::diskUsed(const QString &userId) const
{
    return m_bundles.diskUsed(userId);
}

qint64 QuotaMeter::timeQuota(const UserRecord &user) const
{
    return user.timeQuota.value_or(m_config.defaultTimeQuotaSec);
}

qint64 QuotaMeter::timeUsed(const QString &userId) const
{
    return m_bundles.timeUsed(userId);
}

int QuotaMeter::parallelRunQuota(const UserRecord &user) const
{
    return user.parallelRunQuota.value_or(m_config.defaultParallelRunQuota);
}

qint64 QuotaMeter::reserve(qint64 total) const
{
    if (m_config.diskReserveBytes) {
        return *m_config.diskReserveBytes;
    }
    constexpr qint64 GiB = qint64(1) << 30;
    return total < 20 * GiB ? total / 20 : GiB;
}

qint64 QuotaMeter::diskFree() const
{
    QStorageInfo storage(m_config.dataDir);
    storage.refresh();
    return qMax<qint64>(0, storage.bytesAvailable() - reserve(storage.bytesTotal()));
}

QuotaMeter::Budget QuotaMeter::diskBudget(const UserRecord &user) const
{
    const qint64 quotaLeft = qMax<qint64>(0, diskQuota(user) - diskUsed(user.id));
    const qint64 free = diskFree();
    if (free < quotaLeft) {
        return { free,
            QStringLiteral("the server's disk has %1 free beyond its reserve")
                .arg(util::ByteSize::format(free)) };
    }
    return { quotaLeft,
        QStringLiteral("user disk quota exceeded: %1 of %2 left")
            .arg(util::ByteSize::format(quotaLeft), util::ByteSize::format(diskQuota(user))) };
}

} // namespace codalab::localserver
