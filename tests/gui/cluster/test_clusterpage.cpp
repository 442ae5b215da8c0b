// SPDX-License-Identifier: GPL-3.0-or-later
// The Cluster page as a user drives it: a profile added through its dialog (tested against the real Slurm),
// the real codalab-worker-manager started and stopped from the page, its job for a run with run, state, node
// and the job's worker log, pause and resume from the tray's Cluster menu, and the submission dialog offering
// the cluster's tag and checking a run against the partition's limits. On the one-node test cluster, with a
// real codalab-local-server and Docker.
#include "cluster/clustercontroller.h"
#include "cluster/clusterjobsmodel.h"
#include "cluster/clustermenu.h"
#include "cluster/clusterpage.h"
#include "cluster/clusterprofiledialog.h"
#include "localserver/localserverfixture.h"
#include "submit/runform.h"
#include "submit/submitrundialog.h"
#include "submit/submittestsupport.h"
#include "support/clientsession.h"
#include "support/guitestsupport.h"
#include "support/spinuntil.h"
#include "worker/workerharness.h"

#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QLocalSocket>
#include <QMenu>
#include <QProcess>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <catch2/catch.hpp>

using namespace codalab;
using namespace codalab::test;
using namespace codalab::ui;

namespace {

/// Where the controller keeps "started by the user, start it again" for the profile "test cluster".
QString keepKey()
{
    return QStringLiteral("clusterManagers/%1/keepRunning")
        .arg(QString::fromLatin1(QByteArrayLiteral("test cluster").toHex()));
}

/// A home of the test's own (the managers' control sockets and logs, the desktop's settings), the test
/// cluster for Slurm's commands, and the controller over them. What a failing test leaves, the detached
/// manager of its tag, is asked to stop at the end (which cancels its pending jobs; a running one's worker
/// leaves after its idle time).
struct ClusterFixture
{
    QTemporaryDir home;
    std::unique_ptr<QSettings> settings;
    std::unique_ptr<ClusterController> controller;
    QString tag = QStringLiteral("t%1").arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    QString socket; ///< the tag's manager's control socket

    ClusterFixture()
    {
        REQUIRE(home.isValid());
        qputenv("SLURM_CONF", CODALAB_SLURM_CONF);
        qputenv("XDG_RUNTIME_DIR", home.path().toUtf8());
        qputenv("XDG_STATE_HOME", home.filePath(QStringLiteral("state")).toUtf8());
        settings = std::make_unique<QSettings>(
            home.filePath(QStringLiteral("desktop.conf")), QSettings::IniFormat);
        controller = std::make_unique<ClusterController>(
            settings.get(), QStringLiteral(CODALAB_MANAGER_BIN), QStringLiteral(CODALAB_WORKER_BIN));
        ClusterProfile ofTag;
        ofTag.tag = tag;
        socket = ofTag.socketPath();
    }

    ~ClusterFixture()
    {
        // Quietly: after a passing test there is nothing left to stop.
        QProcess stop;
        stop.start(QStringLiteral(CODALAB_MANAGER_BIN),
            { QStringLiteral("stop"), QStringLiteral("--control-socket"), socket });
        stop.waitForFinished(60000);
    }

    /// "test cluster" for this test's tag, on this machine's Slurm, saved.
    ClusterProfile addProfile()
    {
        ClusterProfile profile;
        profile.name = QStringLiteral("test cluster");
        profile.tag = tag;
        profile.logDir = home.filePath(QStringLiteral("jobs"));
        controller->saveProfile(profile);
        return profile;
    }
};

QAction *actionNamed(QMenu &menu, const QString &start)
{
    for (QAction *a : menu.actions()) {
        if (a->text().startsWith(start)) {
            return a;
        }
    }
    return nullptr;
}

} // namespace

TEST_CASE("the Cluster page runs a real worker manager for a run and shows its job and log",
    "[gui][cluster][slurm]")
{
    ClusterFixture c;
    QTemporaryDir &home = c.home;
    QSettings &settings = *c.settings;
    ClusterController &controller = *c.controller;
    LocalServerFixture f;
    auto client = f.root();
    ClusterPage page(&controller);
    page.resize(1000, 700);
    page.show();
    CHECK(page.showsEmptyState());

    // Add the cluster through the dialog, as a user: a missing tag is said and nothing is saved.
    const QString tag = c.tag;
    page.addCluster();
    auto *dialog = page.findChild<ClusterProfileDialog *>();
    REQUIRE(dialog);
    typeInto(child<QLineEdit>(dialog, "name"), QStringLiteral("test cluster"));
    typeInto(child<QLineEdit>(dialog, "tag"), QString());
    child<QPushButton>(dialog, "test")->click();
    QSignalSpy tested(dialog, &ClusterProfileDialog::tested);
    REQUIRE(tested.wait(30000));
    CHECK(tested.first().first().toBool());
    CHECK(dialog->statusText().contains(QLatin1String("main (default)")));
    dialog->accept();
    CHECK(dialog->isVisible());
    CHECK(dialog->statusText().contains(QLatin1String("Queue tag")));
    CHECK(controller.profiles().isEmpty());
    typeInto(child<QLineEdit>(dialog, "tag"), tag);
    typeInto(child<QLineEdit>(dialog, "logDir"), home.filePath(QStringLiteral("jobs")));
    typeInto(
        child<QLineEdit>(dialog, "workerArgs"), QStringLiteral("--no-network --checkin-frequency-seconds 1"));
    child<QSpinBox>(dialog, "idleSeconds")->setValue(5);
    dialog->accept();
    REQUIRE(controller.profiles().size() == 1);
    CHECK(controller.profiles().first().tag == tag);
    CHECK_FALSE(page.showsEmptyState());
    CHECK(page.currentCluster() == QLatin1String("test cluster"));
    REQUIRE(spinUntil([&] { return page.limitsText().startsWith(QLatin1String("Partition main")); }, 30000));
    CHECK(page.limitsText().contains(QLatin1String("no time limit")));
    saveScreenshot(&page, QStringLiteral("cluster-page-idle.png"));

    // Not logged in yet: Start says so instead of starting a manager that cannot log in.
    auto *startStop = child<QPushButton>(&page, "startStop");
    startStop->click();
    CHECK(page.headlineText().contains(QLatin1String("Log in first")));
    CHECK_FALSE(controller.isRunning(QStringLiteral("test cluster")));

    controller.setAccount(f.server->url(), QStringLiteral("codalab"), f.password);
    startStop->click();
    INFO("manager log: " << home.filePath(
                                    QStringLiteral("state/CodaLab/manager-") + tag + QStringLiteral(".log"))
                                .toStdString());
    REQUIRE(spinUntil(
        [&] { return page.headlineText().startsWith(QLatin1String("Worker manager: Running")); }, 30000));
    CHECK(startStop->text() == QLatin1String("S&top"));
    CHECK(settings.value(keepKey()).toBool()); // it answered: the next desktop starts it again if gone

    // A run for the cluster's tag: one job, on this node, whose worker runs it to ready.
    const QString uuid = submitRun(
        *client, QStringLiteral("echo from the cluster page"), { { QStringLiteral("request_queue"), tag } });
    ClusterJobsModel *jobs = page.jobsModel();
    const auto jobRow = [&] {
        for (int row = 0; row < jobs->rowCount(); ++row) {
            if (jobs->index(row, 0).data(ClusterJobsModel::RunRole).toString() == uuid) {
                return row;
            }
        }
        return -1;
    };
    REQUIRE(spinUntil([&] { return jobRow() >= 0; }, 60000));
    const QJsonObject done
        = waitForState(*client, uuid, { QStringLiteral("ready"), QStringLiteral("failed") }, 120000);
    CHECK(done.value(QLatin1String("state")).toString() == QLatin1String("ready"));
    REQUIRE(spinUntil(
        [&] { return !jobs->index(jobRow(), ClusterJobsModel::NodeColumn).data().toString().isEmpty(); },
        30000));
    CHECK(jobs->index(jobRow(), ClusterJobsModel::RunColumn).data().toString() == uuid.left(8));
    CHECK(jobs->rowCount() == 1);
    // The job's worker log, read where Slurm wrote it.
    page.jobsView()->setCurrentIndex(jobs->index(jobRow(), 0));
    REQUIRE(spinUntil([&] { return page.logText().contains(QLatin1String("Worker started!")); }, 30000));
    saveScreenshot(&page, QStringLiteral("cluster-page-job.png"));

    // The tray's Cluster menu: the manager's state and what fits it.
    ClusterMenu menu(&controller);
    menu.fill();
    REQUIRE(actionNamed(menu, QStringLiteral("Pause submitting to test cluster")));
    CHECK(actionNamed(menu, QStringLiteral("test cluster: Running")));
    actionNamed(menu, QStringLiteral("Pause submitting to test cluster"))->trigger();
    REQUIRE(spinUntil(
        [&] { return page.headlineText().startsWith(QLatin1String("Worker manager: Paused")); }, 30000));
    menu.fill();
    REQUIRE(actionNamed(menu, QStringLiteral("Resume submitting to test cluster")));
    actionNamed(menu, QStringLiteral("Resume submitting to test cluster"))->trigger();
    REQUIRE(spinUntil(
        [&] { return page.headlineText().startsWith(QLatin1String("Worker manager: Running")); }, 30000));

    // The submission dialog offers the cluster's tag and checks a run against the partition, not this
    // workstation.
    ClientSession session(f.server->url(), QStringLiteral("codalab"), f.password);
    SubmitRunDialog submit(&session.client, nullptr, nullptr, nullptr);
    submit.setClusterQueues(controller.queues());
    QMenu *queues = submit.form()->queueMenu();
    QAction *offered = actionNamed(*queues, QStringLiteral("Cluster test cluster — tag ") + tag);
    REQUIRE(offered);
    offered->trigger();
    CHECK(submit.request().queue == tag);
    server::RunRequest huge = submit.request();
    huge.cpus = 4096;
    submit.setRequest(huge);
    REQUIRE_FALSE(submit.fitWarnings().isEmpty());
    CHECK(submit.fitWarnings().join(QLatin1Char(' ')).contains(QLatin1String("Asks for 4096 CPU")));
    huge.cpus = 1;
    submit.setRequest(huge);
    CHECK(submit.fitWarnings().isEmpty());

    // Stop: the manager ends, and the page says so.
    startStop->click();
    REQUIRE(spinUntil([&] { return !controller.isRunning(QStringLiteral("test cluster")); }, 60000));
    REQUIRE(spinUntil(
        [&] { return page.headlineText() == QLatin1String("Worker manager: Not running"); }, 10000));
    CHECK(startStop->text() == QLatin1String("&Start"));
    controller.setAccount(f.server->url(), QStringLiteral("codalab"), f.password);
    // Stopped by the user: the next desktop does not start it again.
    CHECK_FALSE(settings.contains(keepKey()));
}

TEST_CASE("a manager that cannot log in is said not to have started, in its own words, and is not kept",
    "[gui][cluster][slurm]")
{
    ClusterFixture c;
    ClusterController &controller = *c.controller;
    controller.setStartTimeoutMs(60000); // it exits at once: said without waiting for the timeout
    const ClusterProfile profile = c.addProfile();
    ClusterPage page(&controller);
    page.show();
    QSignalSpy said(&page, &ClusterPage::messageRequested);
    // Nothing listens on port 9 of the loopback: the manager cannot log in, and exits.
    controller.setAccount(
        QStringLiteral("http://127.0.0.1:9"), QStringLiteral("codalab"), QStringLiteral("x"));
    auto *startStop = child<QPushButton>(&page, "startStop");
    startStop->click();
    CHECK(controller.isStarting(profile.name));
    CHECK(page.headlineText() == QStringLiteral("Worker manager: Starting…"));
    CHECK_FALSE(startStop->isEnabled()); // a second click would start a second manager
    REQUIRE(spinUntil([&] { return !controller.isStarting(profile.name); }, 30000));
    CHECK(controller.startError(profile.name).contains(QLatin1String("cannot reach the CodaLab server")));
    CHECK(page.headlineText().startsWith(QLatin1String("Worker manager: Did not start: ")));
    REQUIRE(said.size() == 1);
    CHECK(said.first().first().toString().contains(QLatin1String("Connection refused")));
    CHECK(startStop->isEnabled());
    CHECK_FALSE(c.settings->contains(keepKey()));
}

TEST_CASE("a running cluster's profile keeps its tag in the dialog, and removing it stops its manager first",
    "[gui][cluster][slurm]")
{
    ClusterFixture c;
    ClusterController &controller = *c.controller;
    LocalServerFixture f;
    const ClusterProfile profile = c.addProfile();
    ClusterPage page(&controller);
    page.show();
    controller.setAccount(f.server->url(), QStringLiteral("codalab"), f.password);
    QString error;
    REQUIRE(controller.start(profile.name, &error));
    REQUIRE(spinUntil([&] { return controller.isRunning(profile.name); }, 30000));

    // What the running manager serves cannot be changed under it.
    page.editCluster();
    auto *dialog = page.findChild<ClusterProfileDialog *>();
    REQUIRE(dialog);
    CHECK_FALSE(child<QLineEdit>(dialog, "tag")->isEnabled());
    CHECK_FALSE(child<QLineEdit>(dialog, "name")->isEnabled());
    CHECK(child<QSpinBox>(dialog, "maxWorkers")->isEnabled());
    dialog->reject();

    // Removed: the manager is told to stop before the profile goes, so nothing keeps submitting unseen.
    controller.removeProfile(profile.name);
    CHECK(controller.profiles().isEmpty());
    CHECK(page.showsEmptyState());
    const auto answers = [&] {
        QLocalSocket probe;
        probe.connectToServer(profile.socketPath());
        return probe.waitForConnected(500);
    };
    REQUIRE(spinUntil([&] { return !answers(); }, 30000));
}

TEST_CASE("a cluster whose manager unit is enabled is started by systemd with the unit's own flags",
    "[gui][cluster][slurm]")
{
    ClusterFixture c;
    ClusterController &controller = *c.controller;
    LocalServerFixture f;
    const ClusterProfile profile = c.addProfile();
    // What `systemctl --user enable codalab-worker-manager@TAG` leaves behind.
    const QString configDir = c.home.filePath(QStringLiteral("systemd/user"));
    const QString unit = ClusterController::unitName(c.tag);
    REQUIRE(QDir().mkpath(configDir + QStringLiteral("/default.target.wants")));
    REQUIRE(QFile::link(QStringLiteral("/usr/lib/systemd/user/codalab-worker-manager@.service"),
        configDir + QStringLiteral("/default.target.wants/") + unit));
    controller.setSystemd({ configDir }, QStringLiteral(FAKE_SYSTEMCTL));
    // The fake systemd starts what the unit would: the manager with the flags of its env file.
    const QString log = c.home.filePath(QStringLiteral("systemctl.log"));
    qputenv("FAKE_SYSTEMCTL_LOG", log.toLocal8Bit());
    qputenv("FAKE_SYSTEMCTL_WORKER", CODALAB_MANAGER_BIN);
    qputenv("FAKE_SYSTEMCTL_ARGS",
        QStringLiteral("slurm --tag %1 --server %2 --password-file %3 --log-dir %4")
            .arg(c.tag, f.server->url(), f.server->passwordFile(), c.home.filePath(QStringLiteral("jobs")))
            .toLocal8Bit());
    qunsetenv("FAKE_SYSTEMCTL_FAIL");

    // Not logged in: the unit has its own account, so systemd is asked all the same.
    QString error;
    REQUIRE(controller.start(profile.name, &error));
    REQUIRE(spinUntil([&] { return controller.isRunning(profile.name); }, 30000));
    QFile calls(log);
    REQUIRE(calls.open(QIODevice::ReadOnly));
    CHECK(calls.readAll().trimmed() == QStringLiteral("--user start %1").arg(unit).toUtf8());
    CHECK_FALSE(QFile::exists(profile.managerLogPath())); // the desktop launched nothing itself

    controller.stop(profile.name);
    REQUIRE(spinUntil([&] { return !controller.isRunning(profile.name); }, 60000));

    // systemd's refusal comes back in its own words, and the start ends there.
    qputenv(
        "FAKE_SYSTEMCTL_FAIL", QStringLiteral("Failed to start %1: Unit %1 not found.").arg(unit).toUtf8());
    QSignalSpy said(&controller, &ClusterController::message);
    REQUIRE(controller.start(profile.name, &error));
    REQUIRE(said.wait(10000));
    CHECK(said.first().at(1).toString().contains(QLatin1String("not found")));
    CHECK_FALSE(controller.isStarting(profile.name));
    qunsetenv("FAKE_SYSTEMCTL_FAIL");
}
