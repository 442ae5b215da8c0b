// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace codalab::localserver {

/// What codalab-local-server is told on its command line; tests shorten the times.
struct LocalServerConfig
{
    QString dataDir; ///< SQLite file, bundle contents, the password and URL files
    quint16 port = 0; ///< 0 picks a free port
    int tokenLifetimeSec = 3600; ///< oauthlib's default, as upstream
    QString defaultCpuImage = QStringLiteral("codalab/default-cpu:latest");
    QString defaultGpuImage = QStringLiteral("codalab/default-gpu:latest");
    /// A contents upload, streamed to <data dir>/tmp as it arrives (a worker's reply_data, held in memory,
    /// has the same limit); 413 past it.
    qint64 maxUploadBytes = qint64(2) * 1024 * 1024 * 1024;
    qint64 maxRequestBytes = 16 * 1024 * 1024; ///< any other body (JSON, forms), held in memory; 413 past it
    int checkinWaitMs = 5000; ///< long poll of a check-in with nothing to send (upstream WAIT_TIME_SECS)
    int workerTimeoutSec = 60; ///< no check-in for this long: the worker is gone
    int startingTimeoutSec = 300; ///< a run still `starting` after this goes back to `staged`

    /// ~/.local/share/CodaLab/local-server
    static QString defaultDataDir();
};

} // namespace codalab::localserver
