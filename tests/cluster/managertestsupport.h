// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cluster/managerconfig.h"
#include "cluster/slurmjob.h"
#include "localserver/localserverfixture.h"
#include "support/clientsession.h"

#include <QTemporaryDir>

#include <memory>

namespace codalab::cluster {
class SlurmClient;
class WorkerManager;
} // namespace codalab::cluster

namespace codalab::test {

/// The jobs of the test cluster whose name starts with `prefix`, ended ones included (squeue, synchronously).
QList<cluster::SlurmJob> slurmJobs(const QString &prefix);

/// A WorkerManager in the test process for a fresh tag of its own (so that tests never see each other's
/// jobs), working for a LocalServerFixture as `codalab`; its jobs run the real codalab-worker on the one-node
/// test cluster. Every job of its tag is cancelled when it goes.
struct ManagerHarness
{
    explicit ManagerHarness(LocalServerFixture &server);
    ~ManagerHarness();

    /// Starts (or starts again, as a new process would) the manager with `config`.
    void start();
    /// Destroys the manager as a killed process would leave things: its jobs stay.
    void drop();
    /// Runs the event loop until `n` more rounds have ended.
    void rounds(int n);

    LocalServerFixture &server;
    QTemporaryDir logDir;
    cluster::ManagerConfig config;
    std::unique_ptr<ClientSession> session;
    std::unique_ptr<cluster::SlurmClient> slurm;
    std::unique_ptr<cluster::WorkerManager> manager;
    QStringList messages;
};

} // namespace codalab::test
