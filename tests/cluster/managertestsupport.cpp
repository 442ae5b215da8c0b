// SPDX-License-Identifier: GPL-3.0-or-later
#include "cluster/managertestsupport.h"

#include "cluster/slurmclient.h"
#include "cluster/workermanager.h"
#include "support/spinuntil.h"

#include <QJsonArray>
#include <QProcess>
#include <QRandomGenerator>

#include <catch2/catch.hpp>

namespace codalab::test {

namespace {

/// The fixture's cluster, for this process and the Slurm commands and managers it starts.
void useTestCluster()
{
    qputenv("SLURM_CONF", CODALAB_SLURM_CONF);
}

QList<cluster::SlurmJob> listJobs(const QString &prefix, bool *ok)
{
    useTestCluster();
    QProcess p;
    p.start(QStringLiteral("squeue"),
        { QStringLiteral("--me"), QStringLiteral("--states=all"), QStringLiteral("--noheader"),
            QStringLiteral("--format=") + cluster::SlurmJob::queueFormat() });
    *ok = p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    QList<cluster::SlurmJob> out;
    for (const cluster::SlurmJob &j :
        cluster::SlurmJob::parse(QString::fromUtf8(p.readAllStandardOutput()))) {
        if (j.name.startsWith(prefix)) {
            out << j;
        }
    }
    if (!*ok) {
        qWarning("squeue failed: %s", p.readAllStandardError().constData());
    }
    return out;
}

} // namespace

QList<cluster::SlurmJob> slurmJobs(const QString &prefix)
{
    bool ok = false;
    const QList<cluster::SlurmJob> jobs = listJobs(prefix, &ok);
    REQUIRE(ok);
    return jobs;
}

ManagerHarness::ManagerHarness(LocalServerFixture &s)
    : server(s)
{
    useTestCluster();
    REQUIRE(logDir.isValid());
    config.serverUrl = server.server->url();
    config.passwordFile = server.server->passwordFile();
    config.tag = QStringLiteral("t%1").arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    config.logDir = logDir.path();
    config.workerExecutable = QStringLiteral(CODALAB_WORKER_BIN);
    config.workerArgs = { QStringLiteral("--no-network"), QStringLiteral("--checkin-frequency-seconds"),
        QStringLiteral("1") };
    config.pollSeconds = 1;
    config.idleSeconds = 5;
}

ManagerHarness::~ManagerHarness()
{
    drop();
    QStringList ids;
    bool ok = false; // no REQUIRE in a destructor: a failing squeue here must not abort the run
    for (const cluster::SlurmJob &j : listJobs(config.jobNameStem(), &ok)) {
        if (j.isActive()) {
            ids << j.id;
        }
    }
    if (!ids.isEmpty()) {
        QProcess::execute(QStringLiteral("scancel"), ids);
    }
}

void ManagerHarness::start()
{
    drop();
    session = std::make_unique<ClientSession>(server.server->url(), QStringLiteral("codalab"),
        server.password,
        server::TokenManager::Mode::Relogin); // a worker's client id: the test's own `cl` token stays valid
    slurm = std::make_unique<cluster::SlurmClient>(config.sshHost);
    manager = std::make_unique<cluster::WorkerManager>(config, &session->client, slurm.get());
    QObject::connect(
        manager.get(), &cluster::WorkerManager::message, [this](const QString &text) { messages << text; });
    manager->start();
}

void ManagerHarness::drop()
{
    manager.reset();
    slurm.reset();
    session.reset();
}

void ManagerHarness::rounds(int n)
{
    int done = 0;
    const auto c = QObject::connect(manager.get(), &cluster::WorkerManager::roundDone, [&done] { ++done; });
    REQUIRE(spinUntil([&] { return done >= n; }, 60000 + n * 10000));
    QObject::disconnect(c);
}

} // namespace codalab::test
