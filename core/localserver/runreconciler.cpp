// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserver/runreconciler.h"

#include "server/bundlestate.h"

namespace codalab::localserver {

using server::BundleState;

void RunReconciler::clearRunMetadata(QJsonObject &m)
{
    for (const char *key : { "run_status", "started", "last_updated", "remote", "time", "time_user",
             "time_system", "cpu_usage", "memory_usage", "docker_image", "exitcode", "failure_message",
             "time_preparing", "time_running", "time_cleaning_up", "time_uploading_results" }) {
        m.remove(QLatin1String(key));
    }
}

void RunReconciler::restage(BundleRecord &b)
{
    b.state = BundleState::Staged;
    b.workerId.clear();
    b.workerUserId.clear();
    clearRunMetadata(b.metadata);
}

bool RunReconciler::workerGone(const WorkerState &worker)
{
    BundleQuery q;
    q.states = { BundleState::Starting, BundleState::Preparing, BundleState::Running };
    bool any = false;
    for (BundleRecord &b : m_bundles.search(q)) {
        if (b.workerId != worker.workerId || b.workerUserId != worker.userId) {
            continue;
        }
        if (b.state == BundleState::Starting || worker.preemptible) {
            restage(b);
        } else {
            b.state = BundleState::WorkerOffline;
        }
        any = m_bundles.update(b) || any;
    }
    return any;
}

bool RunReconciler::unclaimed(WorkerState &worker)
{
    constexpr int Misses = 3;
    constexpr qint64 SettleSec = 2;
    BundleQuery q;
    q.states = { BundleState::Preparing, BundleState::Running };
    QHash<QString, int> unclaimed;
    bool any = false;
    for (BundleRecord &b : m_bundles.search(q)) {
        if (b.workerId != worker.workerId || b.workerUserId != worker.userId
            || worker.runUuids.contains(b.uuid) || worker.checkinTime - b.stateChanged < SettleSec) {
            continue;
        }
        const int misses = worker.unclaimed.value(b.uuid) + 1;
        if (misses < Misses) {
            unclaimed.insert(b.uuid, misses);
            continue;
        }
        if (b.state == BundleState::Preparing) {
            restage(b);
        } else {
            b.state = BundleState::WorkerOffline;
        }
        any = m_bundles.update(b) || any;
    }
    worker.unclaimed = unclaimed;
    return any;
}

bool RunReconciler::absent(const std::function<bool(const BundleRecord &)> &isConnected)
{
    BundleQuery q;
    q.states = { BundleState::Preparing, BundleState::Running };
    bool any = false;
    for (BundleRecord &b : m_bundles.search(q)) {
        if (!isConnected(b)) {
            b.state = BundleState::WorkerOffline;
            any = m_bundles.update(b) || any;
        }
    }
    return any;
}

bool RunReconciler::startingTimedOut(qint64 now, int timeoutSec)
{
    BundleQuery q;
    q.states = { BundleState::Starting };
    bool any = false;
    for (BundleRecord &b : m_bundles.search(q)) {
        if (now - b.stateChanged >= timeoutSec) {
            // Not restage(): nothing ran, so there is no run metadata to clear, as before.
            b.state = BundleState::Staged;
            b.workerId.clear();
            b.workerUserId.clear();
            any = m_bundles.update(b) || any;
        }
    }
    return any;
}

} // namespace codalab::localserver
