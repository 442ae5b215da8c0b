// SPDX-License-Identifier: GPL-3.0-or-later
#include "cluster/managerplan.h"

#include "cluster/jobscript.h"

namespace codalab::cluster {

ManagerPlan ManagerPlan::make(const ManagerConfig &config, const Inputs &in)
{
    ManagerPlan plan;
    QSet<QString> staged;
    for (const StagedRun &r : in.staged) {
        staged.insert(r.uuid);
    }
    QSet<QString> covered; // runs a job is coming (or running) for
    int active = 0;
    QStringList pendingSpares;
    int spares = 0;
    for (const SlurmJob &j : in.jobs) {
        if (!j.isActive() || !JobScript::isOurs(config, j.name)) {
            continue;
        }
        const QString run = JobScript::runOf(config, j.name);
        if (j.isPending() && (in.stopping || (!run.isEmpty() && !staged.contains(run)))) {
            plan.cancel << j.id;
            continue;
        }
        ++active;
        if (run.isEmpty()) {
            ++spares;
            if (j.isPending()) {
                pendingSpares << j.id;
            }
        } else {
            covered.insert(run);
        }
    }
    if (in.stopping) {
        return plan;
    }
    // Spares beyond --min-workers that have not started yet go first when runs need the room.
    while (spares > config.minWorkers && !pendingSpares.isEmpty()) {
        plan.cancel << pendingSpares.takeLast();
        --spares;
        --active;
    }
    if (in.paused) {
        return plan;
    }
    for (auto it = in.staged.crbegin(); it != in.staged.crend() && active < config.maxWorkers; ++it) {
        if (!covered.contains(it->uuid) && !in.refused.contains(it->uuid)) {
            plan.submit << *it;
            covered.insert(it->uuid);
            ++active;
        }
    }
    plan.spares = qBound(0, config.minWorkers - spares, config.maxWorkers - active);
    return plan;
}

} // namespace codalab::cluster
