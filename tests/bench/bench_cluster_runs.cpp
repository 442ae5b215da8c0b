// SPDX-License-Identifier: GPL-3.0-or-later
// The worker manager's benchmark (issue #17): N short runs through codalab-worker-manager on the one-node
// test cluster (each a Slurm job running codalab-worker), submit -> all ready, against the same N through one
// worker started by hand with as many slots as the node has CPUs. Prints the ratio and where a run's time
// goes through the cluster: sbatch -> job start -> the job's worker checked in -> the run's stages. Needs the
// test cluster (scripts/ensure-slurm.sh, or the ctest fixture) and Docker. Prints figures; never fails on
// time.
//
//   bench_cluster_runs [--runs N]
#define CATCH_CONFIG_RUNNER
#include "cluster/managertestsupport.h"
#include "cluster/workermanager.h"
#include "support/procstatus.h"
#include "worker/workerharness.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLoggingCategory>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>

using namespace codalab;
using namespace codalab::test;

namespace {

int runs = 10;

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? 0.0 : v[v.size() / 2];
}

/// Submits `runs` runs of `echo x` for `queue`; waits until all are ready; the seconds it took.
double batch(HttpTestClient &client, const QString &queue, QStringList *uuids)
{
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < runs; ++i) {
        *uuids << submitRun(client, QStringLiteral("echo x"),
            queue.isEmpty() ? QJsonObject() : QJsonObject { { QStringLiteral("request_queue"), queue } });
    }
    for (const QString &uuid : std::as_const(*uuids)) {
        REQUIRE(waitForState(client, uuid, { QStringLiteral("ready"), QStringLiteral("failed") }, 300000)
                    .value(QLatin1String("state"))
                    .toString()
            == QLatin1String("ready"));
    }
    return double(t.nsecsElapsed()) / 1e9;
}

/// When the job's worker logged "Worker started!" (its first check-in follows at once), from its output.
QDateTime workerStarted(const QString &logPath)
{
    QFile f(logPath);
    if (!f.open(QIODevice::ReadOnly)) {
        return {};
    }
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.contains("Worker started!")) {
            return QDateTime::fromString(
                QString::fromLatin1(line.left(line.indexOf(' '))), Qt::ISODateWithMs);
        }
    }
    return {};
}

} // namespace

TEST_CASE("short runs through the worker manager on Slurm against one worker started by hand", "[cluster]")
{
    std::printf("%s\n", loadAverageText().constData());
    LocalServerFixture f;
    auto client = f.root();

    // Baseline: one worker, as many slots as the node has CPUs (what the cluster can run at once).
    double byHand = 0;
    int slotCount = 0;
    {
        WorkerHarness h(f, [](worker::WorkerConfig &c) { c.slotCount = int(c.cpuset.size()); });
        h.start();
        slotCount = h.config.slotCount;
        const QString warm = submitRun(*client, QStringLiteral("true"));
        waitForState(*client, warm, { QStringLiteral("ready"), QStringLiteral("failed") });
        QStringList uuids;
        byHand = batch(*client, QString(), &uuids);
    }

    ManagerHarness m(f);
    m.config.maxWorkers = runs;
    m.start();
    QStringList uuids;
    const double managed = batch(*client, m.config.tag, &uuids);

    QList<double> toStart; // sbatch -> Slurm started the job
    QList<double> toCheckin; // job start -> its worker started (and checked in)
    QList<double> preparing;
    QList<double> running;
    QList<double> finishing;
    for (const cluster::SlurmJob &j : slurmJobs(m.config.jobNameStem())) {
        if (j.submitted.isValid() && j.started.isValid()) {
            toStart << double(j.submitted.msecsTo(j.started));
            const QDateTime worker = workerStarted(m.manager->logPath(j));
            if (worker.isValid()) {
                toCheckin << double(j.started.msecsTo(worker));
            }
        }
    }
    for (const QString &uuid : std::as_const(uuids)) {
        const QJsonObject b = bundle(*client, uuid);
        preparing << metadata(b, "time_preparing").toDouble() * 1e3;
        running << metadata(b, "time_running").toDouble() * 1e3;
        finishing << (metadata(b, "time_cleaning_up").toDouble()
                         + metadata(b, "time_uploading_results").toDouble())
                * 1e3;
    }
    std::printf("%d runs of `echo x`, submit -> all ready\n", runs);
    std::printf("  one worker by hand, %d slots          %7.2f s\n", slotCount, byHand);
    std::printf("  codalab-worker-manager on Slurm      %7.2f s  (%d jobs)\n", managed, int(toStart.size()));
    std::printf("  ratio by-hand/manager %.2f (1.00: the cluster costs nothing)\n", byHand / managed);
    std::printf("  per job, medians in ms (Slurm's times are whole seconds): sbatch -> job start %.0f, "
                "job start -> worker started %.0f\n",
        median(toStart), median(toCheckin));
    std::printf("  per run, medians in ms: preparing %.0f, running %.0f, cleaning up + uploading %.0f\n",
        median(preparing), median(running), median(finishing));
    std::fflush(stdout);
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (!qEnvironmentVariableIsSet("QT_LOGGING_RULES")) {
        QLoggingCategory::setFilterRules(
            QStringLiteral("codalab.*.info=false;codalab.localserver.http.warning=false"));
    }
    Catch::Session session;
    using namespace Catch::clara;
    session.cli(session.cli() | Opt(runs, "N")["--runs"]("runs in each batch (default 10)"));
    if (const int rc = session.applyCommandLine(argc, argv); rc != 0) {
        return rc;
    }
    return session.run();
}
