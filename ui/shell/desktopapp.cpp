// SPDX-License-Identifier: GPL-3.0-or-later
#include "shell/desktopapp.h"

#include "bundles/bundlespage.h"
#include "bundles/outputsaver.h"
#include "bundles/transferqueue.h"
#include "cluster/clustercontroller.h"
#include "cluster/clustermenu.h"
#include "cluster/clusterpage.h"
#include "common/desktopsettings.h"
#include "common/workerheadline.h"
#include "common/workerlink.h"
#include "common/workerruns.h"
#include "dashboard/dashboardpage.h"
#include "logs/logspage.h"
#include "machine/cachespage.h"
#include "machine/machinepage.h"
#include "myruns/myrunspage.h"
#include "secrets/profilestore.h"
#include "secrets/secretstore.h"
#include "server/uploadcache.h"
#include "shell/autostartfile.h"
#include "shell/mainwindow.h"
#include "shell/profilesdialog.h"
#include "shell/serversession.h"
#include "shell/settingsdialog.h"
#include "shell/workerservice.h"
#include "shell/workersupervisor.h"
#include "submit/submitrundialog.h"
#include "tray/notificationsender.h"
#include "tray/traycontroller.h"
#include "tray/traymenu.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QProcessEnvironment>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>

namespace codalab::ui {

DesktopApp::DesktopApp(QSettings *settings, secrets::SecretStore *secrets, docker::DockerClient *docker,
    QNetworkAccessManager *nam, DesktopOptions options, QObject *parent)
    : QObject(parent)
    , m_qsettings(settings)
    , m_secrets(secrets)
    , m_docker(docker)
    , m_options(options.withDefaults(settings))
    , m_settings(new DesktopSettings(settings, this))
    , m_profiles(new secrets::ProfileStore(settings, this))
    , m_session(new ServerSession(nam, this))
    , m_link(new WorkerLink(this))
    , m_service(new WorkerService(m_options.systemdConfigDirs, m_options.systemctlProgram, this))
    , m_supervisor(new WorkerSupervisor(
          m_link, m_settings, m_options.workerProgram, m_options.workerLog, m_service, this))
    , m_autostart(std::make_unique<AutostartFile>(
          QCoreApplication::applicationFilePath(), m_options.autostartConfigHome))
{
    m_supervisor->setGraceMs(m_options.workerGraceMs);
    m_localServerPoll.setInterval(300);
    connect(&m_localServerPoll, &QTimer::timeout, this, &DesktopApp::waitForLocalServer);
    buildWindow();
    wireTray();
    wireBundles();

    connect(m_link, &WorkerLink::statusChanged, this, &DesktopApp::updateWorkerText);
    connect(m_link, &WorkerLink::statusChanged, this, &DesktopApp::updateLogState);
    connect(m_link, &WorkerLink::connectionChanged, this, &DesktopApp::updateWorkerText);
    connect(m_supervisor, &WorkerSupervisor::launched, this,
        [this] { m_window->setWorkerText(tr("Starting the worker…"), true); });
    connect(m_supervisor, &WorkerSupervisor::serviceStarted, this, [this] {
        m_window->setWorkerText(
            tr("Starting the worker (systemd user service %1)…").arg(QLatin1String(WorkerService::UnitName)),
            true);
    });
    connect(m_supervisor, &WorkerSupervisor::launchFailed, this, [this](const QString &message) {
        m_window->setWorkerText(tr("The worker could not start: %1").arg(message), false);
    });
    connect(m_session, &ServerSession::opened, this, [this](const QString &userName) {
        m_window->setAccountText(m_profile.local ? tr("This computer (local server)")
                                                 : tr("%1 at %2").arg(userName, m_profile.serverUrl),
            true);
        m_myRuns->refresh();
        m_bundles->refresh();
        m_cluster->setAccount(m_session->serverUrl(), m_session->loginName(), m_session->password());
        Q_EMIT accountReady(userName);
    });
    // Another account or server: a manager started now must not get the previous one's password.
    connect(m_session, &ServerSession::closed, m_cluster, [this] { m_cluster->setAccount({}, {}, {}); });
    connect(m_session, &ServerSession::failed, this, [this](const QString &message) {
        if (m_profile.local && m_localServerWaited < m_options.localServerWaitMs) {
            // The URL file may be the previous run's while the worker still starts its server: look again.
            m_localServerPoll.start();
            return;
        }
        m_window->setAccountText(tr("Not logged in: %1").arg(message), false);
        Q_EMIT accountFailed(message);
    });
}

DesktopApp::~DesktopApp() = default;

void DesktopApp::buildWindow()
{
    m_window = std::make_unique<MainWindow>();
    m_dashboard = new DashboardPage(m_link);
    m_logs = new LogsPage;
    m_myRuns = new MyRunsPage(m_session->client());
    m_dashboard->setUserNames(m_myRuns->userNames()); // one cache of names, cleared with the account
    m_transfers = new TransferQueue(this);
    m_bundles = new BundlesPage(m_session->client(), m_transfers);
    m_outputSaver = new OutputSaver(m_session->client(), m_bundles, m_transfers, this);
    // What was uploaded from where, per server, so an unchanged folder is not sent twice.
    m_uploadCache = std::make_unique<server::UploadCache>(
        QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + QStringLiteral("/CodaLab/uploads.json"));
    m_machine = new MachinePage(m_link, m_docker);
    m_caches = new CachesPage(m_link);
    m_window->addPage(m_dashboard, tr("&Dashboard"));
    m_window->addPage(m_logs, tr("&Logs"));
    m_window->addPage(m_myRuns, tr("&My runs"));
    m_window->addPage(m_bundles, tr("&Bundles"));
    m_window->addPage(m_machine, tr("M&achine"));
    m_window->addPage(m_caches, tr("&Caches"));
    m_cluster = new ClusterController(m_qsettings, m_options.managerProgram, m_options.workerProgram, this);
    m_cluster->setSystemd(m_options.systemdConfigDirs, m_options.systemctlProgram);
    m_clusterPage = new ClusterPage(m_cluster);
    m_window->addPage(m_clusterPage, tr("Cl&uster"));
    connect(m_clusterPage, &ClusterPage::messageRequested, this,
        [this](const QString &text) { m_window->statusBar()->showMessage(text, 15000); });

    connect(m_dashboard, &DashboardPage::runSelected, this, &DesktopApp::showLocalLogs);
    connect(
        m_dashboard, &DashboardPage::outputRequested, this, [this](const QString &uuid, const QString &dir) {
            showLocalLogs(uuid, dir);
            m_window->showPage(m_logs);
        });
    // With nothing picked, Logs follows this worker's newest run; My runs explains a run waiting for it.
    connect(m_link, &WorkerLink::statusChanged, m_logs, &LogsPage::setWorkerStatus);
    m_logs->setClient(m_session->client());
    m_myRuns->setWorkerLink(m_link);
    connect(m_myRuns, &MyRunsPage::logsRequested, this, &DesktopApp::showLogsOf);
    connect(m_myRuns, &MyRunsPage::rerunRequested, this,
        [this](const server::RunRequest &request) { openSubmitDialog(&request); });
    connect(m_window.get(), &MainWindow::submitRequested, this, [this] { openSubmitDialog(); });
    connect(m_window.get(), &MainWindow::settingsRequested, this, &DesktopApp::openSettings);
    connect(m_window.get(), &MainWindow::profilesRequested, this, &DesktopApp::openProfiles);
    connect(m_window.get(), &MainWindow::workerLogRequested, this, [this] {
        m_logs->showWorkerLog(m_supervisor->logPath());
        m_window->showPage(m_logs);
    });
}

void DesktopApp::wireTray()
{
    m_tray = new TrayController(m_link, m_settings, this);
    m_tray->setDialogParent(m_window.get());
    m_window->setWorkerMenu(m_tray->menu());
    m_window->setHideOnClose(m_tray->isTrayAvailable());
    m_window->setNoticeSettings(m_settings);
    connect(m_window.get(), &MainWindow::quitRequested, m_tray, &TrayController::requestQuit);
    connect(m_tray, &TrayController::toggleWindowRequested, m_window.get(), &MainWindow::toggleShown);
    connect(m_tray, &TrayController::showWindowRequested, m_window.get(), &MainWindow::bringToFront);
    connect(m_tray, &TrayController::submitRequested, this, [this] { openSubmitDialog(); });
    connect(m_tray, &TrayController::quitRequested, this, &DesktopApp::quit);
    connect(m_tray, &TrayController::trayUnavailable, this, [this](const QString &reason) {
        m_window->statusBar()->showMessage(
            tr("No system tray: CodaLab Desktop runs as a normal window (%1).").arg(reason), 30000);
    });
    // The tray's Cluster submenu, before Submit: it shows and fills the Cluster page when asked.
    m_tray->trayMenu()->insertMenu(
        m_tray->trayMenu()->submitAction(), m_clusterPage->createMenu(m_tray->trayMenu()));
    connect(m_clusterPage, &ClusterPage::showRequested, this, [this] {
        m_window->showPage(m_clusterPage);
        m_window->bringToFront();
    });
    connect(m_tray, &TrayController::startWorkerRequested, m_supervisor, &WorkerSupervisor::startNow);
    connect(m_dashboard, &DashboardPage::startWorkerRequested, m_supervisor, &WorkerSupervisor::startNow);
    connect(
        m_supervisor, &WorkerSupervisor::launched, m_dashboard, [this] { m_dashboard->setStarting(true); });
    connect(m_supervisor, &WorkerSupervisor::serviceStarted, m_dashboard,
        [this] { m_dashboard->setStarting(true); });
    connect(m_link, &WorkerLink::connectionChanged, this, [this](bool up) {
        m_dashboard->setStarting(false);
        // A worker started again brings this computer's server back on a new port: log in to that one.
        if (up && m_profile.local && !m_localServerPoll.isActive() && !m_session->serverUrl().isEmpty()) {
            m_localServerWaited = 0;
            m_localServerPoll.start();
        }
    });
    connect(m_supervisor, &WorkerSupervisor::launchFailed, m_dashboard,
        [this] { m_dashboard->setStarting(false); });
    connect(m_tray, &TrayController::notificationWithoutTray, this,
        [this](const QString &title, const QString &body) {
            m_window->statusBar()->showMessage(title + QStringLiteral(" — ") + body, 15000);
        });
}

void DesktopApp::wireBundles()
{
    const auto upload = [this](const QStringList &paths) {
        m_window->showPage(m_bundles);
        m_bundles->openUploadDialog(paths);
    };
    connect(m_window.get(), &MainWindow::uploadRequested, this, [upload] { upload({}); });
    connect(m_window.get(), &MainWindow::filesDropped, this, upload);
    // Uploads and saves in progress show in the tray's tooltip, so they are seen with the window closed.
    connect(m_transfers, &TransferQueue::changed, this,
        [this] { m_tray->setActivityLine(m_transfers->summary()); });
}

void DesktopApp::start(bool minimized)
{
    if (m_profiles->profiles().isEmpty()) {
        // First start: this computer's own server, so the user can submit a run with no other step.
        const QString id = m_profiles->add(secrets::Profile::makeLocal());
        m_profiles->setCurrentProfile(id);
    }
    std::optional<secrets::Profile> current = m_profiles->currentProfile();
    if (!current) {
        current = m_profiles->profiles().first();
        m_profiles->setCurrentProfile(current->id);
    }
    openProfile(*current);
    if (!(minimized || m_settings->startMinimized()) || !m_tray->isTrayAvailable()) {
        m_window->bringToFront();
    }
}

void DesktopApp::openProfile(const secrets::Profile &profile)
{
    m_profile = profile;
    m_session->close();
    m_myRuns->clear(); // another account's runs must not stay, nor be killed or rerun against the new server
    m_bundles->clear();
    // A bundle of this computer's own server is a folder on this disk.
    m_bundles->setLocalBundlesDir(
        profile.local ? m_options.localDataDir + QStringLiteral("/bundles") : QString());
    m_localServerPoll.stop();
    m_localServerWaited = 0;
    WorkerLauncher::Target target;
    target.workerId = m_options.workerId;
    target.socketPath = m_options.workerSocket;
    target.local = profile.local;
    target.localDataDir = m_options.localDataDir;
    target.serverUrl = profile.serverUrl;
    target.extraArguments = m_options.extraWorkerArguments;
    if (profile.local) {
        m_window->setAccountText(tr("Starting this computer's CodaLab server…"), true);
        m_supervisor->setTarget(target, QProcessEnvironment::systemEnvironment());
        m_supervisor->ensureRunning();
        m_dashboard->setStarting(m_settings->manageWorker() && !m_link->isConnected());
        m_localServerPoll.start();
        return;
    }
    m_window->setAccountText(tr("Logging in to %1…").arg(profile.serverUrl), true);
    secrets::SecretJob *job = m_secrets->read(profile.secretKey());
    connect(
        job, &secrets::SecretJob::finished, this, [this, profile, target](const secrets::SecretResult &r) {
            if (m_profile.id != profile.id) {
                return; // another profile was chosen meanwhile
            }
            if (!r.ok()) {
                const QString message
                    = tr("No password for %1 in the keyring: %2 (File → Servers and accounts)")
                          .arg(profile.username, r.error.message);
                m_window->setAccountText(message, false);
                Q_EMIT accountFailed(message);
                return;
            }
            // The worker gets the account through its environment, never a flag `ps` would show.
            QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
            environment.insert(QStringLiteral("CODALAB_USERNAME"), profile.username);
            environment.insert(QStringLiteral("CODALAB_PASSWORD"), r.secret);
            m_supervisor->setTarget(target, environment);
            m_supervisor->ensureRunning();
            m_dashboard->setStarting(m_settings->manageWorker() && !m_link->isConnected());
            m_session->open(profile.serverUrl, profile.username, r.secret);
        });
}

void DesktopApp::waitForLocalServer()
{
    // Every look counts toward the limit, a failed login included, so a server that keeps refusing ends in
    // accountFailed() instead of a login every 300 ms for ever.
    m_localServerWaited += m_localServerPoll.interval();
    QString url;
    QString user;
    QString password;
    if (ServerSession::readLocalServer(m_options.localDataDir, &url, &user, &password)
        && m_link->isConnected()) {
        m_localServerPoll.stop();
        m_session->open(url, user, password);
        return;
    }
    if (!m_link->isConnected() && !m_settings->manageWorker()) {
        // This computer's server comes with its worker, which the desktop is told not to start: waiting is
        // not failing, and the user should hear what starts it.
        m_localServerWaited = 0;
        m_window->setAccountText(
            tr("This computer's server starts with the worker, which CodaLab Desktop does "
               "not start (Settings). Start it: Worker → Start the worker."),
            false);
        return;
    }
    if (m_localServerWaited >= m_options.localServerWaitMs) {
        m_localServerPoll.stop();
        const QString message = tr("The local server did not start (Worker → its log says why)");
        m_window->setAccountText(message, false);
        Q_EMIT accountFailed(message);
    }
}

void DesktopApp::handleArguments(const QStringList &arguments)
{
    // A later launch shows the window unless it asked for the tray only; --show wins over --minimized.
    if (arguments.contains(QLatin1String("--show")) || !arguments.contains(QLatin1String("--minimized"))) {
        m_window->bringToFront();
    }
}

SubmitRunDialog *DesktopApp::openSubmitDialog(const server::RunRequest *prefill)
{
    if (m_submitDialog) {
        if (prefill) {
            m_submitDialog->setRequest(*prefill);
        }
        m_submitDialog->raise();
        m_submitDialog->activateWindow();
        return m_submitDialog;
    }
    auto *dialog = new SubmitRunDialog(m_session->client(), m_link, m_docker, m_settings, m_window.get());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setUploadCache(m_uploadCache.get());
    m_cluster->ensurePartitions(); // the fit check needs each cluster's limits
    dialog->setClusterQueues(m_cluster->queues());
    const auto clustersChanged = [this, dialog] { dialog->setClusterQueues(m_cluster->queues()); };
    connect(m_cluster, &ClusterController::statusChanged, dialog, clustersChanged);
    connect(m_cluster, &ClusterController::partitionsChanged, dialog, clustersChanged);
    connect(m_cluster, &ClusterController::profilesChanged, dialog, clustersChanged);
    if (prefill) {
        dialog->setRequest(*prefill);
    } else if (!m_profile.defaultQueueTag.isEmpty() || !m_profile.defaultWorksheet.isEmpty()) {
        server::RunRequest defaults = dialog->request();
        if (!m_profile.defaultQueueTag.isEmpty()) {
            defaults.queue = m_profile.defaultQueueTag;
        }
        defaults.worksheet = m_profile.defaultWorksheet;
        dialog->setRequest(defaults);
    }
    connect(dialog, &SubmitRunDialog::submitted, this, [this, dialog](const QString &uuid) {
        m_window->statusBar()->showMessage(tr("Submitted run %1").arg(uuid.left(10)), 10000);
        if (const QString folder = dialog->saveOutputsTo(); !folder.isEmpty()) {
            m_outputSaver->watch(uuid, dialog->request().effectiveName(), folder);
        }
        m_myRuns->refresh();
        m_myRuns->selectRun(uuid);
    });
    m_submitDialog = dialog;
    dialog->show();
    return dialog;
}

void DesktopApp::openSettings()
{
    auto *dialog = new SettingsDialog(m_settings, m_autostart.get(), m_link->status(), m_window.get());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setNotificationPath(m_tray->notificationSender()->pathText());
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        bool restart = dialog->workerRestartNeeded();
        if (m_link->isConnected()) {
            m_link->setSlots(m_settings->workerSlots());
            const QStringList chosen = m_settings->workerGpus();
            QStringList offered;
            for (const QJsonValue &v : m_link->status().value(QLatin1String("gpus")).toArray()) {
                const QString uuid = v.toObject().value(QLatin1String("uuid")).toString();
                offered.append(uuid);
                m_link->setGpuEnabled(uuid, chosen.isEmpty() || chosen.contains(uuid));
            }
            for (const QString &uuid : chosen) {
                restart = restart || (uuid != QLatin1String("NONE") && !offered.contains(uuid));
            }
        }
        if (restart && m_link->isConnected()
            && !m_service->explainFlags(
                m_window.get(), tr("The slots and the GPUs lent are applied already."))) {
            auto *ask = new QMessageBox(QMessageBox::Question, tr("Restart the worker?"),
                tr("Some settings take effect when the worker restarts. Restart it now? Runs in progress "
                   "keep "
                   "running and the worker picks them up again."),
                QMessageBox::Yes | QMessageBox::No, m_window.get());
            ask->setAttribute(Qt::WA_DeleteOnClose);
            connect(ask, &QMessageBox::accepted, m_supervisor, &WorkerSupervisor::restart);
            ask->open();
        }
    });
    dialog->open();
}

void DesktopApp::openProfiles()
{
    auto *dialog = new ProfilesDialog(m_profiles, m_secrets, m_window.get());
    QString localUrl, localUser, localPassword;
    if (ServerSession::readLocalServer(m_options.localDataDir, &localUrl, &localUser, &localPassword)) {
        dialog->setLocalServerUrl(localUrl);
    }
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ProfilesDialog::profileActivated, this, [this, dialog](const QString &id) {
        const std::optional<secrets::Profile> profile = m_profiles->profile(id);
        if (!profile) {
            return;
        }
        const bool workerTargetChanges = profile->local != m_profile.local
            || (!profile->local && profile->serverUrl != m_profile.serverUrl);
        openProfile(*profile);
        if (workerTargetChanges && m_link->isConnected() && !m_service->explainFlags(m_window.get(), {})) {
            auto *ask = new QMessageBox(QMessageBox::Question, tr("Work for this server?"),
                tr("Your worker works for the previous server. Restart it for %1? Its runs in progress are "
                   "given back to their server first.")
                    .arg(profile->name),
                QMessageBox::Yes | QMessageBox::No, dialog);
            ask->setAttribute(Qt::WA_DeleteOnClose);
            connect(ask, &QMessageBox::accepted, m_supervisor, &WorkerSupervisor::restart);
            ask->open();
        }
    });
    dialog->open();
}

void DesktopApp::showLogsOf(const QString &uuid)
{
    const QString runDir = WorkerRuns::runDir(WorkerRuns::find(m_link->status(), uuid));
    if (!runDir.isEmpty()) {
        showLocalLogs(uuid, runDir);
        m_window->showPage(m_logs);
        return;
    }
    m_localLogRun.clear();
    m_logs->showRemoteRun(m_session->client(), uuid);
    m_window->showPage(m_logs);
}

void DesktopApp::showLocalLogs(const QString &uuid, const QString &runDir)
{
    m_localLogRun = uuid;
    m_logs->showLocalRun(uuid, runDir);
    updateLogState();
}

void DesktopApp::updateLogState()
{
    if (m_localLogRun.isEmpty()) {
        return;
    }
    if (!m_link->isConnected()) {
        return;
    }
    for (const QJsonValue &v : m_link->status().value(QLatin1String("runs")).toArray()) {
        const QJsonObject run = v.toObject();
        if (run.value(QLatin1String("uuid")).toString() == m_localLogRun) {
            m_logs->setRunState(run.value(QLatin1String("state")).toString());
            return;
        }
    }
    // The run left the worker (finished and uploaded): its directory goes, its output is on the server.
    if (m_logs->isShowingLocalRun() && m_logs->currentRunUuid() == m_localLogRun) {
        m_logs->switchToRemote(m_session->client());
    }
    m_localLogRun.clear();
}

void DesktopApp::updateWorkerText()
{
    // The same words as the Dashboard's headline: one state, never an empty reason.
    bool ok = true;
    const QString text = WorkerHeadline::statusLine(
        m_link->isConnected(), m_link->lastError(), m_link->status(), QDateTime::currentDateTime(), &ok);
    if (!text.isEmpty()) {
        m_window->setWorkerText(text, ok);
    }
}

void DesktopApp::quit(bool stopWorker)
{
    m_window->hide();
    if (stopWorker && m_link->isConnected()) {
        m_link->call(QStringLiteral("stop"), QJsonObject { { QStringLiteral("giveBack"), false } }, this,
            [this](const QJsonValue &, int, const QString &) { Q_EMIT quitRequested(true); });
        return;
    }
    Q_EMIT quitRequested(false);
}

} // namespace codalab::ui
