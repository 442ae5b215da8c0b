// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

namespace codalab::localserver {

/// What codalab-local-server is told on its command line; tests shorten the times.
struct LocalServerConfig
{
    QString dataDir; ///< SQLite file, bundle contents, the password and URL files
    quint16 port = 0; ///< 0 picks a free port
    int tokenLifetimeSec = 3600; ///< oauthlib's default, as upstream
    QString defaultCpuImage = QStringLiteral("codalab/default-cpu:latest");
    QString defaultGpuImage = QStringLiteral("codalab/default-gpu:latest");
    /// A contents upload, streamed to <data dir>/tmp as it arrives; 413 past it. What it unpacks to is
    /// bounded by the owner's disk quota left and the free disk less diskReserveBytes.
    qint64 maxUploadBytes = qint64(1) << 40;
    /// A worker's reply_data body, held in memory; 413 past it.
    qint64 maxReplyBytes = qint64(2) * 1024 * 1024 * 1024;
    qint64 maxRequestBytes = 16 * 1024 * 1024; ///< any other body (JSON, forms), held in memory; 413 past it
    int checkinWaitMs = 5000; ///< long poll of a check-in with nothing to send (upstream WAIT_TIME_SECS)
    int workerTimeoutSec = 60; ///< no check-in for this long: the worker is gone
    int startingTimeoutSec = 300; ///< a run still `starting` after this goes back to `staged`
    /// A user's quotas unless root set their own (PATCH /rest/users). The disk quota, unset, is the size of
    /// the disk the data directory is on: on one machine, the disk is the limit.
    std::optional<qint64> defaultDiskQuota;
    qint64 defaultTimeQuotaSec = qint64(10) * 365 * 24 * 3600;
    int defaultParallelRunQuota = 1000;
    /// Free space an upload or a make never takes; unset: 1 GiB, or 5 % of a disk smaller than 20 GiB.
    std::optional<qint64> diskReserveBytes;

    /// ~/.local/share/CodaLab/local-server
    static QString defaultDataDir();
};

} // namespace codalab::localserver
