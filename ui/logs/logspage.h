// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QStackedWidget;
class QTabWidget;

namespace codalab::server {
class ApiJob;
class CodaLabClient;
} // namespace codalab::server

namespace codalab::ui {

class LogView;

/// The Logs page: the stdout and stderr of one run (a tab each), read from the run's directory when it
/// runs on this machine's worker and through the REST API when it runs elsewhere, or the worker's own
/// log. Before anything is chosen it says how to choose a run.
///
/// Usage: showLocalRun(uuid, runDir) from the Dashboard (runDir is the worker status' run_dir) and
/// setRunState() as its state changes; showRemoteRun(client, uuid) from My runs (the state is read from
/// the server); showWorkerLog(path); clear() for the empty state. When a local run leaves the worker
/// (its directory is deleted), switchToRemote(client) goes on reading the same run from the server. Nothing
/// is polled while the page is hidden; showing it refreshes at once.
class LogsPage : public QWidget
{
    Q_OBJECT
public:
    explicit LogsPage(QWidget *parent = nullptr);

    void showLocalRun(const QString &uuid, const QString &runDir);
    /// `client` must outlive what it shows.
    void showRemoteRun(server::CodaLabClient *client, const QString &uuid);
    void showWorkerLog(const QString &path);
    /// Reads the local run that is shown from the server instead (as showRemoteRun() would), keeping the
    /// text, the tab and, when not following, the place. Does nothing unless a local run is shown.
    void switchToRemote(server::CodaLabClient *client);
    void clear();

    /// The run's state for the title ("running", "ready"...), for local runs whose state the worker knows.
    void setRunState(const QString &state);

    QString uuid() const { return m_uuid; }
    /// The run shown (local or remote), or empty.
    QString currentRunUuid() const;
    /// Whether a run's files are read from this machine's worker (showLocalRun()).
    bool isShowingLocalRun() const;
    QString title() const;
    bool isEmptyState() const;
    LogView *stdoutView() const { return m_stdout; }
    LogView *stderrView() const { return m_stderr; }
    LogView *workerLogView() const { return m_workerLog; }

Q_SIGNALS:
    void titleChanged(const QString &title);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void setRemoteRemovedText();
    void startBundlePolling();
    void showRunPage(const QString &uuid);
    void pollBundle();
    void updateTitle();
    void updateTabs();

    QStackedWidget *m_stack;
    QLabel *m_empty;
    QWidget *m_runPage;
    QLabel *m_title;
    QTabWidget *m_tabs;
    LogView *m_stdout;
    LogView *m_stderr;
    QWidget *m_workerPage;
    QLabel *m_workerTitle;
    LogView *m_workerLog;
    QString m_uuid;
    QString m_state;
    QString m_name;
    bool m_localRun = false;
    QPointer<server::CodaLabClient> m_client;
    QPointer<server::ApiJob> m_bundleJob;
    QTimer m_bundleTimer;
};

} // namespace codalab::ui
