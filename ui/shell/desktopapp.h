// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "secrets/profile.h"
#include "server/runrequest.h"
#include "shell/desktopoptions.h"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include <memory>

class QNetworkAccessManager;
class QSettings;

namespace codalab::docker {
class DockerClient;
}
namespace codalab::server {
class UploadCache;
}
namespace codalab::secrets {
class ProfileStore;
class SecretStore;
} // namespace codalab::secrets

namespace codalab::ui {

class AutostartFile;
class BundlesPage;
class OutputSaver;
class CachesPage;
class ClusterController;
class ClusterPage;
class DashboardPage;
class DesktopSettings;
class LogsPage;
class MachinePage;
class MainWindow;
class MyRunsPage;
class ServerSession;
class SubmitRunDialog;
class TransferQueue;
class TrayController;
class WorkerLink;
class WorkerService;
class WorkerSupervisor;

/// The application: the main window with its pages, the tray, the worker (started when none runs) and the
/// account on the current profile's server, wired together. First start with nothing configured uses the
/// local profile: the worker starts with its embedded codalab-local-server and the desktop logs in to it,
/// so a run can be submitted and watched with no other step.
///
/// Usage: construct with the services (not owned), call start(); handleArguments() takes a later launch's
/// command line (SingleInstance). quitRequested() is emitted when the user quits; the worker keeps running
/// unless they said otherwise.
class DesktopApp : public QObject
{
    Q_OBJECT
public:
    DesktopApp(QSettings *settings, secrets::SecretStore *secrets, docker::DockerClient *docker,
        QNetworkAccessManager *nam, DesktopOptions options, QObject *parent = nullptr);
    ~DesktopApp() override;

    void start(bool minimized);
    void handleArguments(const QStringList &arguments);
    /// Opens the submission dialog, prefilled with `prefill` when given (rerun).
    SubmitRunDialog *openSubmitDialog(const server::RunRequest *prefill = nullptr);

    MainWindow *window() const { return m_window.get(); }
    WorkerLink *worker() const { return m_link; }
    ServerSession *session() const { return m_session; }
    TrayController *tray() const { return m_tray; }
    DesktopSettings *settings() const { return m_settings; }
    secrets::ProfileStore *profiles() const { return m_profiles; }
    DashboardPage *dashboard() const { return m_dashboard; }
    LogsPage *logs() const { return m_logs; }
    MyRunsPage *myRuns() const { return m_myRuns; }
    BundlesPage *bundles() const { return m_bundles; }
    TransferQueue *transfers() const { return m_transfers; }
    MachinePage *machine() const { return m_machine; }
    CachesPage *caches() const { return m_caches; }
    ClusterPage *clusterPage() const { return m_clusterPage; }
    ClusterController *clusterController() const { return m_cluster; }
    const DesktopOptions &options() const { return m_options; }

Q_SIGNALS:
    /// The user quit; `workerStopped` when they asked the worker to stop as well.
    void quitRequested(bool workerStopped);
    /// Logged in to the current profile's server (or why not).
    void accountReady(const QString &userName);
    void accountFailed(const QString &message);

private:
    void buildWindow();
    void wireBundles();
    void wireTray();
    void openProfile(const secrets::Profile &profile);
    void waitForLocalServer();
    void openSettings();
    void openProfiles();
    void showLogsOf(const QString &uuid);
    void showLocalLogs(const QString &uuid, const QString &runDir);
    void updateLogState();
    void updateWorkerText();
    void quit(bool stopWorker);

    QSettings *m_qsettings;
    secrets::SecretStore *m_secrets;
    docker::DockerClient *m_docker;
    DesktopOptions m_options;
    DesktopSettings *m_settings;
    secrets::ProfileStore *m_profiles;
    ServerSession *m_session;
    WorkerLink *m_link;
    WorkerService *m_service;
    WorkerSupervisor *m_supervisor;
    std::unique_ptr<AutostartFile> m_autostart;
    std::unique_ptr<MainWindow> m_window;
    DashboardPage *m_dashboard = nullptr;
    LogsPage *m_logs = nullptr;
    MyRunsPage *m_myRuns = nullptr;
    TransferQueue *m_transfers = nullptr;
    BundlesPage *m_bundles = nullptr;
    OutputSaver *m_outputSaver = nullptr;
    std::unique_ptr<server::UploadCache> m_uploadCache;
    MachinePage *m_machine = nullptr;
    CachesPage *m_caches = nullptr;
    ClusterController *m_cluster = nullptr;
    ClusterPage *m_clusterPage = nullptr;
    TrayController *m_tray = nullptr;
    QPointer<SubmitRunDialog> m_submitDialog;
    QTimer m_localServerPoll;
    int m_localServerWaited = 0;
    secrets::Profile m_profile;
    QString m_localLogRun; ///< the run of this worker the Logs page shows, to keep its title's state current
};

} // namespace codalab::ui
