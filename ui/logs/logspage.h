// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;
class QStackedWidget;

namespace codalab::server {
class ApiJob;
class CodaLabClient;
} // namespace codalab::server

namespace codalab::ui {

class LogView;
class RunLogTabs;

/// The Logs page: the stdout and stderr of one run (a tab each), read from the run's directory when it
/// runs on this machine's worker and through the REST API when it runs elsewhere, or the worker's own
/// log. Until the user picks something it follows the newest run of this computer's worker; with none, it
/// says how to choose a run. It opens on the tab that has text, and shows why a run failed or was killed.
///
/// Usage: connect WorkerLink::statusChanged to setWorkerStatus() and call setClient() with the session's
/// client. Then the page follows by itself. A pick stops following: showRun(uuid) (local when the worker
/// has the run, else from the server), or showLocalRun(uuid, runDir) from the Dashboard and
/// showRemoteRun(client, uuid) from My runs; showWorkerLog(path). followNewestRun() (also the page's
/// "Follow newest run" button) and clear() follow again. The status also gives a local run's state and
/// failure message (setRunState() sets the state by hand). A local run that leaves the worker (its
/// directory is deleted) goes on from the server when a client is set; switchToRemote(client) does the
/// same by hand. Nothing is polled while the page is hidden; showing it refreshes at once.
class LogsPage : public QWidget
{
    Q_OBJECT
public:
    explicit LogsPage(QWidget *parent = nullptr);

    /// The client runs not on this worker are read with (showRun()), and a local run that left it. Must
    /// outlive what it shows; null: none.
    void setClient(server::CodaLabClient *client);
    /// Reads the local run that is shown from the server instead (as showRemoteRun() would), keeping the
    /// text, the tab and, when not following, the place. Does nothing unless a local run is shown.
    void switchToRemote(server::CodaLabClient *client);

    /// The run's state for the title ("running", "ready"...), for local runs whose state the worker knows.
    void setRunState(const QString &state);

    QString uuid() const { return m_uuid; }
    /// The run shown (local or remote), or empty.
    QString currentRunUuid() const;
    /// Whether a run's files are read from this machine's worker (showLocalRun()).
    bool isShowingLocalRun() const;
    /// Whether the page follows the newest run of this computer's worker (nothing picked by the user).
    bool isFollowingNewest() const { return m_following; }
    QString title() const;
    bool isEmptyState() const;
    QString emptyStateText() const;
    /// Why the run shown failed or was killed (its failure message); empty when hidden.
    QString noticeText() const;
    LogView *stdoutView() const { return m_stdout; }
    LogView *stderrView() const { return m_stderr; }
    LogView *workerLogView() const { return m_workerLog; }

public Q_SLOTS:
    /// Shows this run, the user's pick: read from this computer's worker while it has the run, else from
    /// the server (setClient()). Stops following the newest run.
    void showRun(const QString &uuid);
    /// Shows a run on this worker (runDir: the worker status' run_dir), the user's pick (the Dashboard's
    /// runSelected(uuid, runDir) connects here). Stops following the newest run.
    void showLocalRun(const QString &uuid, const QString &runDir);
    /// Shows a run through the REST API, the user's pick (My runs). `client` must outlive what it shows.
    /// Stops following the newest run.
    void showRemoteRun(server::CodaLabClient *client, const QString &uuid);
    /// Shows the worker's own log. Stops following the newest run.
    void showWorkerLog(const QString &path);
    /// Goes back to following the newest run of this computer's worker: shows it at once when the last
    /// status has one, else the empty state.
    void followNewestRun();
    /// Forgets what is shown and follows the newest run again (followNewestRun()).
    void clear();
    /// Every status of this computer's worker (WorkerLink::statusChanged): the newest run while following,
    /// the state and failure of the local run shown, and its move to the server once it leaves the worker.
    void setWorkerStatus(const QJsonObject &status);

Q_SIGNALS:
    void titleChanged(const QString &title);
    /// isFollowingNewest() changed.
    void followingChanged(bool following);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void reset();
    void setFollowing(bool following);
    void openLocal(const QString &uuid, const QString &runDir);
    void openRemote(server::CodaLabClient *client, const QString &uuid);
    void followStatus();
    void setRemoteRemovedText();
    void startBundlePolling();
    void showRunPage(const QString &uuid);
    void pollBundle();
    void setFailure(const QString &message);
    void updateTitle();
    void updateEmptyText();
    void updateFollowBar();

    QStackedWidget *m_stack;
    QLabel *m_empty;
    QWidget *m_runPage;
    QLabel *m_title;
    QLabel *m_followLabel;
    QPushButton *m_followButton;
    QLabel *m_notice;
    RunLogTabs *m_tabs;
    LogView *m_stdout;
    LogView *m_stderr;
    QWidget *m_workerPage;
    QLabel *m_workerTitle;
    LogView *m_workerLog;
    QString m_uuid;
    QString m_state;
    QString m_name;
    QString m_failure;
    bool m_localRun = false;
    bool m_following = true;
    double m_shownStart = 0; ///< bundle_start_time of the local run shown, to tell a newer one
    QJsonObject m_status;
    QPointer<server::CodaLabClient> m_defaultClient;
    QPointer<server::CodaLabClient> m_client;
    QPointer<server::ApiJob> m_bundleJob;
    QTimer m_bundleTimer;
};

} // namespace codalab::ui
