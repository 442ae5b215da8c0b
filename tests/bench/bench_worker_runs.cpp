// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmarks P1 and P2 of the worker engine (issue #5), in process: a codalab-local-server
// (LocalServerFixture) and a worker::Worker (WorkerHarness) against the real dockerd. Prints figures; never
// fails on time.
//
//   bench_worker_runs [--runs N] [--slots N] [--starts N] ["[p1]" | "[p2]"]
//
// P1: N short runs (`echo x`) on --slots slots, submit → all final, against N bare `docker run --rm`
//     (no network, same image) --slots at a time; ratio bare/ours (1.00: as fast as bare Docker).
// P2: submit → container StartedAt (and → bundle `running`), against `docker run -d` → StartedAt.
#define CATCH_CONFIG_RUNNER
#include "support/codalabtestdata.h"
#include "support/dockertestenv.h"
#include "support/processusage.h"
#include "support/spinuntil.h"
#include "worker/run.h"
#include "worker/workerharness.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QProcess>
#include <QRandomGenerator>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <functional>
#include <unistd.h>

using namespace codalab;
using namespace codalab::test;

namespace {

struct Options
{
    int runs = 20;
    int slotCount = 4;
    int starts = 5;
} options;

const QString Image = QStringLiteral("codalab-test/busybox:latest");

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0.0 : values[values.size() / 2];
}

QString range(const QList<double> &values, int precision = 0)
{
    if (values.isEmpty()) {
        return QStringLiteral("-");
    }
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    return QStringLiteral("median %1 (%2-%3)")
        .arg(median(values), 0, 'f', precision)
        .arg(*lo, 0, 'f', precision)
        .arg(*hi, 0, 'f', precision);
}

QStringList bareArguments(const QStringList &extra, const QStringList &command)
{
    return QStringList { QStringLiteral("run") } + extra
        + QStringList { QStringLiteral("--network"), QStringLiteral("none"), QStringLiteral("--label"),
              QStringLiteral("codalab-test=1"), Image }
    + command;
}

/// `runs` bare `docker run --rm … echo x`, `parallel` at a time; the wall time in seconds.
double bareBatch(int runs, int parallel)
{
    int launched = 0;
    int done = 0;
    int failed = 0;
    std::function<void()> launch = [&] {
        auto *p = new QProcess;
        ++launched;
        QObject::connect(p, &QProcess::finished, p, [&, p](int code, QProcess::ExitStatus status) {
            failed += (code != 0 || status != QProcess::NormalExit) ? 1 : 0;
            ++done;
            p->deleteLater();
            if (launched < runs) {
                launch();
            }
        });
        p->start(QStringLiteral("docker"),
            bareArguments({ QStringLiteral("--rm") }, { QStringLiteral("echo"), QStringLiteral("x") }));
    };
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < qMin(parallel, runs); ++i) {
        launch();
    }
    REQUIRE(codalab::test::spinUntil([&] { return done == runs; }, 600000, 10));
    const double seconds = double(t.nsecsElapsed()) / 1e9;
    REQUIRE(failed == 0); // a figure of failed runs would mean nothing
    return seconds;
}

/// CPU clock ticks of this process, of its reaped children (the bare runs' docker CLIs) and of the Docker
/// daemons (dockerd, containerd): where a batch's CPU went, on a machine whose cores all of them share.
struct BatchCpu
{
    qint64 self = 0;
    qint64 children = 0;
    qint64 daemons = 0;
};

BatchCpu batchCpu()
{
    BatchCpu c;
    const CpuTicks me = cpuTicksOf(QCoreApplication::applicationPid());
    c.self = me.own;
    c.children = me.children;
    QProcess pidof;
    pidof.start(QStringLiteral("pidof"), { QStringLiteral("dockerd"), QStringLiteral("containerd") });
    pidof.waitForFinished();
    for (const QByteArray &pid : pidof.readAllStandardOutput().simplified().split(' ')) {
        if (!pid.isEmpty()) {
            c.daemons += qMax<qint64>(0, cpuTicksOf(pid.toLongLong()).own);
        }
    }
    return c;
}

QString cpuText(const BatchCpu &before, const BatchCpu &after, int runs)
{
    const double tick = 1000.0 / double(sysconf(_SC_CLK_TCK)); // ms
    const auto perRun = [&](qint64 ticks) { return double(ticks) * tick / runs; };
    return QStringLiteral("CPU ms a run: this process %1, docker CLIs %2, dockerd+containerd %3")
        .arg(perRun(after.self - before.self), 0, 'f', 0)
        .arg(perRun(after.children - before.children), 0, 'f', 0)
        .arg(perRun(after.daemons - before.daemons), 0, 'f', 0);
}

QDateTime dockerTime(const QString &text)
{
    // "2024-05-01T12:00:00.123456789Z": Qt parses milliseconds, not nanoseconds.
    const qsizetype dot = text.indexOf(QLatin1Char('.'));
    return QDateTime::fromString(dot < 0 ? text : text.left(dot + 4) + QLatin1Char('Z'), Qt::ISODateWithMs);
}

QDateTime startedAt(docker::DockerClient &docker, const QString &container)
{
    const docker::DockerResult r = waitReply(docker.inspectContainer(container));
    if (r.error) {
        return {};
    }
    const QDateTime t = dockerTime(r.json.object()
                                       .value(QLatin1String("State"))
                                       .toObject()
                                       .value(QLatin1String("StartedAt"))
                                       .toString());
    return t.isValid() && t.date().year() > 2000 ? t : QDateTime();
}

/// A worker set up as the daemon is, apart from the harness's id and networks.
void daemonDefaults(worker::WorkerConfig &c)
{
    const worker::WorkerConfig defaults;
    c.slotCount = options.slotCount;
    c.statsIntervalMs = defaults.statsIntervalMs;
    c.imageRefreshSec = defaults.imageRefreshSec;
}

QString batchName()
{
    return QStringLiteral("bench-%1").arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
}

/// Bundles named `name` in a final state, by uuid.
QHash<QString, QJsonObject> finalBundles(HttpTestClient &client, const QString &name)
{
    const HttpResult r = client.get(QStringLiteral(
        "/rest/bundles?keywords=name=%1&keywords=state=ready,failed,killed&keywords=.limit=100000")
                                        .arg(name));
    QHash<QString, QJsonObject> found;
    for (const QJsonValue &v : r.json.object().value(QLatin1String("data")).toArray()) {
        found.insert(v.toObject().value(QLatin1String("id")).toString(),
            v.toObject().value(QLatin1String("attributes")).toObject());
    }
    return found;
}

} // namespace

TEST_CASE("P1: short runs through local server and worker against bare docker run", "[p1]")
{
    const int runs = qMax(1, options.runs);
    LocalServerFixture f;
    WorkerHarness h(f, daemonDefaults);
    h.start();
    auto client = f.root();
    const int cpus = int(h.config.cpuset.size());
    const int effective = qMin(options.slotCount, cpus); // each run holds 1 of the worker's CPUs (§8)

    // Warm-up: the first run tries the image tag once (offline: the local image), and dockerd warms up.
    const QString warm = submitRun(*client, QStringLiteral("true"));
    waitForState(*client, warm, { QStringLiteral("ready"), QStringLiteral("failed") });
    bareBatch(qMin(4, runs), options.slotCount);

    const QString name = batchName();
    const BatchCpu oursCpuStart = batchCpu();
    QElapsedTimer t;
    t.start();
    QHash<QString, qint64> submittedMs;
    for (int i = 0; i < runs; ++i) {
        const QString uuid
            = submitRun(*client, QStringLiteral("echo x"), { { QStringLiteral("name"), name } });
        submittedMs.insert(uuid, t.elapsed());
    }
    const double submitSeconds = double(t.elapsed()) / 1e3;
    QHash<QString, QJsonObject> done;
    QHash<QString, qint64> doneMs;
    // The worker's side, seen every 20 ms: when it took each run, reached FINALIZING, and forgot it.
    QHash<QString, qint64> acceptedMs;
    QHash<QString, qint64> finalizingMs;
    QHash<QString, qint64> forgottenMs;
    int concurrent = 0;
    int polls = 0;
    REQUIRE(codalab::test::spinUntil(
        [&] {
            const QList<worker::Run *> held = h.worker->runs();
            concurrent = qMax(concurrent, int(held.size()));
            QSet<QString> present;
            for (const worker::Run *r : held) {
                present.insert(r->uuid());
                acceptedMs.insert(r->uuid(), acceptedMs.value(r->uuid(), t.elapsed()));
                if (r->stage() >= worker::RunStage::Finalizing) {
                    finalizingMs.insert(r->uuid(), finalizingMs.value(r->uuid(), t.elapsed()));
                }
            }
            for (auto it = acceptedMs.begin(); it != acceptedMs.end(); ++it) {
                if (!present.contains(it.key()) && !forgottenMs.contains(it.key())) {
                    forgottenMs.insert(it.key(), t.elapsed());
                }
            }
            // The REST API is asked only when the worker has let a run go that is not yet seen final (and
            // every 200 ms besides): at every poll, the bench's own queries cost the engine a quarter of its
            // CPU (perf), CPU that dockerd needs on this 2-core machine.
            const bool ask = forgottenMs.size() > done.size() || ++polls % 10 == 0;
            if (!ask) {
                return false;
            }
            const QHash<QString, QJsonObject> now = finalBundles(*client, name);
            for (auto it = now.begin(); it != now.end(); ++it) {
                if (!doneMs.contains(it.key())) {
                    doneMs.insert(it.key(), t.elapsed());
                }
            }
            done = now;
            return done.size() == runs;
        },
        600000, 20));
    const double ours = double(t.nsecsElapsed()) / 1e9;
    const BatchCpu oursCpuEnd = batchCpu();

    QList<double> latency;
    QList<double> inWorker; // accepted → forgotten
    QList<double> toFinalized; // FINALIZING → forgotten: reported, then mark_finalized in a check-in answer
    QList<double> toFinal; // forgotten → final state visible through the REST API
    QList<double> preparing;
    QList<double> running;
    QList<double> cleaning;
    QList<double> uploading;
    int ready = 0;
    for (auto it = done.begin(); it != done.end(); ++it) {
        ready += it->value(QLatin1String("state")).toString() == QLatin1String("ready") ? 1 : 0;
        latency << double(doneMs.value(it.key()) - submittedMs.value(it.key()));
        if (acceptedMs.contains(it.key()) && finalizingMs.contains(it.key())
            && forgottenMs.contains(it.key())) {
            inWorker << double(forgottenMs.value(it.key()) - acceptedMs.value(it.key()));
            toFinalized << double(forgottenMs.value(it.key()) - finalizingMs.value(it.key()));
            toFinal << double(doneMs.value(it.key()) - forgottenMs.value(it.key()));
        }
        preparing << metadata(*it, "time_preparing").toDouble() * 1e3;
        running << metadata(*it, "time_running").toDouble() * 1e3;
        cleaning << metadata(*it, "time_cleaning_up").toDouble() * 1e3;
        uploading << metadata(*it, "time_uploading_results").toDouble() * 1e3;
    }
    CHECK(ready == runs);

    const double bare = bareBatch(runs, options.slotCount);
    const BatchCpu bareCpuStart = batchCpu();
    const double bareEffective = effective < options.slotCount ? bareBatch(runs, effective) : bare;
    const BatchCpu bareCpuEnd = batchCpu();
    std::printf("P1: %d runs of `echo x` on %d slots (%d CPUs: at most %d at once), image %s\n", runs,
        options.slotCount, cpus, effective, qPrintable(Image));
    std::printf("  ours: submit -> all final    %7.2f s  (%.2f runs/s; %d ready; POSTs took %.2f s; "
                "at most %d runs held at once)\n",
        ours, runs / ours, ready, submitSeconds, concurrent);
    std::printf("  bare docker run --rm, %d at a time %7.2f s  (%.2f runs/s)\n", options.slotCount, bare,
        runs / bare);
    if (effective < options.slotCount) {
        std::printf("  bare docker run --rm, %d at a time %7.2f s  (%.2f runs/s)\n", effective, bareEffective,
            runs / bareEffective);
    }
    std::printf("  ratio bare/ours  %.2f (aim >= 0.80)", bare / ours);
    if (effective < options.slotCount) {
        std::printf("; at equal concurrency (%d) %.2f", effective, bareEffective / ours);
    }
    std::printf("\n  per run, ms: submit->final %s\n", qPrintable(range(latency)));
    std::printf("    stages reported by the worker: preparing %s, running %s, cleaning up %s, uploading %s\n",
        qPrintable(range(preparing)), qPrintable(range(running)), qPrintable(range(cleaning)),
        qPrintable(range(uploading)));
    std::printf("    seen in the worker (20 ms polls): held %s, of which FINALIZING -> forgotten %s; "
                "forgotten -> final in the API %s\n",
        qPrintable(range(inWorker)), qPrintable(range(toFinalized)), qPrintable(range(toFinal)));
    std::printf("    ours: %s\n    bare, %d at a time: %s\n",
        qPrintable(cpuText(oursCpuStart, oursCpuEnd, runs)), effective,
        qPrintable(cpuText(bareCpuStart, bareCpuEnd, runs)));
    double held = 0;
    for (double ms : std::as_const(inWorker)) {
        held += ms / 1e3;
    }
    // Slot time not covered by a run: what the check-in round trips between runs cost.
    const double idle = ours * effective - held;
    std::printf("    slot-seconds: %.2f available (%d slots x %.2f s), %.2f held by runs, %.2f idle "
                "(%.0f ms a run)\n",
        ours * effective, effective, ours, held, idle, idle / runs * 1e3);
    std::fflush(stdout);
}

TEST_CASE("P2: submit to container started against one bare docker run", "[p2]")
{
    LocalServerFixture f;
    WorkerHarness h(f, daemonDefaults);
    h.start();
    auto client = f.root();
    const QString warm = submitRun(*client, QStringLiteral("true"));
    waitForState(*client, warm, { QStringLiteral("ready"), QStringLiteral("failed") });

    QList<double> toStarted;
    QList<double> toRunning;
    QList<double> bare;
    QList<double> bareWall;
    for (int i = 0; i < qMax(1, options.starts); ++i) {
        // Ours: the clock starts right before the POST that creates the bundle.
        const QDateTime submitted = QDateTime::currentDateTimeUtc();
        QElapsedTimer t;
        t.start();
        const QString uuid = submitRun(*client, QStringLiteral("sleep 1"));
        const QString container = QStringLiteral("codalab_run_") + uuid;
        QDateTime started;
        qint64 runningMs = -1;
        REQUIRE(codalab::test::spinUntil(
            [&] {
                if (!started.isValid()) {
                    started = startedAt(h.docker, container);
                }
                if (runningMs < 0
                    && bundle(*client, uuid).value(QLatin1String("state")).toString()
                        == QLatin1String("running")) {
                    runningMs = t.elapsed();
                }
                return started.isValid() && runningMs >= 0;
            },
            60000));
        toStarted << double(submitted.msecsTo(started));
        toRunning << double(runningMs);
        waitForState(*client, uuid, { QStringLiteral("ready"), QStringLiteral("failed") });

        // Bare: `docker run -d` returns once the container started.
        const QString name = QStringLiteral("codalab-test-") + batchName();
        QProcess p;
        const QDateTime launched = QDateTime::currentDateTimeUtc();
        t.restart();
        p.start(QStringLiteral("docker"),
            bareArguments({ QStringLiteral("-d"), QStringLiteral("--name"), name },
                { QStringLiteral("sleep"), QStringLiteral("1") }));
        REQUIRE(p.waitForFinished(60000));
        bareWall << double(t.elapsed());
        const QDateTime bareStarted = startedAt(h.docker, name);
        REQUIRE(bareStarted.isValid());
        bare << double(launched.msecsTo(bareStarted));
        waitReply(h.docker.removeContainer(name, true));
    }
    const double ratio = median(toStarted) / qMax(1.0, median(bare));
    std::printf("P2: submit -> container started, %d samples each, ms\n", int(toStarted.size()));
    std::printf("  ours: POST /rest/bundles -> StartedAt   %s\n", qPrintable(range(toStarted)));
    std::printf("  ours: POST /rest/bundles -> state running %s\n", qPrintable(range(toRunning)));
    std::printf("  bare: docker run -d -> StartedAt      %s (the command returned after %s)\n",
        qPrintable(range(bare)), qPrintable(range(bareWall)));
    std::printf("  ratio ours/bare (medians, StartedAt) %.2f (aim <= 1.50)\n", ratio);
    std::fflush(stdout);
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (!qEnvironmentVariableIsSet("QT_LOGGING_RULES")) {
        QLoggingCategory::setFilterRules(QStringLiteral("codalab.*.info=false")); // figures, not logs
    }
    Catch::Session session;
    using namespace Catch::clara;
    session.cli(session.cli() | Opt(options.runs, "N")["--runs"]("P1: runs in each batch (default 20)")
        | Opt(options.slotCount, "N")["--slots"]("P1: worker slots and bare runs at a time (default 4)")
        | Opt(options.starts, "N")["--starts"]("P2: samples (default 5)"));
    if (const int rc = session.applyCommandLine(argc, argv); rc != 0) {
        return rc;
    }
    return session.run();
}
