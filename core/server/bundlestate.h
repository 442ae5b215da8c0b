// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLatin1String>
#include <QStringList>
#include <QStringView>

namespace codalab::server {

/// The states of a bundle as the CodaLab server names them (upstream codalab/worker/bundle_state.py
/// `State`; codalab-protocol.md §5.8). The one place the worker, the REST client, the local server and the
/// UI take them from.
class BundleState
{
public:
    BundleState() = delete;

    static constexpr QLatin1String Uploading { "uploading" };
    static constexpr QLatin1String Created { "created" };
    static constexpr QLatin1String Staged { "staged" };
    static constexpr QLatin1String Making { "making" };
    static constexpr QLatin1String Starting { "starting" };
    static constexpr QLatin1String Preparing { "preparing" };
    static constexpr QLatin1String Running { "running" };
    static constexpr QLatin1String Finalizing { "finalizing" };
    static constexpr QLatin1String Ready { "ready" };
    static constexpr QLatin1String Failed { "failed" };
    static constexpr QLatin1String Killed { "killed" };
    static constexpr QLatin1String WorkerOffline { "worker_offline" };

    /// Every state, in lifecycle order.
    static QStringList all();
    /// ready, failed or killed: nothing changes a bundle in these any more.
    static bool isFinal(QStringView state);
    /// Given to a worker or being made: starting, preparing, running, finalizing, making. Upstream refuses
    /// to delete a bundle in these ("kill it first").
    static bool isActive(QStringView state);
    /// Not yet given to a worker: created, staged (and uploading); request_* may still change.
    static bool isBeforeStart(QStringView state);
};

} // namespace codalab::server
