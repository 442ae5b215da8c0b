// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/localserverconfig.h"
#include "localserver/serverstore.h"

namespace codalab::localserver {

class BundleStore;

/// A user's quotas and what they used, as upstream counts them: disk used is the data_size of the bundles
/// they own, time used the run time of their runs. Unset quotas are the server's defaults; the default disk
/// quota is the size of the disk the data directory is on, so a quota never promises more than the disk.
///
/// diskBudget() is what one more upload or make may write: the quota left, and no more than the free disk
/// less a reserve, so a big expansion stops with words before the disk is full.
class QuotaMeter
{
public:
    QuotaMeter(const BundleStore &bundles, const LocalServerConfig &config)
        : m_bundles(bundles)
        , m_config(config)
    { }

    qint64 diskQuota(const UserRecord &user) const;
    qint64 diskUsed(const QString &userId) const;
    qint64 timeQuota(const UserRecord &user) const;
    qint64 timeUsed(const QString &userId) const;
    int parallelRunQuota(const UserRecord &user) const;
    /// Bytes free on the data directory's disk, less the reserve (never negative).
    qint64 diskFree() const;

    struct Budget
    {
        qint64 bytes = 0;
        /// Says which bound it is, for the message when it is passed.
        QString reason;
    };
    Budget diskBudget(const UserRecord &user) const;

private:
    qint64 reserve(qint64 total) const;

    const BundleStore &m_bundles;
    const LocalServerConfig &m_config;
};

} // namespace codalab::localserver
