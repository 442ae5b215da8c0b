// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark P4 of the worker engine (issue #5): the idle `codalab-worker` daemon, as a process of its own,
// sampled for --seconds seconds: CPU as % of one core (utime+stime from /proc/<pid>/stat, and with its
// reaped children's cutime+cstime) and VmRSS. Twice: with `--local` (the server embedded in the same
// process, as one command runs everything) and against a separate `codalab-local-server` process, whose
// own figures are printed too. The baseline, sampled over the same spans: a bare QCoreApplication idling in
// its event loop (this program with --bare), to which the worker's CPU and RSS are given as ratios. Prints
// figures; never fails on time.
//
//   bench_worker_idle [--seconds N] [--settle N]
#define CATCH_CONFIG_RUNNER
#include "support/processusage.h"
#include "support/procstatus.h"
#include "support/spinuntil.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <unistd.h>

namespace {

using codalab::test::ProcessUsage;

struct Options
{
    int seconds = 20;
    int settle = 3;
} options;

/// A process of ours, its output in files; SIGTERM and then SIGKILL when it goes out of scope.
struct Child
{
    std::unique_ptr<QProcess> process = std::make_unique<QProcess>();
    QString log;

    Child(const QString &program, const QStringList &arguments, const QString &logPrefix)
        : log(logPrefix + QStringLiteral(".out"))
    {
        process->setStandardOutputFile(log);
        process->setStandardErrorFile(logPrefix + QStringLiteral(".err"));
        process->start(program, arguments);
        REQUIRE(process->waitForStarted());
    }
    ~Child()
    {
        process->terminate();
        if (!process->waitForFinished(15000)) {
            process->kill();
            process->waitForFinished();
        }
    }
    qint64 pid() const { return process->processId(); }
    bool printed(const QByteArray &text) const
    {
        QFile file(log);
        return file.open(QIODevice::ReadOnly) && file.readAll().contains(text);
    }
};

/// The shared sampler, with the worker's checks: every process sampled must live through the span.
QList<ProcessUsage> sample(const QList<qint64> &pids, int seconds)
{
    const QList<ProcessUsage> usage = codalab::test::sampleProcesses(pids, seconds);
    for (const ProcessUsage &u : usage) {
        REQUIRE(u.cpuPercent >= 0); // alive at both ends
    }
    return usage;
}

/// The worker's figures as multiples of the bare process's; CPU only when the baseline used a clock tick.
void printRatios(const ProcessUsage &u, const ProcessUsage &bare)
{
    const QString cpu = bare.cpuPercent > 0
        ? QStringLiteral("%1").arg(u.cpuPercent / bare.cpuPercent, 0, 'f', 1)
        : QStringLiteral("n/a (the baseline used no clock tick; worker %1 % more)")
              .arg(u.cpuPercent - bare.cpuPercent, 0, 'f', 2);
    std::printf("  %-44s CPU %s, VmRSS mean %.2f, VmHWM %.2f\n",
        "  ratio to the bare event loop:", qPrintable(cpu), u.rssMeanMiB / qMax(0.001, bare.rssMeanMiB),
        u.hwmMiB / qMax(0.001, bare.hwmMiB));
}

void print(const char *what, const ProcessUsage &u)
{
    std::printf("  %-44s CPU %5.2f %% of a core (%5.2f %% with reaped children), VmRSS mean %5.1f MiB, max "
                "%5.1f MiB, VmHWM %5.1f MiB\n",
        what, u.cpuPercent, u.cpuWithChildrenPercent, u.rssMeanMiB, u.rssMaxMiB, u.hwmMiB);
}

QStringList workerArguments(const QTemporaryDir &dir)
{
    return { QStringLiteral("--work-dir"), dir.filePath(QStringLiteral("work")),
        QStringLiteral("--no-network"), QStringLiteral("--control-socket"),
        dir.filePath(QStringLiteral("control.sock")), QStringLiteral("--id"), QStringLiteral("bench-idle") };
}

} // namespace

TEST_CASE("P4: the idle codalab-worker daemon's CPU and memory", "[p4]")
{
    const int seconds = qMax(1, options.seconds);
    std::printf(
        "P4: idle codalab-worker sampled over %d s after %d s of settling (clock tick %ld/s: one tick "
        "is %.3f %% of a core over the span)\n",
        seconds, options.settle, ::sysconf(_SC_CLK_TCK), 100.0 / double(::sysconf(_SC_CLK_TCK)) / seconds);
    std::printf("  %s at the start\n", codalab::test::loadAverageText().constData());
    // The baseline runs all along and is sampled over the same spans as each worker.
    QTemporaryDir bareDir;
    REQUIRE(bareDir.isValid());
    Child bare(QCoreApplication::applicationFilePath(), { QStringLiteral("--bare") },
        bareDir.filePath(QStringLiteral("bare")));
    REQUIRE(codalab::test::spinUntil([&] { return bare.printed("idle"); }, 60000, 20));
    {
        QTemporaryDir dir;
        REQUIRE(dir.isValid());
        Child worker(QStringLiteral(CODALAB_WORKER_BIN),
            workerArguments(dir) << QStringLiteral("--local") << QStringLiteral("--local-data-dir")
                                 << dir.filePath(QStringLiteral("server")),
            dir.filePath(QStringLiteral("worker")));
        REQUIRE(codalab::test::spinUntil([&] { return worker.printed("serving"); }, 60000, 20));
        ::sleep(unsigned(options.settle));
        const QList<ProcessUsage> u = sample({ worker.pid(), bare.pid() }, seconds);
        print("codalab-worker --local (server embedded)", u[0]);
        print("baseline: bare QCoreApplication event loop", u[1]);
        printRatios(u[0], u[1]);
    }
    {
        QTemporaryDir dir;
        REQUIRE(dir.isValid());
        const QString data = dir.filePath(QStringLiteral("server"));
        Child server(QStringLiteral(CODALAB_LOCAL_SERVER_BIN), { QStringLiteral("--data-dir"), data },
            dir.filePath(QStringLiteral("server")));
        REQUIRE(codalab::test::spinUntil([&] { return server.printed("listening on"); }, 60000, 20));
        QFile urlFile(data + QStringLiteral("/server-url"));
        REQUIRE(urlFile.open(QIODevice::ReadOnly));
        const QString url = QString::fromUtf8(urlFile.readAll()).trimmed();
        Child worker(QStringLiteral(CODALAB_WORKER_BIN),
            workerArguments(dir) << QStringLiteral("--server") << url << QStringLiteral("--password-file")
                                 << data + QStringLiteral("/codalab-password"),
            dir.filePath(QStringLiteral("worker")));
        REQUIRE(codalab::test::spinUntil([&] { return worker.printed("serving"); }, 60000, 20));
        ::sleep(unsigned(options.settle));
        const QList<ProcessUsage> u = sample({ worker.pid(), server.pid(), bare.pid() }, seconds);
        print("codalab-worker --server (separate server)", u[0]);
        print("  its codalab-local-server process", u[1]);
        print("baseline: bare QCoreApplication event loop", u[2]);
        printRatios(u[0], u[2]);
    }
    std::printf("  aim: < 0.50 %% of a core and < 40 MiB\n");
    std::fflush(stdout);
}

int main(int argc, char *argv[])
{
    if (argc == 2 && std::strcmp(argv[1], "--bare") == 0) {
        // The baseline: a Qt process that does nothing but wait in its event loop.
        QCoreApplication bare(argc, argv);
        std::printf("idle\n");
        std::fflush(stdout);
        return QCoreApplication::exec();
    }
    QCoreApplication app(argc, argv);
    Catch::Session session;
    using namespace Catch::clara;
    session.cli(session.cli()
        | Opt(options.seconds, "N")["--seconds"]("sampling span in seconds (default 20)")
        | Opt(options.settle, "N")["--settle"]("seconds after start-up before sampling (default 3)"));
    if (const int rc = session.applyCommandLine(argc, argv); rc != 0) {
        return rc;
    }
    return session.run();
}
