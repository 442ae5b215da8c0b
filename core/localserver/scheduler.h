// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "localserver/bundlestore.h"
#include "localserver/localserverconfig.h"
#include "localserver/workerhub.h"

#include <QObject>

#include <functional>

namespace codalab::localserver {

/// Moves runs along as upstream's bundle manager does (codalab-protocol.md §5.9): created → staged once
/// every parent is ready (failed when one failed, unless allow_failed_dependencies), staged → starting on
/// a worker that fits (tag, tag-exclusive, free cpus/gpus/memory/disk, exit_after_num_runs, in priority
/// order) with the `run` message queued for it, and `staged_status` saying why nothing fits. A make bundle
/// whose parents are ready goes to `maker` instead.
///
/// Usage: call scheduleSoon() after any change; rounds coalesce and run from the event loop, so a run is
/// dispatched as soon as a worker can take it, with no fixed sleep between rounds.
class Scheduler : public QObject
{
    Q_OBJECT
public:
    Scheduler(BundleStore &bundles, WorkerHub &workers, const LocalServerConfig &config, QString bundlesDir,
        QObject *parent = nullptr);

    void scheduleSoon();
    void runOnce();

    /// Gets each make bundle whose parents are ready (BundleMaker::make).
    std::function<void(const BundleRecord &)> maker;

    /// The image a run gets: its request, else the CPU or GPU default; ":latest" added when untagged.
    static QString imageFor(const BundleRecord &bundle, const LocalServerConfig &config);

private:
    void stageCreated();
    void dispatchStaged();
    QJsonObject runMessage(const BundleRecord &bundle, const WorkerState &worker) const;

    BundleStore &m_bundles;
    WorkerHub &m_workers;
    const LocalServerConfig &m_config;
    QString m_bundlesDir;
    bool m_pending = false;
};

} // namespace codalab::localserver
