// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/bundlestore.h"
#include "localserver/workerstate.h"

#include <functional>

namespace codalab::localserver {

/// What becomes of runs whose worker is gone or no longer has them; WorkerHub calls it from check-ins and
/// its housekeeping. A run a worker never started goes back to staged (it can safely run elsewhere); one
/// it ran waits as worker_offline for the worker to report it again, as upstream. Every method returns
/// whether it changed a bundle, so the caller can wake the scheduler.
class RunReconciler
{
public:
    explicit RunReconciler(BundleStore &bundles)
        : m_bundles(bundles)
    { }

    /// Generated metadata a restaged run must not keep (upstream clears it when a run goes back to staged).
    static void clearRunMetadata(QJsonObject &metadata);

    /// `worker` stopped checking in: its runs not started go back to staged (all of them when it was
    /// preemptible), the others become worker_offline.
    bool workerGone(const WorkerState &worker);
    /// Runs assigned to `worker` that its last three check-ins did not list (a check-in that left before
    /// start_bundle was answered may arrive after it, hence three and a settling time): staged again when
    /// still preparing (the start_bundle answer was lost), worker_offline when running.
    bool unclaimed(WorkerState &worker);
    /// Runs preparing or running whose worker `isConnected` says is not connected: worker_offline. Used
    /// once after a restart, when their workers had time to check in again.
    bool absent(const std::function<bool(const BundleRecord &)> &isConnected);
    /// Runs `starting` for `timeoutSec` or more: staged again.
    bool startingTimedOut(qint64 now, int timeoutSec);

private:
    void restage(BundleRecord &bundle);

    BundleStore &m_bundles;
};

} // namespace codalab::localserver
