// SPDX-License-Identifier: GPL-3.0-or-later
// The whole desktop on a first start with nothing configured: the local profile, codalab-worker started with
// its embedded local server, a run submitted through the dialog, watched to `ready` in My runs and its
// stdout read in the Logs page. Screenshots of every page land in docs/screenshots/ (CODALAB_SCREENSHOTS=1).
#include "cluster/clustercontroller.h"
#include "cluster/clustermenu.h"
#include "cluster/clusterpage.h"
#include "common/desktopsettings.h"
#include "common/workerlink.h"
#include "dashboard/containermodel.h"
#include "dashboard/dashboardpage.h"
#include "docker/dockerclient.h"
#include "logs/logsource.h"
#include "logs/logspage.h"
#include "logs/logview.h"
#include "machine/cachespage.h"
#include "machine/machinepage.h"
#include "myruns/myrunsmodel.h"
#include "myruns/myrunspage.h"
#include "secrets/profilestore.h"
#include "secrets/secretstore.h"
#include "shell/desktopapp.h"
#include "shell/mainwindow.h"
#include "shell/settingsdialog.h"
#include "shell/workerservice.h"
#include "submit/runform.h"
#include "submit/submitrundialog.h"
#include "support/guitestsupport.h"
#include "support/spinuntil.h"
#include "tray/traycontroller.h"
#include "tray/traymenu.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <catch2/catch.hpp>
#include <csignal>
#include <functional>

using namespace codalab;
using codalab::test::spinUntil;

namespace {

/// A DesktopApp over temporary directories, with the real codalab-worker; the destructor stops the worker it
/// started (it is detached, so nothing else would).
struct DesktopFixture
{
    QTemporaryDir dir;
    QSettings qsettings { dir.filePath(QStringLiteral("desktop.conf")), QSettings::IniFormat };
    secrets::SecretStore keyring { QStringLiteral("CodaLab Desktop tests"), std::chrono::milliseconds(200) };
    docker::DockerClient docker;
    QNetworkAccessManager nam;
    std::unique_ptr<ui::DesktopApp> app;
    std::unique_ptr<QSignalSpy> launched;

    explicit DesktopFixture(const std::function<void(ui::DesktopOptions &)> &tweak = {})
    {
        ui::DesktopOptions o;
        o.workerId = QStringLiteral("gui-desktop-%1").arg(QCoreApplication::applicationPid());
        o.workerSocket = dir.filePath(QStringLiteral("worker.sock"));
        o.workerProgram = QStringLiteral(CODALAB_WORKER_BIN);
        o.workerLog = dir.filePath(QStringLiteral("worker.log"));
        o.localDataDir = dir.filePath(QStringLiteral("local-server"));
        o.autostartConfigHome = dir.filePath(QStringLiteral("config"));
        o.systemdConfigDirs = { dir.filePath(QStringLiteral("config/systemd/user")) }; // none enabled
        o.extraWorkerArguments = { QStringLiteral("--no-network") };
        o.workerGraceMs = 300;
        if (tweak) {
            tweak(o);
        }
        qsettings.setValue(QStringLiteral("worker/workDir"), dir.filePath(QStringLiteral("work")));
        app = std::make_unique<ui::DesktopApp>(&qsettings, &keyring, &docker, &nam, o);
        app->worker()->setReconnectIntervalMs(100);
    }

    ~DesktopFixture()
    {
        if (app->worker()->isConnected()) {
            bool stopped = false;
            app->worker()->stop(false, [&](bool, const QJsonValue &, const QString &) { stopped = true; });
            spinUntil([&] { return stopped && !app->worker()->isConnected(); }, 20000);
        }
        app.reset();
    }
};

QString stateOf(ui::MyRunsModel *model, const QString &uuid)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex i = model->index(row, 0);
        if (i.data(ui::MyRunsModel::UuidRole).toString() == uuid) {
            return i.data(ui::MyRunsModel::StateRole).toString();
        }
    }
    return {};
}

} // namespace

TEST_CASE("first start: the local server and the worker start, and a run submitted in the dialog is "
          "watched to ready with its output",
    "[gui][shell][e2e]")
{
    DesktopFixture f;
    QSignalSpy ready(f.app.get(), &ui::DesktopApp::accountReady);
    QSignalSpy accountFailed(f.app.get(), &ui::DesktopApp::accountFailed);
    f.app->start(false);
    CHECK(f.app->window()->isVisible());
    REQUIRE(spinUntil([&] { return ready.size() == 1 || !accountFailed.isEmpty(); }, 60000));
    INFO((accountFailed.isEmpty() ? QString() : accountFailed.first().first().toString()).toStdString());
    REQUIRE(ready.size() == 1);
    // The account the desktop logged in to is the one a cluster's worker manager would be started for.
    CHECK(f.app->clusterController()->hasAccount());
    // Nothing was configured: the one profile is the local one, and it is current.
    REQUIRE(f.app->profiles()->profiles().size() == 1);
    CHECK(f.app->profiles()->currentProfile()->local);
    REQUIRE(spinUntil([&] { return !f.app->worker()->status().isEmpty(); }, 30000));

    ui::SubmitRunDialog *dialog = f.app->openSubmitDialog();
    REQUIRE(dialog);
    REQUIRE(QTest::qWaitForWindowExposed(dialog));
    auto *command = dialog->findChild<QPlainTextEdit *>(QStringLiteral("command"));
    auto *image = dialog->findChild<QComboBox *>(QStringLiteral("image"));
    REQUIRE(command);
    REQUIRE(image);
    QTest::keyClicks(command, QStringLiteral("echo hello from the desktop; sleep 4; echo done"));
    image->setEditText(QStringLiteral("codalab-test/busybox:latest"));
    test::saveScreenshot(dialog, QStringLiteral("submit-dialog-local.png"));
    QSignalSpy submitted(dialog, &ui::SubmitRunDialog::submitted);
    QTest::mouseClick(test::findButton(dialog, QStringLiteral("Submit")), Qt::LeftButton);
    REQUIRE(submitted.wait(30000));
    const QString uuid = submitted.first().first().toString();
    REQUIRE_FALSE(uuid.isEmpty());

    // It runs here: the dashboard shows its container while it runs.
    ui::MainWindow *window = f.app->window();
    // Every page together still fits a laptop's 768-pixel screen (each tab's minimum counts for the window).
    CHECK(window->minimumSizeHint().height() <= 768);
    CHECK(window->minimumSize().height() <= 768);
    window->showPage(f.app->dashboard());
    ui::ContainerModel *containers = f.app->dashboard()->containerModel();
    const bool shown = spinUntil(
        [&] {
            for (int row = 0; row < containers->rowCount(); ++row) {
                for (int column = 0; column < containers->columnCount(); ++column) {
                    if (containers->index(row, column).data().toString().contains(uuid.left(10))) {
                        return true;
                    }
                }
            }
            return false;
        },
        30000);
    CHECK(shown);
    test::saveScreenshot(window, QStringLiteral("main-dashboard.png"));

    // My runs follows it to ready.
    window->showPage(f.app->myRuns());
    f.app->myRuns()->setRefreshInterval(300);
    ui::MyRunsModel *runs = f.app->myRuns()->model();
    REQUIRE(spinUntil([&] { return stateOf(runs, uuid) == QLatin1String("ready"); }, 60000));
    test::saveScreenshot(window, QStringLiteral("main-my-runs.png"));

    // Its stdout, in the Logs page.
    REQUIRE(f.app->myRuns()->selectRun(uuid));
    f.app->myRuns()->requestLogs();
    CHECK(window->currentPage() == f.app->logs());
    REQUIRE(spinUntil(
        [&] {
            return f.app->logs()->stdoutView()->text().contains(
                QLatin1String("hello from the desktop\ndone"));
        },
        30000));
    test::saveScreenshot(window, QStringLiteral("main-logs.png"));

    window->showPage(f.app->machine());
    test::saveScreenshot(window, QStringLiteral("main-machine.png"));
    window->showPage(f.app->caches());
    test::saveScreenshot(window, QStringLiteral("main-caches.png"));
}

TEST_CASE("a second start finds the worker the first one started and starts none", "[gui][shell][e2e]")
{
    DesktopFixture f;
    QSignalSpy ready(f.app.get(), &ui::DesktopApp::accountReady);
    f.app->start(true);
    REQUIRE(spinUntil([&] { return ready.size() == 1; }, 60000));
    const QString pidBefore = f.app->worker()->status().value(QLatin1String("worker_id")).toString();

    // The window quits (the worker keeps running, as it would after the user quit) and comes back.
    f.app->window()->hide();
    ui::DesktopOptions o = f.app->options();
    f.app.reset();
    f.app = std::make_unique<ui::DesktopApp>(&f.qsettings, &f.keyring, &f.docker, &f.nam, o);
    f.app->worker()->setReconnectIntervalMs(100);
    QSignalSpy readyAgain(f.app.get(), &ui::DesktopApp::accountReady);
    f.app->start(false);
    REQUIRE(spinUntil([&] { return readyAgain.size() == 1; }, 60000));
    CHECK(f.app->worker()->status().value(QLatin1String("worker_id")).toString() == pidBefore);
    CHECK(f.app->worker()->status().value(QLatin1String("runs_started")).toInt() == 0);
}

TEST_CASE("with no worker program the window says why, and the account gives up after its wait",
    "[gui][shell][e2e]")
{
    DesktopFixture f([](ui::DesktopOptions &o) {
        o.workerProgram = QStringLiteral("/nonexistent/codalab-worker");
        o.localServerWaitMs = 1500;
    });
    QSignalSpy failed(f.app.get(), &ui::DesktopApp::accountFailed);
    f.app->start(false);
    REQUIRE(failed.wait(20000));
    CHECK(failed.first().first().toString().contains(QLatin1String("local server did not start")));
    CHECK_FALSE(f.app->worker()->isConnected());
    QTest::qWait(1000);
    CHECK(failed.size() == 1); // it gave up once, and stays given up
    test::saveScreenshot(f.app->window(), QStringLiteral("main-no-worker.png"));
}

TEST_CASE(
    "with the worker's systemd user service enabled the desktop has systemd start it, never a worker of "
    "its own, and says where the service's flags live",
    "[gui][shell][e2e][service]")
{
    DesktopFixture f([](ui::DesktopOptions &o) {
        o.workerProgram = QStringLiteral("/nonexistent/codalab-worker"); // a launch of its own would fail
        o.systemctlProgram = QStringLiteral(FAKE_SYSTEMCTL);
    });
    const ui::DesktopOptions &o = f.app->options();
    // `systemctl --user enable codalab-worker`, and the flags its unit would give the worker.
    const QString wants = o.systemdConfigDirs.first() + QStringLiteral("/default.target.wants");
    REQUIRE(QDir().mkpath(wants));
    REQUIRE(QFile::link(QStringLiteral("/usr/lib/systemd/user/codalab-worker.service"),
        wants + QStringLiteral("/codalab-worker.service")));
    const QString log = f.dir.filePath(QStringLiteral("systemctl.log"));
    qputenv("FAKE_SYSTEMCTL_LOG", log.toLocal8Bit());
    qputenv("FAKE_SYSTEMCTL_WORKER", CODALAB_WORKER_BIN);
    qputenv("FAKE_SYSTEMCTL_ARGS",
        QStringLiteral("--local --local-data-dir %1 --work-dir %2 --id %3 --control-socket %4 --no-network")
            .arg(o.localDataDir, f.dir.filePath(QStringLiteral("work")), o.workerId, o.workerSocket)
            .toLocal8Bit());
    qunsetenv("FAKE_SYSTEMCTL_FAIL");
    const auto systemctlCalls = [&log] {
        QFile file(log);
        return file.open(QIODevice::ReadOnly)
            ? QString::fromUtf8(file.readAll()).split(u'\n', Qt::SkipEmptyParts)
            : QStringList();
    };

    QSignalSpy ready(f.app.get(), &ui::DesktopApp::accountReady);
    QSignalSpy failed(f.app.get(), &ui::DesktopApp::accountFailed);
    f.app->start(false);
    REQUIRE(spinUntil([&] { return ready.size() == 1 || !failed.isEmpty(); }, 60000));
    REQUIRE(ready.size() == 1); // logged in to the local server of the service's worker
    CHECK(systemctlCalls() == QStringList { QStringLiteral("--user start codalab-worker.service") });
    CHECK(f.app->worker()->status().value(QLatin1String("worker_id")).toString() == o.workerId);

    // A setting that needs new flags: the service would restart with its own, so the desktop says so
    // instead of offering a restart that changes nothing.
    Q_EMIT f.app->window()->settingsRequested();
    auto *settings = f.app->window()->findChild<ui::SettingsDialog *>();
    REQUIRE(settings);
    QLineEdit *cpuset = nullptr;
    for (QLineEdit *edit : settings->findChildren<QLineEdit *>()) {
        if (edit->placeholderText().startsWith(QLatin1String("all CPUs"))) {
            cpuset = edit;
        }
    }
    REQUIRE(cpuset);
    cpuset->setText(QStringLiteral("0"));
    settings->accept();
    QMessageBox *box = nullptr;
    REQUIRE(spinUntil(
        [&] {
            for (QMessageBox *b : f.app->window()->findChildren<QMessageBox *>()) {
                if (b->isVisible()) {
                    box = b;
                }
            }
            return box != nullptr;
        },
        10000));
    CHECK(box->windowTitle() == QLatin1String("The worker runs as a service"));
    CHECK(box->informativeText().contains(ui::WorkerService::environmentFile()));
    test::saveScreenshot(box, QStringLiteral("service-flags.png"));
    box->accept();
    QTest::qWait(500);
    CHECK(systemctlCalls().size() == 1); // no restart
}

TEST_CASE("a cluster appears in the Cluster page, the tray's Cluster menu and the submission dialog's queues",
    "[gui][shell][cluster]")
{
    DesktopFixture f;
    ui::MainWindow *window = f.app->window();
    const int tab = window->tabs()->indexOf(f.app->clusterPage());
    REQUIRE(tab >= 0);
    CHECK(window->tabs()->tabText(tab) == QLatin1String("Cl&uster"));
    CHECK(f.app->clusterPage()->showsEmptyState());
    ui::ClusterProfile lab;
    lab.name = QStringLiteral("lab");
    lab.tag = QStringLiteral("lab-slurm");
    f.app->clusterController()->saveProfile(lab);
    CHECK(f.app->clusterPage()->currentCluster() == QLatin1String("lab"));
    CHECK_FALSE(f.app->clusterPage()->showsEmptyState());

    // The tray's Cluster submenu, before Submit; the window has its page instead of it in the Worker menu.
    ui::TrayMenu *tray = f.app->tray()->trayMenu();
    QAction *clusterEntry = tray->findChild<QAction *>(QStringLiteral("clusterMenuAction"));
    REQUIRE(clusterEntry);
    REQUIRE(clusterEntry->menu());
    const QList<QAction *> entries = tray->actions();
    CHECK(entries.indexOf(clusterEntry) == entries.indexOf(tray->submitAction()) - 1);
    window->fillWorkerMenu();
    CHECK_FALSE(window->workerMenu()->actions().contains(clusterEntry));
    auto *menu = qobject_cast<ui::ClusterMenu *>(clusterEntry->menu());
    REQUIRE(menu);
    menu->fill();
    QStringList texts;
    for (QAction *a : menu->actions()) {
        texts << a->text();
    }
    CHECK(texts.contains(QLatin1String("lab: Not running")));
    REQUIRE(texts.contains(QLatin1String("Start the manager of lab")));
    // Not logged in yet (the app was not started): the status bar says why nothing started.
    menu->actions().at(int(texts.indexOf(QLatin1String("Start the manager of lab"))))->trigger();
    CHECK(window->statusBar()->currentMessage().contains(QLatin1String("Log in first")));
    CHECK_FALSE(f.app->clusterController()->isRunning(QStringLiteral("lab")));
    window->showPage(f.app->dashboard());
    menu->actions().last()->trigger(); // "Show the Cluster page"
    CHECK(window->currentPage() == f.app->clusterPage());

    // The submission dialog offers the cluster's tag, and a run for it is checked against the cluster.
    ui::SubmitRunDialog *dialog = f.app->openSubmitDialog();
    REQUIRE(dialog);
    QMenu *queues = dialog->form()->queueMenu();
    QAction *offered = nullptr;
    for (QAction *a : queues->actions()) {
        offered = a->text() == QStringLiteral("Cluster lab — tag lab-slurm") ? a : offered;
    }
    REQUIRE(offered);
    offered->trigger();
    CHECK(dialog->request().queue == QLatin1String("lab-slurm"));
    CHECK(dialog->fitWarnings()
              .join(QLatin1Char(' '))
              .contains(QLatin1String("The worker manager of cluster lab is not running")));
    dialog->close();
}
