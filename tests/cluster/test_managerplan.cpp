// SPDX-License-Identifier: GPL-3.0-or-later
// The worker manager's decisions (ManagerPlan), from what the server and Slurm said: no I/O.
#include "cluster/managerplan.h"

#include <catch2/catch.hpp>

using namespace codalab::cluster;

namespace {

ManagerConfig config(int maxWorkers = 10, int minWorkers = 0)
{
    ManagerConfig c;
    c.serverUrl = QStringLiteral("http://127.0.0.1:1");
    c.tag = QStringLiteral("gpu");
    c.logDir = QStringLiteral("/tmp/logs");
    c.maxWorkers = maxWorkers;
    c.minWorkers = minWorkers;
    return c;
}

StagedRun run(const QString &uuid)
{
    StagedRun r;
    r.uuid = uuid;
    return r;
}

SlurmJob job(const QString &id, const QString &run, const QString &state = QStringLiteral("PENDING"))
{
    SlurmJob j;
    j.id = id;
    j.name = QStringLiteral("codalab-gpu-") + run;
    j.state = state;
    return j;
}

QStringList uuids(const QList<StagedRun> &runs)
{
    QStringList out;
    for (const StagedRun &r : runs) {
        out << r.uuid;
    }
    return out;
}

} // namespace

TEST_CASE("a staged run with no job gets one, oldest first, up to --max-workers", "[cluster][plan]")
{
    ManagerPlan::Inputs in;
    in.staged = { run(QStringLiteral("0xc")), run(QStringLiteral("0xb")),
        run(QStringLiteral("0xa")) }; // newest first
    const ManagerPlan plan = ManagerPlan::make(config(2), in);
    CHECK(uuids(plan.submit) == QStringList { QStringLiteral("0xa"), QStringLiteral("0xb") });
    CHECK(plan.cancel.isEmpty());
    CHECK(plan.spares == 0);
}

TEST_CASE("a run with a job coming or running gets no second one", "[cluster][plan]")
{
    ManagerPlan::Inputs in;
    in.staged = { run(QStringLiteral("0xb")), run(QStringLiteral("0xa")) };
    in.jobs = { job(QStringLiteral("7"), QStringLiteral("0xa")),
        job(QStringLiteral("8"), QStringLiteral("0xb"), QStringLiteral("RUNNING")) };
    const ManagerPlan plan = ManagerPlan::make(config(), in);
    CHECK(plan.submit.isEmpty());
    CHECK(plan.cancel.isEmpty());
}

TEST_CASE("active jobs count against --max-workers; ended ones do not", "[cluster][plan]")
{
    ManagerPlan::Inputs in;
    in.staged = { run(QStringLiteral("0xc")), run(QStringLiteral("0xb")) };
    in.jobs = { job(QStringLiteral("1"), QStringLiteral("0xz"), QStringLiteral("RUNNING")),
        job(QStringLiteral("2"), QStringLiteral("0xy"), QStringLiteral("COMPLETED")),
        job(QStringLiteral("3"), QStringLiteral("0xx"), QStringLiteral("FAILED")) };
    CHECK(uuids(ManagerPlan::make(config(2), in).submit) == QStringList { QStringLiteral("0xb") });
    CHECK(ManagerPlan::make(config(1), in).submit.isEmpty());
}

TEST_CASE(
    "a pending job whose run is no longer staged is cancelled; a running one is left", "[cluster][plan]")
{
    ManagerPlan::Inputs in;
    in.staged = { run(QStringLiteral("0xa")) };
    in.jobs = { job(QStringLiteral("1"), QStringLiteral("0xa")),
        job(QStringLiteral("2"), QStringLiteral("0xgone")),
        job(QStringLiteral("3"), QStringLiteral("0xtaken"), QStringLiteral("RUNNING")) };
    const ManagerPlan plan = ManagerPlan::make(config(), in);
    CHECK(plan.cancel == QStringList { QStringLiteral("2") });
    CHECK(plan.submit.isEmpty());
}

TEST_CASE("a run Slurm refused is not submitted again", "[cluster][plan]")
{
    ManagerPlan::Inputs in;
    in.staged = { run(QStringLiteral("0xb")), run(QStringLiteral("0xa")) };
    in.refused = { QStringLiteral("0xa") };
    CHECK(uuids(ManagerPlan::make(config(), in).submit) == QStringList { QStringLiteral("0xb") });
}

TEST_CASE("paused submits nothing but still cancels; stopping cancels every pending job", "[cluster][plan]")
{
    ManagerPlan::Inputs in;
    in.staged = { run(QStringLiteral("0xa")), run(QStringLiteral("0xb")) };
    in.jobs = { job(QStringLiteral("1"), QStringLiteral("0xa")),
        job(QStringLiteral("2"), QStringLiteral("0xgone")),
        job(QStringLiteral("3"), QStringLiteral("0xc"), QStringLiteral("RUNNING")) };
    in.paused = true;
    ManagerPlan plan = ManagerPlan::make(config(), in);
    CHECK(plan.submit.isEmpty());
    CHECK(plan.cancel == QStringList { QStringLiteral("2") });
    in.paused = false;
    in.stopping = true;
    plan = ManagerPlan::make(config(), in);
    CHECK(plan.submit.isEmpty());
    CHECK(plan.spares == 0);
    CHECK(plan.cancel == QStringList { QStringLiteral("1"), QStringLiteral("2") });
}

TEST_CASE(
    "spare jobs keep --min-workers, within --max-workers, and extra pending spares go", "[cluster][plan]")
{
    ManagerPlan::Inputs in;
    CHECK(ManagerPlan::make(config(3, 2), in).spares == 2);
    in.jobs = { job(QStringLiteral("1"), QStringLiteral("spare-ab"), QStringLiteral("RUNNING")) };
    CHECK(ManagerPlan::make(config(3, 2), in).spares == 1);
    in.staged = { run(QStringLiteral("0xb")), run(QStringLiteral("0xa")) };
    ManagerPlan plan = ManagerPlan::make(config(3, 2), in);
    CHECK(plan.submit.size() == 2); // runs first; no room left for the second spare
    CHECK(plan.spares == 0);
    in.staged.clear();
    in.jobs << job(QStringLiteral("2"), QStringLiteral("spare-cd"))
            << job(QStringLiteral("3"), QStringLiteral("spare-ef"));
    plan = ManagerPlan::make(config(3, 1), in);
    CHECK(plan.cancel.size() == 2); // three spares for a minimum of one: the two pending ones go
}

TEST_CASE("other managers' and other tags' jobs are not ours to count or cancel", "[cluster][plan]")
{
    ManagerPlan::Inputs in;
    in.staged = { run(QStringLiteral("0xa")) };
    SlurmJob other = job(QStringLiteral("9"), QStringLiteral("0xa"));
    other.name = QStringLiteral("codalab-cpu-0xa");
    in.jobs = { other };
    const ManagerPlan plan = ManagerPlan::make(config(1), in);
    CHECK(uuids(plan.submit) == QStringList { QStringLiteral("0xa") });
    CHECK(plan.cancel.isEmpty());
}
