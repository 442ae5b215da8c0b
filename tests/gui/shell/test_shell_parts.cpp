// SPDX-License-Identifier: GPL-3.0-or-later
// The shell's parts on their own: single instance, the autostart entry, the worker's flags, and the worker
// supervisor starting a real codalab-worker when none answers.
#include "common/desktopsettings.h"
#include "common/workerlink.h"
#include "shell/autostartfile.h"
#include "shell/singleinstance.h"
#include "shell/workerlauncher.h"
#include "shell/workerservice.h"
#include "shell/workersupervisor.h"
#include "support/spinuntil.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <catch2/catch.hpp>
#include <csignal>
#include <sys/types.h>

using namespace codalab;
using codalab::test::spinUntil;

TEST_CASE("a second launch hands its arguments to the first and goes", "[gui][shell][singleinstance]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("desktop.sock"));
    ui::SingleInstance first(path);
    QSignalSpy firstPrimary(&first, &ui::SingleInstance::primary);
    QSignalSpy received(&first, &ui::SingleInstance::messageReceived);
    first.start({});
    REQUIRE((firstPrimary.size() == 1 || firstPrimary.wait(5000)));
    CHECK(first.isPrimary());

    ui::SingleInstance second(path);
    QSignalSpy forwarded(&second, &ui::SingleInstance::forwarded);
    QSignalSpy secondPrimary(&second, &ui::SingleInstance::primary);
    second.start({ QStringLiteral("--show") });
    REQUIRE(spinUntil([&] { return forwarded.size() == 1 && received.size() == 1; }, 5000));
    CHECK(secondPrimary.isEmpty());
    CHECK_FALSE(second.isPrimary());
    CHECK(received.first().first().toStringList() == QStringList { QStringLiteral("--show") });
}

TEST_CASE("a socket left by a crashed instance is taken over", "[gui][shell][singleinstance]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("desktop.sock"));
    {
        QFile stale(path);
        REQUIRE(stale.open(QIODevice::WriteOnly)); // nobody listens behind it
    }
    ui::SingleInstance instance(path);
    QSignalSpy primary(&instance, &ui::SingleInstance::primary);
    instance.start({});
    REQUIRE((primary.size() == 1 || primary.wait(5000)));
    CHECK(instance.isPrimary());
}

TEST_CASE("start at login writes a valid XDG autostart entry, and removes it", "[gui][shell]")
{
    QTemporaryDir dir;
    ui::AutostartFile autostart(QStringLiteral("/opt/Coda Lab/codalab-desktop"), dir.path());
    CHECK(autostart.path() == dir.filePath(QStringLiteral("autostart/org.codalab.Desktop.desktop")));
    CHECK_FALSE(autostart.isEnabled());
    QString error;
    REQUIRE(autostart.setEnabled(true, &error));
    QFile file(autostart.path());
    REQUIRE(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    CHECK(text.startsWith(QLatin1String("[Desktop Entry]\n")));
    CHECK(text.contains(QLatin1String("\nExec=\"/opt/Coda Lab/codalab-desktop\"\n")));
    CHECK(text.contains(QLatin1String("\nType=Application\n")));
    // As the session's autostart reads it (desktop-file-utils is one of the project's dependencies).
    QProcess validate;
    validate.start(QStringLiteral("desktop-file-validate"), { autostart.path() });
    REQUIRE(validate.waitForFinished(30000));
    CHECK(validate.exitCode() == 0);
    CHECK(validate.readAll().trimmed().toStdString().empty());
    REQUIRE(autostart.setEnabled(false, &error));
    CHECK_FALSE(QFileInfo::exists(autostart.path()));

    // A config directory that cannot be made says so (a file stands where it should be; root cannot either).
    QFile blocker(dir.filePath(QStringLiteral("not-a-dir")));
    REQUIRE(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    ui::AutostartFile blocked(QStringLiteral("/usr/bin/codalab-desktop"), blocker.fileName());
    CHECK_FALSE(blocked.setEnabled(true, &error));
    CHECK(error.contains(blocker.fileName()));
}

TEST_CASE("the worker is started with the flags the settings say", "[gui][shell][launcher]")
{
    QTemporaryDir dir;
    QSettings qs(dir.filePath(QStringLiteral("d.conf")), QSettings::IniFormat);
    ui::DesktopSettings settings(&qs);
    ui::WorkerLauncher::Target target;
    target.workerId = QStringLiteral("box");
    target.socketPath = QStringLiteral("/run/user/1000/codalab/worker-box.sock");
    target.localDataDir = QStringLiteral("/home/u/.local/share/CodaLab/local-server");
    CHECK(ui::WorkerLauncher::arguments(settings, target)
        == QStringList { QStringLiteral("--local"), QStringLiteral("--local-data-dir"), target.localDataDir,
            QStringLiteral("--id"), QStringLiteral("box"), QStringLiteral("--control-socket"),
            target.socketPath, QStringLiteral("--slots"), QStringLiteral("1") });

    settings.setWorkerSlots(2);
    settings.setWorkerCpuset(QStringLiteral("0-3"));
    settings.setWorkerGpus({ QStringLiteral("GPU-a"), QStringLiteral("GPU-b") });
    settings.setMaxWorkDirSize(QStringLiteral("50g"));
    settings.setWorkerTag(QStringLiteral("gpu-box"));
    settings.setWorkerTagExclusive(true);
    target.local = false;
    target.serverUrl = QStringLiteral("https://worksheets.codalab.org");
    CHECK(ui::WorkerLauncher::arguments(settings, target)
        == QStringList { QStringLiteral("--server"), target.serverUrl, QStringLiteral("--id"),
            QStringLiteral("box"), QStringLiteral("--control-socket"), target.socketPath,
            QStringLiteral("--slots"), QStringLiteral("2"), QStringLiteral("--cpuset"), QStringLiteral("0-3"),
            QStringLiteral("--gpuset"), QStringLiteral("GPU-a,GPU-b"), QStringLiteral("--max-work-dir-size"),
            QStringLiteral("50g"), QStringLiteral("--tag"), QStringLiteral("gpu-box"),
            QStringLiteral("--tag-exclusive") });
}

TEST_CASE(
    "with no worker answering, the supervisor starts one, once, and can restart it", "[gui][shell][launcher]")
{
    QTemporaryDir dir;
    QSettings qs(dir.filePath(QStringLiteral("d.conf")), QSettings::IniFormat);
    ui::DesktopSettings settings(&qs);
    settings.setWorkerWorkDir(dir.filePath(QStringLiteral("work")));
    ui::WorkerLink link;
    link.setReconnectIntervalMs(100);
    const QString log = dir.filePath(QStringLiteral("worker.log"));
    ui::WorkerSupervisor supervisor(&link, &settings, QStringLiteral(CODALAB_WORKER_BIN), log, nullptr);
    supervisor.setGraceMs(300);
    ui::WorkerLauncher::Target target;
    target.workerId = QStringLiteral("gui-shell-%1").arg(QCoreApplication::applicationPid());
    target.socketPath = dir.filePath(QStringLiteral("worker.sock"));
    target.localDataDir = dir.filePath(QStringLiteral("server"));
    target.extraArguments = { QStringLiteral("--no-network") };
    supervisor.setTarget(target, QProcessEnvironment::systemEnvironment());
    QSignalSpy launched(&supervisor, &ui::WorkerSupervisor::launched);
    QSignalSpy failed(&supervisor, &ui::WorkerSupervisor::launchFailed);
    supervisor.ensureRunning();
    REQUIRE(spinUntil([&] { return !link.status().isEmpty(); }, 30000));
    REQUIRE(launched.size() == 1);
    const qint64 pid = launched.first().first().toLongLong();
    CHECK(link.status().value(QLatin1String("worker_id")).toString() == target.workerId);
    CHECK(link.status().value(QLatin1String("work_dir")).toString() == settings.workerWorkDir());
    CHECK(QFileInfo(log).size() > 0); // its output goes to the log the Logs page shows

    // A worker that answers is never started twice.
    supervisor.ensureRunning();
    QTest::qWait(600);
    CHECK(launched.size() == 1);

    supervisor.restart();
    REQUIRE(spinUntil([&] { return launched.size() == 2 && !link.status().isEmpty(); }, 30000));
    CHECK(launched.last().first().toLongLong() != pid);
    CHECK(failed.isEmpty());

    bool stopped = false;
    link.stop(false, [&](bool ok, const QJsonValue &, const QString &) { stopped = ok; });
    REQUIRE(spinUntil([&] { return stopped && !link.isConnected(); }, 20000));
    link.close();
    const auto newPid = pid_t(launched.last().first().toLongLong());
    REQUIRE(spinUntil([&] { return ::kill(newPid, 0) != 0; }, 20000));
}

TEST_CASE("an enabled systemd user service is started and restarted through systemctl, never a second worker",
    "[gui][shell][launcher][service]")
{
    QTemporaryDir dir;
    const QString configDir = dir.filePath(QStringLiteral("systemd/user"));
    const QString log = dir.filePath(QStringLiteral("systemctl.log"));
    ui::WorkerService service({ configDir }, QStringLiteral(FAKE_SYSTEMCTL));
    CHECK_FALSE(service.isEnabled());
    // What `systemctl --user enable codalab-worker` leaves behind.
    REQUIRE(QDir().mkpath(configDir + QStringLiteral("/default.target.wants")));
    REQUIRE(QFile::link(QStringLiteral("/usr/lib/systemd/user/codalab-worker.service"),
        configDir + QStringLiteral("/default.target.wants/codalab-worker.service")));
    CHECK(service.isEnabled()); // a dangling link counts: systemd reads the unit, not this process

    ui::WorkerLauncher::Target target;
    target.workerId = QStringLiteral("gui-service-%1").arg(QCoreApplication::applicationPid());
    target.socketPath = dir.filePath(QStringLiteral("worker.sock"));
    qputenv("FAKE_SYSTEMCTL_LOG", log.toLocal8Bit());
    qputenv("FAKE_SYSTEMCTL_WORKER", CODALAB_WORKER_BIN);
    qputenv("FAKE_SYSTEMCTL_ARGS",
        QStringLiteral("--local --local-data-dir %1 --work-dir %2 --id %3 --control-socket %4 --no-network")
            .arg(dir.filePath(QStringLiteral("server")), dir.filePath(QStringLiteral("work")),
                target.workerId, target.socketPath)
            .toLocal8Bit());
    qunsetenv("FAKE_SYSTEMCTL_FAIL");
    const auto systemctlCalls = [&log] {
        QFile f(log);
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()).split(u'\n', Qt::SkipEmptyParts)
                                           : QStringList();
    };

    QSettings qs(dir.filePath(QStringLiteral("d.conf")), QSettings::IniFormat);
    ui::DesktopSettings settings(&qs);
    ui::WorkerLink link;
    link.setReconnectIntervalMs(100);
    // The desktop's own program would fail to start: a launch of it shows up as launchFailed.
    ui::WorkerSupervisor supervisor(&link, &settings, QStringLiteral("/nonexistent/codalab-worker"),
        dir.filePath(QStringLiteral("worker.log")), &service);
    supervisor.setGraceMs(200);
    supervisor.setTarget(target, QProcessEnvironment::systemEnvironment());
    QSignalSpy launched(&supervisor, &ui::WorkerSupervisor::launched);
    QSignalSpy started(&supervisor, &ui::WorkerSupervisor::serviceStarted);
    QSignalSpy failed(&supervisor, &ui::WorkerSupervisor::launchFailed);
    supervisor.ensureRunning();
    REQUIRE(spinUntil([&] { return !link.status().isEmpty(); }, 30000));
    CHECK(systemctlCalls() == QStringList { QStringLiteral("--user start codalab-worker.service") });
    CHECK(started.size() == 1);
    CHECK(launched.isEmpty());
    CHECK(failed.isEmpty());
    CHECK(link.status().value(QLatin1String("worker_id")).toString() == target.workerId);

    // Settings that need new flags restart the service, not a worker of the desktop's own.
    supervisor.restart();
    REQUIRE(spinUntil([&] { return started.size() == 2; }, 30000));
    CHECK(systemctlCalls().last() == QLatin1String("--user restart codalab-worker.service"));
    REQUIRE(spinUntil([&] { return link.isConnected() && !link.status().isEmpty(); }, 30000));
    CHECK(launched.isEmpty());

    // systemd's refusal reaches the window in its own words.
    qputenv("FAKE_SYSTEMCTL_FAIL",
        "Failed to restart codalab-worker.service: Unit codalab-worker.service not found.");
    supervisor.restart();
    REQUIRE(spinUntil([&] { return !failed.isEmpty(); }, 10000));
    CHECK(failed.first().first().toString().contains(QLatin1String("Unit codalab-worker.service not found")));
    qunsetenv("FAKE_SYSTEMCTL_FAIL");

    bool stopped = false;
    link.stop(false, [&](bool ok, const QJsonValue &, const QString &) { stopped = ok; });
    REQUIRE(spinUntil([&] { return stopped && !link.isConnected(); }, 20000));
    link.close();
    QFile pidFile(log + QStringLiteral(".pid"));
    REQUIRE(pidFile.open(QIODevice::ReadOnly));
    const auto pid = pid_t(pidFile.readAll().trimmed().toLongLong());
    REQUIRE(spinUntil([&] { return ::kill(pid, 0) != 0; }, 20000));
}

TEST_CASE("a missing worker program is said plainly", "[gui][shell][launcher]")
{
    qint64 pid = 0;
    QString error;
    CHECK_FALSE(ui::WorkerLauncher::start(QStringLiteral("/nonexistent/codalab-worker"), {},
        QProcessEnvironment::systemEnvironment(), QStringLiteral("/tmp/x.log"), &pid, &error));
    CHECK(error.contains(QLatin1String("not installed")));
}
