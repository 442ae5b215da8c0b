// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark P5 of the desktop (issue #8: "the GUI's idle RSS, aim < 150 MiB"): starts the real
// codalab-desktop on the offscreen platform with HOME and the XDG directories in a temporary directory (so
// it sees a first start: the local profile, and it starts its own codalab-worker --local there, as it does
// for a new user), lets it settle for --settle seconds and samples it for --seconds: VmRSS once a second and
// CPU (utime+stime of /proc/<pid>/stat) over the span. The baseline, started at the same time and sampled
// over the same span: a minimal Qt Widgets process, this program with --bare (a QApplication and an empty
// QMainWindow shown). Prints both and their ratio. With --no-worker the desktop is told not to manage a
// worker (worker/manage=false), so it shows its "no worker" state instead. Every process whose command line
// names the temporary directory (the worker the desktop started, detached) is stopped at the end. Prints
// figures; never fails on time.
//
//   bench_desktop_idle [--settle N] [--seconds N] [--no-worker]
#include "support/processusage.h"
#include "support/procstatus.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QMainWindow>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace {

using codalab::test::ProcessUsage;

void print(const char *what, const ProcessUsage &u)
{
    std::printf("  %-40s CPU %5.2f %% of a core, VmRSS mean %6.1f MiB, max %6.1f MiB, VmHWM %6.1f MiB\n",
        what, u.cpuPercent, u.rssMeanMiB, u.rssMaxMiB, u.hwmMiB);
}

/// The processes other than this one whose command line contains `text`.
QList<qint64> processesNaming(const QString &text)
{
    QList<qint64> pids;
    const QByteArray needle = text.toUtf8();
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool numeric = false;
        const qint64 pid = entry.toLongLong(&numeric);
        if (!numeric || pid == ::getpid()) {
            continue;
        }
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
        if (cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().contains(needle)) {
            pids << pid;
        }
    }
    return pids;
}

/// SIGTERM, then SIGKILL for what is still there after 10 s.
void stopAll(const QList<qint64> &pids)
{
    for (qint64 pid : pids) {
        ::kill(pid_t(pid), SIGTERM);
    }
    for (int i = 0; i < 100; ++i) {
        bool alive = false;
        for (qint64 pid : pids) {
            alive = alive || codalab::test::cpuTicksOf(pid).own >= 0;
        }
        if (!alive) {
            return;
        }
        ::usleep(100000);
    }
    for (qint64 pid : pids) {
        ::kill(pid_t(pid), SIGKILL);
    }
}

bool printed(const QString &log, const QByteArray &text)
{
    QFile file(log);
    return file.open(QIODevice::ReadOnly) && file.readAll().contains(text);
}

int bare(int argc, char *argv[])
{
    // The baseline: the least a Qt Widgets program with a window costs.
    QApplication app(argc, argv);
    QMainWindow window;
    window.resize(1000, 700);
    window.show();
    std::printf("idle\n");
    std::fflush(stdout);
    return QApplication::exec();
}

} // namespace

int main(int argc, char *argv[])
{
    if (argc == 2 && std::strcmp(argv[1], "--bare") == 0) {
        return bare(argc, argv);
    }
    QCoreApplication app(argc, argv);
    int settle = 20;
    int seconds = 20;
    bool noWorker = false;
    const QStringList args = QCoreApplication::arguments();
    for (int i = 1; i < args.size(); ++i) {
        bool ok = true;
        if (args.at(i) == QLatin1String("--no-worker")) {
            noWorker = true;
        } else if (args.at(i) == QLatin1String("--settle") && i + 1 < args.size()) {
            settle = args.at(++i).toInt(&ok);
        } else if (args.at(i) == QLatin1String("--seconds") && i + 1 < args.size()) {
            seconds = args.at(++i).toInt(&ok);
            ok = ok && seconds > 0;
        } else {
            ok = false;
        }
        if (!ok || settle < 0) {
            std::fprintf(stderr, "usage: bench_desktop_idle [--settle N] [--seconds N] [--no-worker]\n");
            return 2;
        }
    }

    QTemporaryDir dir(QDir::tempPath() + QStringLiteral("/bench-desktop-XXXXXX"));
    if (!dir.isValid()) {
        std::fprintf(stderr, "cannot make a temporary directory\n");
        return 1;
    }
    // A fresh user: nothing of the real one's settings, profiles, worker socket or single-instance socket.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS")); // no keyring of the real user
    for (const char *name : { "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME",
             "XDG_RUNTIME_DIR" }) {
        const QString path = dir.filePath(QString::fromLatin1(name).toLower());
        QDir().mkpath(path);
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        env.insert(QString::fromLatin1(name), path);
    }
    if (noWorker) {
        const QString conf = dir.filePath(QStringLiteral("xdg_config_home/CodaLab"));
        QDir().mkpath(conf);
        QFile file(conf + QStringLiteral("/CodaLab Desktop.conf"));
        if (!file.open(QIODevice::WriteOnly) || file.write("[worker]\nmanage=false\n") <= 0) {
            std::fprintf(stderr, "cannot write %s\n", qPrintable(file.fileName()));
            return 1;
        }
    }

    std::printf("P5: idle codalab-desktop (%s) vs a bare QApplication + QMainWindow, both offscreen: %d s of "
                "settling, %d s of sampling; %s\n",
        noWorker ? "not managing a worker" : "with the codalab-worker --local it starts", settle, seconds,
        codalab::test::loadAverageText().constData());
    std::fflush(stdout);

    QProcess desktop;
    desktop.setProcessEnvironment(env);
    desktop.setStandardOutputFile(dir.filePath(QStringLiteral("desktop.out")));
    desktop.setStandardErrorFile(dir.filePath(QStringLiteral("desktop.err")));
    desktop.start(QStringLiteral(CODALAB_DESKTOP_BIN), {});
    QProcess baseline;
    baseline.setProcessEnvironment(env);
    const QString bareLog = dir.filePath(QStringLiteral("bare.out"));
    baseline.setStandardOutputFile(bareLog);
    baseline.setStandardErrorFile(dir.filePath(QStringLiteral("bare.err")));
    baseline.start(QCoreApplication::applicationFilePath(), { QStringLiteral("--bare") });
    int rc = 0;
    if (!desktop.waitForStarted() || !baseline.waitForStarted()) {
        std::fprintf(stderr, "cannot start %s or the baseline\n", CODALAB_DESKTOP_BIN);
        rc = 1;
    } else {
        for (int i = 0; i < 100 && !printed(bareLog, "idle"); ++i) {
            ::usleep(100000);
        }
        ::sleep(unsigned(settle));
        const QList<qint64> others = processesNaming(dir.path());
        QList<qint64> pids { desktop.processId(), baseline.processId() };
        for (qint64 pid : others) {
            if (!pids.contains(pid)) {
                pids << pid; // what the desktop started: its worker
            }
        }
        const QList<ProcessUsage> u = codalab::test::sampleProcesses(pids, seconds);
        if (u[0].cpuPercent < 0 || u[1].cpuPercent < 0) {
            std::fprintf(stderr, "codalab-desktop or the baseline exited during the span; see %s\n",
                qPrintable(dir.path()));
            rc = 1;
        }
        print("codalab-desktop", u[0]);
        print("baseline: QApplication + QMainWindow", u[1]);
        std::printf("  ratio to the baseline: VmRSS mean %.2f, VmHWM %.2f, CPU %s\n",
            u[0].rssMeanMiB / qMax(0.001, u[1].rssMeanMiB), u[0].hwmMiB / qMax(0.001, u[1].hwmMiB),
            u[1].cpuPercent > 0 ? qPrintable(QString::number(u[0].cpuPercent / u[1].cpuPercent, 'f', 1))
                                : "n/a (the baseline used no clock tick)");
        for (int i = 2; i < pids.size(); ++i) {
            QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pids[i]));
            const QByteArray name
                = cmdline.open(QIODevice::ReadOnly) ? cmdline.readAll().split('\0').first() : QByteArray("?");
            const QByteArray what = "started by it: " + name.mid(name.lastIndexOf('/') + 1);
            print(what.constData(), u[i]);
        }
        std::printf("  aim: < 150 MiB\n");
    }
    // The desktop leaves its worker running when it quits (as it should for a user): stop both here.
    desktop.terminate();
    if (!desktop.waitForFinished(10000)) {
        desktop.kill();
        desktop.waitForFinished();
    }
    baseline.kill();
    baseline.waitForFinished();
    stopAll(processesNaming(dir.path()));
    const QList<qint64> left = processesNaming(dir.path());
    if (!left.isEmpty()) {
        std::fprintf(stderr, "%lld processes naming %s are still running\n",
            static_cast<long long>(left.size()), qPrintable(dir.path()));
        rc = 1;
    }
    std::fflush(stdout);
    return rc;
}
